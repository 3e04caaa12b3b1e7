"""The inbox's Suggested column (sortable by score), the reasons in the reading pane, the evergreen mark,
and the weights in Settings, driven through the real widgets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from medshare_desktop.core.models import Finding, ImportedPost, Person, Platform, RiskCategory, Severity, SourceAccount
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.ui.inbox.post_table_model import SUGGESTED_COLUMN
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.workers import wait_for_background_work

GOOD = "Our new asthma clinic opens on Monday. Ask your family doctor for a referral. https://example.org/asthma"


@pytest.fixture
def page(qtbot, services) -> Iterator[object]:
    from medshare_desktop.ui.inbox.inbox_page import InboxPage

    person = services.people.add_person(Person(None, "Dr. Wren Firsttime", department="Pulmonology"))
    services.people.add_account(SourceAccount(None, person.id, Platform.X, "wren"))
    now = datetime.now(UTC)
    posts = [
        ImportedPost(Platform.X, GOOD, now - timedelta(days=1), author="Wren", handle="@wren", external_id="good"),
        ImportedPost(Platform.X, "meh #a #b #c #d #e #f #g #h", now - timedelta(hours=1), author="Wren",
                     handle="@wren", external_id="tags"),
        ImportedPost(Platform.X, GOOD + " Old.", now - timedelta(days=175), author="Wren", handle="@wren",
                     external_id="old"),
    ]
    services.posts.store_imported(posts, [], "test")
    ops = Operations(parent=None)
    inbox = InboxPage(services.posts, services.people, services.imports, services.risk, services.audit, ops=ops)
    inbox.set_suggestions(services.suggestions)
    qtbot.addWidget(inbox)
    inbox.resize(1400, 800)
    inbox.show()
    inbox.refresh()
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 3, timeout=10_000)
    yield inbox
    ops.wait()
    wait_for_background_work(30_000)


def _ids(services) -> dict[str, int]:
    return {services.posts.get(s.id).external_id: s.id for s in services.posts.query(PostFilter())}


def _column(inbox) -> list[str]:
    return [inbox.model.data(inbox.model.index(r, SUGGESTED_COLUMN)) for r in range(inbox.model.rowCount())]


def test_every_row_shows_a_score_and_the_header_sorts_best_first(qtbot, page, services) -> None:
    ids = _ids(services)
    assert page.model.headerData(SUGGESTED_COLUMN, Qt.Orientation.Horizontal) == "Suggested"
    assert not page.table.isColumnHidden(SUGGESTED_COLUMN)
    qtbot.waitUntil(lambda: all(cell.isdigit() for cell in _column(page)), timeout=10_000)
    page.table.sortByColumn(SUGGESTED_COLUMN, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 and page.model.filter.sort == "suggested", timeout=10_000)
    qtbot.waitUntil(lambda: [page.model.post_id(r) for r in range(3)][0] == ids["good"], timeout=10_000)
    scores = [int(cell) for cell in _column(page)]
    assert scores == sorted(scores, reverse=True)
    tip = page.model.data(page.model.index(0, SUGGESTED_COLUMN), Qt.ItemDataRole.ToolTipRole)
    assert "Dr. Wren Firsttime has never been re-shared" in tip


def test_an_open_high_finding_sends_the_post_to_the_bottom(qtbot, page, services) -> None:
    ids = _ids(services)
    services.posts.store_findings(ids["good"], [Finding(0, 3, "Our", RiskCategory.PHI, "name", Severity.HIGH, "r", "m")])
    page.table.sortByColumn(SUGGESTED_COLUMN, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 and page.model.post_id(2) == ids["good"], timeout=10_000)


def test_the_reading_pane_gives_the_reasons_and_marks_evergreen(qtbot, page, services) -> None:
    ids = _ids(services)
    page.select_post(ids["old"])
    view = page.suggestion_view
    qtbot.waitUntil(lambda: view.isVisible() and view.post_id == ids["old"], timeout=10_000)
    assert view.summary.text().startswith("Suggested: ")
    assert "Stale (posted 175 days ago; not marked evergreen)" in view.summary.text()
    before = int(view.summary.text().split()[1])
    view.evergreen.click()  # as the user does
    qtbot.waitUntil(lambda: services.suggestions.is_evergreen(ids["old"]), timeout=10_000)
    qtbot.waitUntil(lambda: "Marked evergreen by the team" in view.summary.text(), timeout=10_000)
    assert int(view.summary.text().split()[1]) > before
    assert view.evergreen.isChecked()
    qtbot.waitUntil(lambda: "marked it evergreen" in page.history.toPlainText(), timeout=10_000)


def test_the_weights_box_saves_and_the_order_follows(qtbot, page, services) -> None:
    from medshare_desktop.ui.settings.suggestion_box import SuggestionWeightsBox

    ops = Operations(parent=None)
    box = SuggestionWeightsBox(services.suggestions, ops)
    qtbot.addWidget(box)
    box.show()
    box.refresh()
    qtbot.waitUntil(lambda: box.spins["quality"].value() == 35, timeout=5_000)
    box.spins["freshness"].setValue(100)
    box.spins["quality"].setValue(0)
    qtbot.mouseClick(box.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.status.text().startswith("Saved"), timeout=5_000)
    assert services.suggestions.weights().freshness == 100
    assert services.suggestions.weights().quality == 0
    ops.wait()
    page.table.sortByColumn(SUGGESTED_COLUMN, Qt.SortOrder.DescendingOrder)
    newest = _ids(services)["tags"]  # on freshness alone, the newest post (a wall of hashtags) comes first
    qtbot.waitUntil(lambda: page.model.rowCount() == 3 and page.model.post_id(0) == newest, timeout=10_000)
