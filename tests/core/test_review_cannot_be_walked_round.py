"""Review that cannot be walked round: the services, with the real risk engine, on a real SQLite file.

A high finding is "fixed" only when the text to share no longer contains it; otherwise it needs a
reason. Approval follows the text actually checked, resolutions can be reopened, and every step is
in the audit trail.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from sqlalchemy import text

from medshare_desktop.core.errors import NotFoundError, WorkflowError
from medshare_desktop.core.models import PostState, Resolution, RiskCategory, Severity
from medshare_desktop.core.ports import PostFilter
from tests.conftest import make_imported

STORY = "A patient I saw today in room 412 reminded me why I do this."
RISKY = STORY + " Proud of our cardiology team. #medicine"
CLEAN = "Our cardiology team reminded me why I do this. Proud of them. #medicine"


@pytest.fixture
def in_review(services):
    services.posts.store_imported([replace(make_imported(1)[0], text=RISKY)], [], "test")
    post = services.posts.start_review(services.posts.get(services.posts.query(PostFilter())[0].id))
    reviews = services.risk.analyze_post(post)
    return post, reviews


def _story(reviews):
    return next(r for r in reviews if r.finding.category is RiskCategory.PATIENT_STORY)


def _highs(reviews):
    return [r for r in reviews if r.finding.severity is Severity.HIGH]


def test_marking_a_finding_fixed_while_the_text_still_contains_it_is_refused(services, in_review) -> None:
    post, reviews = in_review
    story = _story(reviews)
    with pytest.raises(WorkflowError, match="still in the text to share"):
        services.risk.mark_fixed(story.id)
    with pytest.raises(WorkflowError, match="only when the text to share no longer contains it"):
        services.posts.resolve_finding(story.id, Resolution.FIXED)  # the service refuses, not only the panel
    assert services.posts.get_finding(story.id).is_open
    with pytest.raises(WorkflowError, match="unresolved high-severity"):
        services.posts.approve(services.posts.get(post.id))
    assert services.posts.get(post.id).state is PostState.IN_REVIEW


def test_editing_the_story_out_records_it_as_fixed_and_then_approval_is_possible(services, in_review) -> None:
    post, reviews = in_review
    result = services.risk.repurpose(post, CLEAN)
    assert result.post.text_for_share == CLEAN and result.post.text == RISKY
    assert {r.finding.text for r in result.fixed} >= {STORY, "room 412"}
    assert not _highs(result.findings)
    approved = services.posts.approve(result.post)
    assert approved.state is PostState.APPROVED
    fixed_events = [e for e in services.audit.history("post", post.id) if e.action == "finding.fixed"]
    assert len(fixed_events) == 1
    assert {f["text"] for f in json.loads(fixed_events[0].after)["fixed"]} >= {STORY, "room 412"}


def test_a_finding_gone_after_a_new_check_can_be_confirmed_fixed(services, in_review) -> None:
    """Marking fixed checks the saved text again: here an edit was stored without its check."""
    post, reviews = in_review
    story = _story(reviews)
    services.posts.repurpose(post, CLEAN)  # stored without a check: the post is marked unchecked
    with pytest.raises(WorkflowError, match="not been checked"):
        services.posts.approve(services.posts.get(post.id))
    # a stale analysis of the old text, stored after the edit: the panel now shows its findings
    stale = _story(services.posts.store_findings(post.id, [r.finding for r in reviews]))
    assert stale.finding == story.finding and stale.is_open
    after = services.risk.mark_fixed(stale.id)
    assert STORY not in {r.finding.text for r in after}
    assert services.posts.approve(services.posts.get(post.id)).state is PostState.APPROVED


def test_a_finding_found_again_by_a_new_check_keeps_its_id_and_one_not_found_is_gone(services, in_review) -> None:
    """Another desk's panel still shows the earlier check: its finding ids stay valid on either engine."""
    post, reviews = in_review
    story = _story(reviews)
    others = [r for r in reviews if r.id != story.id]
    services.posts.resolve_finding(story.id, Resolution.ACCEPTED, "the patient asked us to share it")
    again = services.posts.store_findings(post.id, [r.finding for r in reversed(others)] + [story.finding])
    assert sorted(r.id for r in again) == sorted(r.id for r in reviews)
    assert services.posts.get_finding(story.id).resolution is Resolution.ACCEPTED
    gone = others[0]
    kept = services.posts.store_findings(post.id, [r.finding for r in reviews if r.id != gone.id])
    assert {r.id for r in kept} == {r.id for r in reviews} - {gone.id}
    with pytest.raises(NotFoundError, match="re-analysed"):
        services.posts.get_finding(gone.id)


