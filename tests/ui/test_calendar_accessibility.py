"""The painted calendar for screen-reader and keyboard users, and in a dark theme."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QAccessible, QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu

from tests.ui.test_calendar_page import DOCTOR, WAIT, page, world  # noqa: F401 - fixtures

Name, Description = QAccessible.Text.Name, QAccessible.Text.Description


def _spoken(grid) -> tuple[str, str]:
    """What assistive technology reads, through Qt's accessibility interface of the widget."""
    interface = QAccessible.queryAccessibleInterface(grid)
    return interface.text(Name), interface.text(Description)


def _two_on_the_third(qtbot, page, world) -> list[int]:  # noqa: F811
    services, posts = world
    shares = [services.schedule.schedule(posts[0], date(2026, 12, 3)),
              services.schedule.schedule(posts[1], date(2026, 12, 3), override_reason="launch week")]
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        page.refresh()
    return [s.id for s in shares]


def test_every_day_is_named_as_the_keyboard_reaches_it(qtbot, page, world) -> None:  # noqa: F811
    _two_on_the_third(qtbot, page, world)
    grid = page.grid
    grid.setFocus()
    grid.set_cursor(date(2026, 12, 2))
    name, description = _spoken(grid)
    assert name == "Wednesday 2 December 2026: nothing scheduled"
    assert "Arrow keys move between days" in description

    QTest.keyClick(grid, Qt.Key.Key_Right)
    name, description = _spoken(grid)
    assert name == "Thursday 3 December 2026: 2 re-shares"
    assert f"1. {DOCTOR}, Public social." in description
    assert "scheduled with an override: launch week" in description

    for _ in range(31):  # every day of the month can be reached and is named
        QTest.keyClick(grid, Qt.Key.Key_Right)
        day = grid.cursor
        if day.month != 12:
            break
        assert _spoken(grid)[0].startswith(f"{day:%A} {day.day} December 2026")


def test_each_re_share_is_named_when_picked_and_its_actions_open_from_the_keyboard(qtbot, page, world) -> None:  # noqa: F811
    first, second = _two_on_the_third(qtbot, page, world)
    grid = page.grid
    grid.setFocus()
    grid.set_cursor(date(2026, 12, 3))

    QTest.keyClick(grid, Qt.Key.Key_Space)
    assert grid.selected_share == first
    assert _spoken(grid)[0] == f"{DOCTOR}, Public social (re-share 1 of 2 on Thursday 3 December)"
    QTest.keyClick(grid, Qt.Key.Key_Space)
    assert _spoken(grid)[0].startswith(f"{DOCTOR}, Public social, scheduled with an override: launch week (re-share 2 of 2")

    QTest.keyClick(grid, Qt.Key.Key_Menu)  # the keyboard's context-menu key (Shift+F10 does the same)
    menu = grid.findChild(QMenu, "calendarEntryMenu")
    assert menu is not None and menu.isVisible()
    assert [a.text() for a in menu.actions()] == ["&Unschedule"]
    assert menu.pos().y() >= grid.mapToGlobal(grid.entry_rect(second).bottomLeft().toPoint()).y() - 1  # at the entry
    menu.close()
    QTest.keyClick(grid, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    shown = [m for m in grid.findChildren(QMenu, "calendarEntryMenu") if m.isVisible()]
    assert len(shown) == 1
    shown[0].close()
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        grid.entry_menu(second).actions()[0].trigger()
    assert [e.share.id for e in page.current.entries] == [first]
    QThreadPool.globalInstance().waitForDone(WAIT)


def test_today_and_warnings_follow_a_dark_palette(qtbot, page, world) -> None:  # noqa: F811
    from medshare_desktop.ui.calendar.grid_painter import attention_colour, today_fill

    light = page.grid.palette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8e8e8"))
    dark.setColor(QPalette.ColorRole.Highlight, QColor("#3d7bd9"))
    page.grid.setPalette(dark)
    page.grid.today = date(2026, 12, 9)
    page.grid.set_cursor(date(2026, 12, 1))
    image = page.grid.grab().toImage()
    centre = page.grid.cell_rect(date(2026, 12, 9)).center().toPoint()
    painted = image.pixelColor(centre.x() + 20, centre.y() + 20)

    assert painted.lightness() < 110, "today's cell is dark in a dark theme"
    assert painted == today_fill(dark)
    assert today_fill(light).lightness() > 180
    text = dark.color(QPalette.ColorRole.Text)
    assert abs(text.lightness() - painted.lightness()) > 120  # the day's text stays readable on it
    assert attention_colour(dark).lightness() > attention_colour(light).lightness()


def test_the_message_bar_is_dark_in_a_dark_theme(qtbot) -> None:
    from medshare_desktop.ui.calendar.message_bar import MessageBar

    bar = MessageBar()
    qtbot.addWidget(bar)
    dark = QPalette(bar.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2a2a2a"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8e8e8"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8e8e8"))
    bar.setPalette(dark)
    bar.resize(500, 40)
    bar.show_message("Over the monthly limit", "error")
    background = bar.grab().toImage().pixelColor(250, 20)
    assert background.lightness() < 90, background.name()


def test_cell_borders_are_equally_thick_at_150_percent(qtbot, page) -> None:  # noqa: F811
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QImage, QPainter

    grid = page.grid
    image = QImage(int(grid.width() * 1.5), int(grid.height() * 1.5), QImage.Format.Format_RGB32)
    image.setDevicePixelRatio(1.5)
    image.fill(QColor("white"))
    painter = QPainter(image)
    grid.render(painter, QPoint(0, 0))
    painter.end()
    border = grid.palette().color(QPalette.ColorRole.Mid).name()
    row = int(grid.cell_rect(date(2026, 12, 9)).center().y() * 1.5)
    runs, run = [], 0
    for x in range(image.width()):
        if image.pixelColor(x, row).name() == border:
            run += 1
        elif run:
            runs.append(run)
            run = 0
    assert len(runs) >= 6, runs  # the vertical borders crossed by the row
    assert len(set(runs)) == 1, f"borders of different widths at 150 %: {runs}"
