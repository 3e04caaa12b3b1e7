"""The risk panel with the real spaCy engine: highlights, selection both ways, resolving, live edits."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool
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
