"""'Missed risk…' in the risk panel with the real engine and a real SQLite file: select words, name the
category, and the post has an open reviewer-added finding that blocks approval until it is resolved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QTextCursor

from medshare_desktop.core.errors import WorkflowError
from medshare_desktop.core.models import PostState, Resolution, RiskCategory
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.missed_risk import is_reviewer_finding
from tests.conftest import make_imported

TEXT = "Lovely sunrise over the car park this morning. Our new charge nurse runs the unit like a circus."
WORDS = "runs the unit like a circus"



@pytest.fixture
def analyzer_factory() -> None:
    """The real spaCy engine (not the UI tests' stub): what it misses and what our places add is the point."""
    return None

@pytest.fixture
def panel(qtbot, services):
    from dataclasses import replace

    from medshare_desktop.ui.risk_panel.risk_panel import RiskPanel

    services.posts.store_imported([replace(make_imported(1)[0], text=TEXT)], [], "test")
    post = services.posts.start_review(services.posts.get(services.posts.query(PostFilter())[0].id))
    reviews = services.risk.analyze_post(post)
    for review in reviews:  # the engine's own findings are not what these tests are about
        services.posts.resolve_finding(review.id, Resolution.ACCEPTED, "Not under test.")
    panel = RiskPanel(services.posts, services.risk, missed=services.missed_risks)
    qtbot.addWidget(panel)
    panel.resize(1000, 700)
    panel.show()
    panel.show_post(services.posts.get(post.id), services.posts.findings(post.id))
    yield panel
    QThreadPool.globalInstance().waitForDone(30_000)


def _select(panel, words: str) -> None:
    start = panel.editor.toPlainText().index(words)
    cursor = panel.editor.textCursor()
    cursor.setPosition(start)
    cursor.setPosition(start + len(words), QTextCursor.MoveMode.KeepAnchor)
    panel.editor.setTextCursor(cursor)


def _mark(qtbot, panel, words: str = WORDS) -> None:
    _select(panel, words)
    assert panel.missed_button.isEnabled()
    panel.missed_button.click()
    with qtbot.waitSignal(panel.post_saved, timeout=20_000):
        panel.missed_dialog.choose(RiskCategory.UNPROFESSIONAL, "Mocks a colleague.")


def test_the_button_needs_a_selection(panel) -> None:
    assert not panel.missed_button.isEnabled()
    _select(panel, WORDS)
    assert panel.missed_button.isEnabled()


def test_marked_words_are_a_highlighted_open_finding_that_blocks_approval(qtbot, panel, services) -> None:
    _mark(qtbot, panel)
    added = [r for r in services.posts.findings(panel.post.id) if is_reviewer_finding(r.finding)]
    assert [r.finding.text for r in added] == [WORDS] and added[0].is_open
    entry = panel.tree.current_entry()
    assert entry is not None and entry[0].text == WORDS
    assert "missed risk (added by a reviewer)" in panel.tree.currentItem().text(0)
    assert any(sel.cursor.selectedText() == WORDS for sel in panel.editor.extraSelections())
    assert "cannot be approved" in panel.summary.text()
    assert not panel.false_button.isEnabled() and panel.remove_mark_button.isEnabled()
    with pytest.raises(WorkflowError):
        services.posts.approve(services.posts.get(panel.post.id))


def test_a_missed_risk_survives_reanalysis_and_editing_it_out_fixes_it(qtbot, panel, services) -> None:
    _mark(qtbot, panel)
    services.risk.analyze_post(services.posts.get(panel.post.id))
    assert [r.finding.text for r in services.posts.findings(panel.post.id) if is_reviewer_finding(r.finding)] == [WORDS]
    panel.editor.setPlainText(TEXT.replace(" like a circus", " with care"))
    with qtbot.waitSignal(panel.post_saved, timeout=20_000):
        panel.save()
    assert not any(is_reviewer_finding(r.finding) for r in services.posts.findings(panel.post.id))
    assert services.posts.approve(services.posts.get(panel.post.id)).state is PostState.APPROVED
    actions = [e.action for e in services.audit.history("post", panel.post.id)]
    assert "finding.missed_risk_marked" in actions and "finding.fixed" in actions


def test_its_author_removes_a_mark_made_by_mistake(qtbot, panel, services) -> None:
    _mark(qtbot, panel)
    with qtbot.waitSignal(panel.post_saved, timeout=20_000):
        panel.remove_mark_button.click()
    assert not any(is_reviewer_finding(r.finding) for r in services.posts.findings(panel.post.id))
    assert "Removed your missed-risk mark" in panel.notice.text()
    assert "finding.missed_risk_removed" in [e.action for e in services.audit.history("post", panel.post.id)]


def test_the_posts_history_says_who_marked_and_removed_it(qtbot, panel, services) -> None:
    from medshare_desktop.ui.inbox.history_view import sentence

    _mark(qtbot, panel)
    with qtbot.waitSignal(panel.post_saved, timeout=20_000):
        panel.remove_mark_button.click()
    lines = [sentence(e) for e in services.audit.history("post", panel.post.id)]
    assert f"tester marked “{WORDS}” as a missed risk (unprofessional content) — Mocks a colleague." in lines
    assert f"tester removed their missed-risk mark “{WORDS}” as a mistake" in lines
