"""The History tab says what happened in sentences, from the post's real audit trail."""

from __future__ import annotations

from dataclasses import replace

from medshare_desktop.core.models import Resolution, Severity
from medshare_desktop.core.ports import PostFilter
from tests.conftest import make_imported

RISKY = "A patient I saw today in room 412 reminded me why I do this. Proud of our team."


def test_history_reads_as_sentences_for_every_step_of_a_review(qtbot, services) -> None:
    from medshare_desktop.ui.inbox.history_view import SENTENCES, HistoryView

    services.posts.store_imported([replace(make_imported(1)[0], text=RISKY)], [], "test")
    post = services.posts.start_review(services.posts.get(services.posts.query(PostFilter())[0].id))
    reviews = services.risk.analyze_post(post)
    room = next(r for r in reviews if r.finding.text == "room 412")
    services.posts.resolve_finding(room.id, Resolution.FALSE_POSITIVE, "A lecture room.")
    services.posts.reopen_finding(room.id)
    edited = services.risk.repurpose(services.posts.get(post.id), "Our team reminded me why I do this.")
    assert not [r for r in edited.findings if r.finding.severity is Severity.HIGH]
    services.posts.approve(edited.post)

    view = HistoryView()
    qtbot.addWidget(view)
    events = services.audit.history("post", post.id)
    view.show_events(events)
    lines = view.toPlainText().splitlines()
    assert len(lines) == len(events)
    sentences = [line.split(" · ", 1)[1] for line in lines]
    assert sentences[0] == "tester started the review"
    assert sentences[1].startswith("Checked for risks: ") and "patient story" in sentences[1]
    assert "tester marked the location finding “room 412” as not a risk: A lecture room." in sentences
    assert "tester reopened the location finding “room 412” (it had been false positive: A lecture room.)" in sentences
    assert "tester saved an edited version to share: “Our team reminded me why I do this.”" in sentences
    assert any(s.startswith("Fixed by the edit: ") and "“room 412”" in s for s in sentences)
    kept = services.approvals.snapshots(post.id)[-1].sha256  # the evidence snapshot kept at approval
    assert sentences[-1] == f"Approved by tester; evidence kept (SHA-256 {kept[:12]}…)"
    # every kind of event on a post has its sentence: no event key ("post.approved") is shown
    assert {e.action for e in events} <= set(SENTENCES)
    assert not [s for s in sentences if "post." in s or "finding." in s or "_" in s]


def test_a_recheck_by_an_updated_engine_reads_as_such_not_as_an_edit(qtbot, services) -> None:
    from medshare_desktop.core.models import Finding, RiskCategory
    from medshare_desktop.ui.inbox.history_view import SENTENCES, HistoryView

    services.posts.store_imported([replace(make_imported(1)[0], text="Lovely morning with the team.")], [], "test")
    post_id = services.posts.query(PostFilter())[0].id
    services.posts.store_findings(post_id, [Finding(0, 6, "Lovely", RiskCategory.UNPROFESSIONAL, "tone", Severity.LOW,
                                                    "an.old.rule", "An older engine thought so.")])
    services.posts.store_recheck(post_id, [])
    view = HistoryView()
    qtbot.addWidget(view)
    events = services.audit.history("post", post_id)
    view.show_events(events)
    last = view.toPlainText().splitlines()[-1].split(" · ", 1)[1]
    assert last == "Checked again by the updated risk engine: 1 earlier finding(s) no longer found (“Lovely”)"
    assert {e.action for e in events} <= set(SENTENCES)
