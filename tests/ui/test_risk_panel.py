"""The risk panel with the real spaCy engine: highlights, selection both ways, resolving, live edits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QTextCursor

from medshare_desktop.core.models import PostState, Resolution, RiskCategory, Severity
from medshare_desktop.core.ports import PostFilter
from tests.conftest import make_imported

RISKY = (
    "A patient I saw today in room 412 reminded me why I do this. "
    "Barely slept after a 30-hour call shift, but worth it. #medicine"
)


@pytest.fixture
def panel_with_post(qtbot, services):
    from dataclasses import replace

    from medshare_desktop.ui.risk_panel.risk_panel import RiskPanel

    services.posts.store_imported([replace(make_imported(1)[0], text=RISKY)], [], "test")
    post = services.posts.start_review(services.posts.get(services.posts.query(PostFilter())[0].id))
    reviews = services.risk.analyze_post(post)
    panel = RiskPanel(services.posts, services.risk)
    qtbot.addWidget(panel)
    panel.resize(900, 700)
    panel.show()
    panel.show_post(post, reviews)
    yield panel, post, reviews
    QThreadPool.globalInstance().waitForDone(30_000)


def test_every_finding_is_highlighted_and_listed_under_its_category(panel_with_post) -> None:
    panel, _post, reviews = panel_with_post
    categories = {r.finding.category for r in reviews}
    assert {RiskCategory.PATIENT_STORY, RiskCategory.PHI, RiskCategory.DISCOVERABLE} <= categories
    assert len(panel.editor.extraSelections()) == len(reviews)
    groups = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert any(g.startswith("Patient identifiers (PHI)") for g in groups)
    assert "cannot be approved" in panel.summary.text()


def test_clicking_a_finding_selects_its_span_and_moving_the_caret_selects_the_finding(qtbot, panel_with_post) -> None:
    panel, _post, reviews = panel_with_post
    group = panel.tree.topLevelItem(0)
    panel.tree.setCurrentItem(group.child(0))
    finding, _review = panel.tree.current_entry()
    assert panel.editor.textCursor().selectedText() == finding.text
    assert finding.message in panel.details.text()

    room = next(r.finding for r in reviews if "412" in r.finding.text)
    cursor = panel.editor.textCursor()
    cursor.setPosition(room.start + 1)
    panel.editor.setTextCursor(cursor)
    assert panel.tree.current_entry()[0] == room


def test_resolving_every_high_finding_unblocks_approval_and_is_audited(qtbot, monkeypatch, services,
                                                                      panel_with_post) -> None:
    panel, post, reviews = panel_with_post
    for review in [r for r in reviews if r.finding.severity is Severity.HIGH]:
        panel.tree.select_finding(review.finding)
        panel._on_tree_finding_selected(review.finding)
        panel.accept_button.click()
        panel.reason_dialog.ok_button.click()  # no reason: the dialog stays, the finding stays open
        assert panel.reason_dialog.isVisible() and panel.reason_dialog.error.isVisible()
        QThreadPool.globalInstance().waitForDone(10_000)
        assert next(r for r in services.posts.findings(post.id) if r.id == review.id).is_open
        panel.reason_dialog.field.setText("Reviewed with the author; not a patient.")
        with qtbot.waitSignal(panel.finding_resolved, timeout=10_000):
            panel.reason_dialog.ok_button.click()
    stored = services.posts.findings(post.id)
    assert all(not r.is_open for r in stored if r.finding.severity is Severity.HIGH)
    assert {r.resolution for r in stored if not r.is_open} == {Resolution.ACCEPTED}
    assert services.posts.approve(services.posts.get(post.id)).state is PostState.APPROVED
    actions = [e.action for e in services.audit.history("post", post.id)]
    assert actions.count("finding.resolved") == len([r for r in reviews if r.finding.severity is Severity.HIGH])


def test_editing_re_analyses_the_edit_and_saving_keeps_the_original(qtbot, services, panel_with_post) -> None:
    panel, post, _reviews = panel_with_post
    panel.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(panel.editor, " Her daughter's cell is 617-555-0199.")
    assert panel.dirty and "not saved" not in panel.summary.text()
    qtbot.waitUntil(lambda: any(f.kind == "phone" for f in panel.editor.findings()), timeout=20_000)
    assert "not saved" in panel.summary.text()
    assert not panel.fixed_button.isEnabled()  # an unsaved edit's findings cannot be resolved yet
    with qtbot.waitSignal(panel.post_saved, timeout=20_000):
        panel.save_button.click()
    saved = services.posts.get(post.id)
    assert saved.text == RISKY
    assert saved.repurposed_text.endswith("Her daughter's cell is 617-555-0199.")
    assert any(r.finding.kind == "phone" for r in services.posts.findings(post.id))
    assert "617-555-0199" in panel.diff.toPlainText()


def _select(panel, finding) -> None:
    panel.tree.select_finding(finding)
    panel._on_tree_finding_selected(finding)


def _span_format(panel, finding):
    from PySide6.QtGui import QTextCharFormat

    return next(
        QTextCharFormat(s.format) for s in panel.editor.extraSelections()
        if s.cursor.selectionStart() == finding.start and s.cursor.selectionEnd() == finding.end
    )


def test_fixed_in_text_with_the_text_unchanged_is_refused_and_says_why(qtbot, services, panel_with_post) -> None:
    panel, post, reviews = panel_with_post
    story = next(r for r in reviews if r.finding.category is RiskCategory.PATIENT_STORY)
    _select(panel, story.finding)
    assert panel.fixed_button.isEnabled()
    panel.fixed_button.click()
    qtbot.waitUntil(lambda: panel.notice.property("kind") == "problem", timeout=20_000)
    assert "still in the text to share" in panel.notice.text() and panel.notice.isVisible()
    assert services.posts.get_finding(story.id).is_open
    assert "cannot be approved" in panel.summary.text()


def test_a_resolved_span_looks_muted_and_reopening_it_brings_the_warning_back(qtbot, services,
                                                                             panel_with_post) -> None:
    from PySide6.QtGui import QTextCharFormat

    panel, post, reviews = panel_with_post
    room = next(r for r in reviews if r.finding.text == "room 412")
    open_format = _span_format(panel, room.finding)
    assert open_format.underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline

    accepted = services.posts.resolve_finding(room.id, Resolution.FALSE_POSITIVE, "A lecture room.")
    panel.show_post(services.posts.get(post.id), services.posts.findings(post.id))
    muted = _span_format(panel, room.finding)
    assert muted.underlineStyle() == QTextCharFormat.UnderlineStyle.DotLine
    assert muted.background().color() != open_format.background().color()
    assert muted.foreground().color() != open_format.foreground().color()
    assert accepted.finding in panel.editor.resolved()
    row = panel.tree.findItems("room 412", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)[0]
    assert row.text(0).startswith("✓") and "false positive by tester — A lecture room." in row.text(0)

    _select(panel, room.finding)
    assert panel.reopen_button.isEnabled() and not panel.accept_button.isEnabled()
    with qtbot.waitSignal(panel.post_saved, timeout=10_000):
        panel.reopen_button.click()
    assert services.posts.get_finding(room.id).is_open
    assert _span_format(panel, room.finding).underlineStyle() == QTextCharFormat.UnderlineStyle.WaveUnderline
    assert "Reopened" in panel.notice.text()
    assert "finding.reopened" in [e.action for e in services.audit.history("post", post.id)]


def test_saving_an_edit_that_removes_the_story_says_it_is_fixed_and_what_will_be_shared(qtbot, services,
                                                                                        panel_with_post) -> None:
    panel, post, _reviews = panel_with_post
    panel.begin_repurpose()
    assert "Repurposing" in panel.notice.text()
    panel.editor.setPlainText("Barely slept after a 30-hour call shift, but worth it. #medicine")
    with qtbot.waitSignal(panel.post_saved, timeout=20_000):
        panel.save_button.click()
    assert panel.notice.text().startswith("Repurposed version saved — this is what will be shared.")
    assert "Fixed by your edit" in panel.notice.text()
    assert panel.tabs.tabText(0) == "Text to share (repurposed ✎)"
    assert "cannot be approved" not in panel.summary.text()
    assert services.posts.approve(services.posts.get(post.id)).state is PostState.APPROVED


def test_changes_from_the_original_is_a_word_diff_removed_struck_in_red_added_in_green(panel_with_post) -> None:
    panel, _post, _reviews = panel_with_post
    panel.editor.setPlainText(RISKY.replace("A patient I saw today in room 412", "Our team"))
    html = panel.diff.toHtml()
    assert "line-through" in html and "#b00020" in html and "#0a6b2d" in html
    plain = panel.diff.toPlainText()
    assert "room 412" in plain and "Our team" in plain and "@@" not in plain and "---" not in plain
    cursor = panel.diff.document().find("room 412")
    assert cursor.charFormat().fontStrikeOut()
    assert not panel.diff.document().find("reminded").charFormat().fontStrikeOut()