def test_approval_is_refused_while_a_high_finding_is_still_in_the_text_whatever_it_is_marked(services,
                                                                                              in_review) -> None:
    post, reviews = in_review
    # a "fixed" mark left on a finding the text still contains (as older versions allowed) does not count
    with services.database.engine.begin() as conn:
        conn.execute(text("UPDATE finding SET resolution = 'fixed', resolved_by = 'old-version'"))
    with pytest.raises(WorkflowError, match="unresolved high-severity"):
        services.posts.approve(services.posts.get(post.id))
    # and a re-check of the unchanged text does not carry such a mark over
    again = services.risk.analyze_post(services.posts.get(post.id))
    assert all(r.is_open for r in _highs(again))


def test_accepting_needs_a_reason_and_reopening_undoes_it_until_resolved_again(services, in_review) -> None:
    post, reviews = in_review
    highs = _highs(reviews)
    with pytest.raises(WorkflowError, match="needs a reason"):
        services.posts.resolve_finding(highs[0].id, Resolution.ACCEPTED, "   ")
    for review in highs:
        services.posts.resolve_finding(review.id, Resolution.ACCEPTED, "The author confirmed it is made up.")
    approved = services.posts.approve(services.posts.get(post.id))
    assert approved.state is PostState.APPROVED

    reopened, post_now = services.posts.reopen_finding(highs[0].id)
    assert reopened.is_open and reopened.resolution_reason == ""
    assert post_now.state is PostState.IN_REVIEW  # the approval rested on that decision
    with pytest.raises(WorkflowError, match="unresolved high-severity"):
        services.posts.approve(post_now)
    with pytest.raises(WorkflowError, match="open already"):
        services.posts.reopen_finding(highs[0].id)

    services.posts.resolve_finding(highs[0].id, Resolution.FALSE_POSITIVE, "Room 412 is a lecture hall.")
    assert services.posts.approve(services.posts.get(post.id)).state is PostState.APPROVED
    events = services.audit.history("post", post.id)
    reopen = next(e for e in events if e.action == "finding.reopened")
    assert json.loads(reopen.before)["reason"] == "The author confirmed it is made up."
    assert json.loads(reopen.after)["resolution"] is None


def test_the_text_cannot_change_after_approval_without_a_new_approval(services, in_review) -> None:
    post, reviews = in_review
    approved = services.posts.approve(services.risk.repurpose(post, CLEAN).post)
    result = services.risk.repurpose(approved, RISKY + " Edited after approval.")
    assert result.post.state is PostState.IN_REVIEW  # back to review: the new text must be approved again
    with pytest.raises(WorkflowError, match="unresolved high-severity"):
        services.posts.approve(result.post)
    last = services.audit.history("post", post.id)[-3:]
    assert [e.action for e in last] == ["post.repurposed", "post.in_review", "post.analysed"]
    assert json.loads(last[1].after)["why"] == "edited after approval"


def test_a_scheduled_post_cannot_be_edited(services, in_review) -> None:
    post, _reviews = in_review
    approved = services.posts.approve(services.risk.repurpose(post, CLEAN).post)
    with services.database.engine.begin() as conn:  # scheduled, as the calendar would leave it
        conn.execute(text("UPDATE post SET state = 'scheduled' WHERE id = :id"), {"id": post.id})
    scheduled = services.posts.get(approved.id)
    with pytest.raises(WorkflowError, match="unschedule it"):
        services.risk.repurpose(scheduled, RISKY)
    assert services.posts.get(post.id).text_for_share == CLEAN


def test_putting_a_fixed_story_back_opens_it_again(services, in_review) -> None:
    post, _reviews = in_review
    cleaned = services.risk.repurpose(post, CLEAN)
    assert cleaned.fixed
    back = services.risk.repurpose(cleaned.post, RISKY)
    assert _story(back.findings).is_open
    with pytest.raises(WorkflowError, match="unresolved high-severity"):
        services.posts.approve(back.post)
