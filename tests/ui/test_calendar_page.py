"""The calendar page, offscreen: drag-and-drop and keyboard scheduling, refusal, override, exports."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QPointF, Qt, QThreadPool  # noqa: E402
from PySide6.QtGui import QDropEvent  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from medshare_desktop.ui.calendar import calendar_output  # noqa: E402
from medshare_desktop.ui.calendar.calendar_page import CalendarPage  # noqa: E402
from medshare_desktop.ui.calendar.month_grid import POST_MIME, SHARE_MIME, id_mime, mime_id  # noqa: E402
from tests.core.test_schedule_service_calendar import BEFORE_DECEMBER, make_world  # noqa: E402

DOCTOR = "Dr. Priya Patel"
WAIT = 10_000


@pytest.fixture
def world(db_url: str):
    from medshare_desktop.bootstrap import build_services

    services = build_services(db_url, actor="tester", today=lambda: BEFORE_DECEMBER)
    posts = make_world(services, ((DOCTOR, None),), posts=4)[DOCTOR]
    yield services, posts
    QThreadPool.globalInstance().waitForDone(WAIT)
    services.close()


def open_calendar(qtbot, services, size: tuple[int, int] = (1300, 850)) -> CalendarPage:  # noqa: ANN001
    """The calendar page over `services`, shown on December 2026 with its month loaded."""
    widget = CalendarPage(services.schedule, services.posts, services.people, services.settings)
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    widget.go_to(date(2026, 12, 1))
    with qtbot.waitSignal(widget.month_loaded, timeout=WAIT):
        widget.refresh()
    return widget


@pytest.fixture
def page(qtbot, world):
    services, _posts = world
    return open_calendar(qtbot, services)


def drop(page: CalendarPage, kind: str, ident: int, day: date) -> None:
    """What a real drop does: a QDropEvent with our mime data over the day's cell."""
    grid = page.grid
    mime = id_mime(kind, ident)  # kept alive: the event does not own it
    event = QDropEvent(
        QPointF(grid.cell_rect(day).center()),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    grid.dragEnterEvent(event)
    assert event.isAccepted()
    grid.dropEvent(event)
    assert event.isAccepted()


def days_of(page: CalendarPage) -> dict[int, date]:
    return {e.share.post_id: e.share.day for e in page.current.entries}


def test_schedule_by_drag_and_keyboard_refuse_then_override(qtbot, page, world, monkeypatch) -> None:
    services, posts = world
    assert page.objectName() == "calendarPage" and page.visible_month() == (2026, 12)
    approved = page.side.approved
    assert approved.count() == 4
    first = approved.item(0)
    assert mime_id(approved.mimeData([first]), POST_MIME) == first.data(Qt.ItemDataRole.UserRole)  # what a drag carries

    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        drop(page, POST_MIME, posts[0], date(2026, 12, 3))
    assert days_of(page) == {posts[0]: date(2026, 12, 3)}
    assert approved.count() == 3

    approved.select_post(posts[1])
    page.grid.setFocus()
    QTest.keyClick(page.grid, Qt.Key.Key_Down)
    QTest.keyClick(page.grid, Qt.Key.Key_Right)
    assert page.grid.cursor == date(2026, 12, 11)
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        QTest.keyClick(page.grid, Qt.Key.Key_Return)
    assert days_of(page)[posts[1]] == date(2026, 12, 11)

    approved.select_post(posts[2])
    QTest.keyClick(page.grid, Qt.Key.Key_Right)
    with qtbot.waitSignal(page.change_refused, timeout=WAIT) as refused:
        QTest.keyClick(page.grid, Qt.Key.Key_Return)
    message = "Dr. Priya Patel already has 2 re-shares in December 2026 (limit 2 a month)."
    assert refused.args == [message]
    assert page.message.isVisible() and message in page.message.text()
    assert page.message.override_button.isVisible()
    assert posts[2] not in days_of(page)

    qtbot.mouseClick(page.message.override_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.reason_dialog.ok_button, Qt.MouseButton.LeftButton)  # no reason: refused in place
    assert page.reason_dialog.isVisible() and "needs a reason" in page.reason_dialog.error.text()
    QThreadPool.globalInstance().waitForDone(WAIT)
    assert posts[2] not in days_of(page)
    page.reason_dialog.field.setText("Award week")
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        qtbot.mouseClick(page.reason_dialog.ok_button, Qt.MouseButton.LeftButton)
    overridden = next(e for e in page.current.entries if e.share.post_id == posts[2])
    assert overridden.share.day == date(2026, 12, 12) and overridden.share.override_reason == "Award week"
    assert "⚑" in page.grid._painter._title(overridden)
    assert page.side.counts.topLevelItem(0).text(1) == "3 / 2 over"
    assert any("Award week" in e.after for e in services.audit.history("post", posts[2]))


def test_move_by_drag_delete_key_navigation_and_week_view(qtbot, page, world) -> None:
    services, posts = world
    share = services.schedule.schedule(posts[0], date(2026, 12, 3))
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        page.refresh()
    assert page.grid.entry_rect(share.id) is not None
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        drop(page, SHARE_MIME, share.id, date(2026, 12, 21))
    assert days_of(page) == {posts[0]: date(2026, 12, 21)}

    page.grid.setFocus()
    assert page.grid.cursor == date(2026, 12, 21)
    QTest.keyClick(page.grid, Qt.Key.Key_Space)
    assert page.grid.selected_share == share.id
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        QTest.keyClick(page.grid, Qt.Key.Key_Delete)
    assert page.current.entries == [] and page.side.approved.count() == 4

    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        QTest.keyClick(page.grid, Qt.Key.Key_PageDown)
    assert page.visible_month() == (2027, 1) and page.title.text() == "January 2027"
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        qtbot.mouseClick(page.prev_button, Qt.MouseButton.LeftButton)
    assert page.visible_month() == (2026, 12)

    qtbot.mouseClick(page.week_button, Qt.MouseButton.LeftButton)
    assert len(page.grid.days()) == 7 and page.title.text().startswith("Week of")
    qtbot.mouseClick(page.month_button, Qt.MouseButton.LeftButton)
    assert len(page.grid.days()) == 35


def test_enter_without_a_selected_post_explains_what_to_do(qtbot, page) -> None:
    page.side.approved.setCurrentItem(None)
    page.grid.setFocus()
    QTest.keyClick(page.grid, Qt.Key.Key_Return)
    assert "Select an approved post" in page.message.text()


def test_export_pdf_and_ics_from_the_page(qtbot, page, world, tmp_path, monkeypatch) -> None:
    services, posts = world
    services.schedule.schedule(posts[0], date(2026, 12, 3))
    targets = iter([str(tmp_path / "month.pdf"), str(tmp_path / "month")])
    monkeypatch.setattr(calendar_output.QFileDialog, "getSaveFileName", lambda *a, **k: (next(targets), ""))
    page.export_pdf()
    qtbot.waitUntil(lambda: "as PDF" in page.message.text(), timeout=WAIT)
    assert (tmp_path / "month.pdf").read_bytes().startswith(b"%PDF")
    page.export_ics()
    qtbot.waitUntil(lambda: "1 re-share(s) of December 2026" in page.message.text(), timeout=WAIT)
    assert b"BEGIN:VEVENT" in (tmp_path / "month.ics").read_bytes()


def test_print_goes_to_the_chosen_printer_off_the_gui_thread(qtbot, page, tmp_path, monkeypatch) -> None:
    from PySide6.QtPrintSupport import QPrinter
    from PySide6.QtWidgets import QDialog

    out = tmp_path / "printed.pdf"
    real_printer = calendar_output.CalendarOutput._printer

    def to_file(self):  # a printer that writes a PDF instead of a real device
        printer = real_printer(self)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    monkeypatch.setattr(calendar_output.CalendarOutput, "_printer", to_file)
    monkeypatch.setattr(calendar_output.QPrintDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    page.print_month()
    qtbot.waitUntil(lambda: "to the printer" in page.message.text(), timeout=WAIT)
    assert out.read_bytes().startswith(b"%PDF")


def test_print_preview_paints_the_visible_month(qtbot, page, monkeypatch) -> None:
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    painted = []
    real_paint_on = calendar_output.paint_on
    monkeypatch.setattr(calendar_output, "paint_on", lambda *args: (painted.append(args[2]), real_paint_on(*args)))
    page.print_preview()
    dialog = page.findChild(QPrintPreviewDialog, "calendarPrintPreview")
    assert dialog is not None
    qtbot.waitUntil(lambda: bool(painted), timeout=WAIT)
    assert painted[0].month == 12
    dialog.close()
