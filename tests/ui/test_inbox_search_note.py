"""The inbox says when a long search was cut down to its longest words."""

from __future__ import annotations

import pytest

from tests.conftest import make_imported


@pytest.fixture
def inbox(qtbot, services):
    from medshare_desktop.ui.inbox.inbox_page import InboxPage
    from medshare_desktop.ui.shared.workers import wait_for_background_work

    services.posts.store_imported(make_imported(3), [], "x")
    page = InboxPage(services.posts, services.people, services.imports, services.risk, services.audit)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    yield page
    wait_for_background_work(30_000)


def test_a_pasted_paragraph_is_searched_and_the_words_left_out_are_counted(qtbot, inbox) -> None:
    inbox.search.setText(
        "proud of our cardiology team and the flu shot clinic, thank you all for a wonderful "
        "season of vaccinations across every ward"
    )
    qtbot.waitUntil(lambda: "left out" in inbox.count_label.text(), timeout=10_000)
    label = inbox.count_label.text()
    assert label == "0 post(s) — searched for the 6 longest words; 14 other word(s) left out"
    inbox.search.setText("cardiology flu")
    qtbot.waitUntil(lambda: inbox.count_label.text() == "3 post(s)", timeout=10_000)
