"""Nothing a user needs to read is cut off at 1280×800 (and at a larger window): the inbox search box,
the consent table's headers and columns, people's handles, names in the calendar grid. What has to give
way is elided with "…" and its whole text is in the tooltip and the accessible text."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetricsF, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from medshare_desktop.core.models import Channel, Platform, ScheduledShare, SourceAccount
from medshare_desktop.core.ports import CalendarEntry
from medshare_desktop.core.services.schedule_service import MonthSchedule

SIZES = [(1280, 800)]  # the size the window opens at on a first start; larger windows only have more room
MARGIN = 8  # a cell's text margins


def _settle(window) -> None:  # noqa: ANN001
    window.layout().activate()
    QApplication.processEvents()


@pytest.mark.parametrize("size", SIZES)
def test_the_inbox_search_box_keeps_room_for_what_is_typed(qtbot, main_window, size) -> None:
    main_window.resize(*size)
    main_window.show_page("inbox")
    _settle(main_window)
    search = main_window.page("inbox").search
    placeholder = search.fontMetrics().horizontalAdvance(search.placeholderText())
    assert search.width() >= placeholder + 30, (search.width(), placeholder)


@pytest.mark.parametrize("size", SIZES)
def test_consent_headers_are_whole_and_names_show_in_full_or_in_a_tooltip(qtbot, main_window, size) -> None:
    main_window.resize(*size)
    main_window.show_page("consent")
    page = main_window.page("consent")
    qtbot.waitUntil(lambda: page.proxy.rowCount() == 12, timeout=10_000)
    qtbot.wait(50)  # the columns are fitted once the rows are in
    _settle(main_window)
    table, header = page.table, page.table.horizontalHeader()
    widths = [header.sectionSize(c) for c in range(page.proxy.columnCount())]
    assert sum(widths) <= table.viewport().width()  # the last column ("Next expiry") is not cut at the edge
    for column, width in enumerate(widths):
        assert width >= header.sectionSizeHint(column), page.proxy.headerData(column, Qt.Orientation.Horizontal)
    metrics = QFontMetricsF(table.font())
    for row in range(page.proxy.rowCount()):
        for column in range(page.proxy.columnCount()):
            index = page.proxy.index(row, column)
            text = index.data()
            if metrics.horizontalAdvance(text) + MARGIN <= widths[column]:
                continue
            assert column in (0, 1), f"{text!r} is cut in column {column}"  # only names and departments give way
            assert index.data(Qt.ItemDataRole.ToolTipRole) == text
            assert index.data(Qt.ItemDataRole.AccessibleTextRole) == text
    assert widths[0] >= 130 and widths[1] >= 90  # what gives way still shows a useful part

    history = page.details.history  # the selected person's records: every column in view, text wrapped
    qtbot.waitUntil(lambda: history.rowCount() > 0, timeout=5_000)
    qtbot.wait(50)
    history_header = history.horizontalHeader()
    assert sum(history_header.sectionSize(c) for c in range(history.columnCount())) <= history.viewport().width()


@pytest.mark.parametrize("size", SIZES)
def test_a_long_handle_shows_in_full_on_the_people_page(qtbot, main_window, demo_services, size) -> None:
    handle = "dr-hannah-lindqvist-family-medicine"
    person = next(p for p in demo_services.people.list_people() if p.name == "Dr. Hannah Lindqvist")
    demo_services.people.add_account(
        SourceAccount(None, person.id, Platform.LINKEDIN, handle, True, "https://example.org/feed.xml")
    )
    main_window.resize(*size)
    main_window.show_page("people")
    page = main_window.page("people")
    qtbot.waitUntil(lambda: page.list.count() == 12, timeout=5_000)
    page.select(person.id)
    qtbot.waitUntil(lambda: any(
        page.accounts.item(r, 1) and page.accounts.item(r, 1).text() == handle for r in range(page.accounts.rowCount())
    ), timeout=5_000)
    qtbot.wait(50)
    _settle(main_window)
    width = page.accounts.horizontalHeader().sectionSize(1)
    assert QFontMetricsF(page.accounts.font()).horizontalAdvance(handle) + MARGIN <= width
    row = next(r for r in range(page.accounts.rowCount()) if page.accounts.item(r, 1).text() == handle)
    assert page.accounts.item(row, 1).toolTip() == handle


NAMES = ["Dr. Hannah Lindqvist", "Nora Fitzgerald, RN", "Dr. Maria-José Castellanos Rodríguez", "Samuel Brooks, RN"]
BUSY, QUIET = date(2026, 12, 9), date(2026, 12, 22)


def _busy_month() -> MonthSchedule:
    entries = [
        CalendarEntry(ScheduledShare(n + 1, n + 1, BUSY, Channel.PUBLIC_SOCIAL, "award week" if n % 2 else ""),
                      n + 1, name, "An excerpt", "", 0)
        for n, name in enumerate(NAMES)
    ]
    entries.append(CalendarEntry(ScheduledShare(9, 9, QUIET, Channel.PUBLIC_SOCIAL, "x"), 3, NAMES[2], "Alone", "", 0))
    return MonthSchedule(2026, 12, entries, [], {1: "consent revoked", 2: "open finding", 9: "consent revoked"})


@pytest.mark.parametrize("grid_size", [(788, 700), (640, 480)])  # the grid at 1280×800, and narrower
def test_calendar_names_shorten_to_the_surname_before_being_cut(qtbot, grid_size) -> None:
    from medshare_desktop.ui.calendar.month_grid import MonthGrid
    from medshare_desktop.ui.printing.labels import name_forms

    grid = MonthGrid()
    qtbot.addWidget(grid)
    grid.resize(*grid_size)
    grid.show()
    month = _busy_month()
    grid.set_schedule(month, date(2026, 12, 1))
    names = {e.share.id: e.person_name for e in month.entries}
    titles = [line for c in grid._painter.cells() for line in c.lines if line.share_id and not line.soft]
    assert {line.share_id for line in titles} == set(names)
    for line in titles:
        metrics = QFontMetricsF(line.font)
        room = line.rect.width() - (metrics.horizontalAdvance(line.right) + 6 if line.right else 0)
        marks, _, shown = line.text.rpartition(" ") if line.text.startswith(("⚠", "⚑")) else ("", "", line.text)
        forms = name_forms(names[line.share_id])
        assert shown in forms
        fitting = [f for f in forms if metrics.horizontalAdvance(f"{marks} {f}".strip()) <= room]
        if fitting:  # the longest form that fits is shown, whole
            assert shown == fitting[0] and metrics.horizontalAdvance(line.text) <= room
        else:  # not even the surname fits: it is elided when painted, nothing shorter is invented
            assert shown == forms[-1]

        QToolTip.hideText()  # the full name is in the tooltip...
        center = line.rect.center().toPoint()
        grid.event(QHelpEvent(QEvent.Type.ToolTip, center, grid.mapToGlobal(center)))
        assert QToolTip.text().startswith(names[line.share_id])
    grid.move_cursor(BUSY)  # ...and in what a screen reader reads for the day
    assert all(name in grid.accessibleDescription() for name in NAMES)
    QToolTip.hideText()  # no tooltip left pointing at this grid when the next test's grid is made
    qtbot.wait(10)


def test_a_person_without_a_surname_keeps_their_one_name() -> None:
    from medshare_desktop.ui.printing.labels import fit_name, name_forms

    assert name_forms("Cher") == ["Cher"]
    assert fit_name(len, "Cher", 2) == "Cher"
    assert fit_name(len, "Dr. Tomás Ibarra", 9) == "T. Ibarra"
    assert fit_name(len, "Nora Fitzgerald, RN", 14) == "Fitzgerald, RN"
