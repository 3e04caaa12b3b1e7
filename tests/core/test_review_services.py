"""The review workflow through the real services on a real SQLite file."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from medshare_desktop.core.errors import WorkflowError
from medshare_desktop.core.models import Finding, PostState, Resolution, RiskCategory, Severity
from medshare_desktop.core.ports import PostFilter
from tests.behind_the_back import drop_trigger
from tests.conftest import make_imported


def _one_post(services):
    services.posts.store_imported(make_imported(1), [], "x")
    return services.posts.get(services.posts.query(PostFilter())[0].id)


def _high_finding(text_: str = "room 412") -> Finding:
    return Finding(0, len(text_), text_, RiskCategory.PHI, "location", Severity.HIGH, "phi.room", "A room number.")


def test_review_approve_schedule_share_path_is_audited_with_before_and_after(services) -> None:
    post = _one_post(services)
    post = services.posts.start_review(post)
    post = services.posts.approve(post)
    assert post.state is PostState.APPROVED
    events = services.audit.history("post", post.id)
    assert [e.action for e in events] == ["post.in_review", "post.approved"]
    assert json.loads(events[-1].before)["state"] == "in_review"
    assert json.loads(events[-1].after)["state"] == "approved"
    assert all(e.actor == "tester" for e in events)
    assert services.audit.verify() == []


def test_an_unresolved_high_severity_finding_blocks_approval_until_resolved_with_a_reason(services) -> None:
    post = services.posts.start_review(_one_post(services))
    [stored] = services.posts.store_findings(post.id, [_high_finding()])
    with pytest.raises(WorkflowError, match="unresolved high-severity"):
        services.posts.approve(post)
    with pytest.raises(WorkflowError, match="needs a reason"):
        services.posts.resolve_finding(stored.id, Resolution.ACCEPTED, "  ")
    resolved = services.posts.resolve_finding(stored.id, Resolution.FALSE_POSITIVE, "It is a conference room.")
    assert resolved.resolved_by == "tester" and not resolved.is_open
    assert services.posts.approve(services.posts.get(post.id)).state is PostState.APPROVED


def test_reanalysis_keeps_the_reviewers_resolution_of_the_same_finding(services) -> None:
    post = _one_post(services)
    [stored] = services.posts.store_findings(post.id, [_high_finding()])
    services.posts.resolve_finding(stored.id, Resolution.ACCEPTED, "The room is named in a public notice.")
    [again] = services.posts.store_findings(post.id, [_high_finding()])
    assert again.resolution is Resolution.ACCEPTED and again.resolution_reason.startswith("The room")


def test_repurposing_keeps_the_original_text_and_attribution(services) -> None:
    post = _one_post(services)
    edited = services.posts.repurpose(post, "Proud of our cardiology team! (via Dr. Anika Patel)")
    assert edited.text == post.text and edited.author == post.author and edited.url == post.url
    assert edited.text_for_share.startswith("Proud of our cardiology team!")
    assert services.posts.count(PostFilter(search="via")) == 1  # the repurposed copy is searchable too
    assert "post.repurposed" in [e.action for e in services.audit.history("post", post.id)]


def test_rejecting_requires_a_reason_and_records_it(services) -> None:
    post = _one_post(services)
    with pytest.raises(WorkflowError):
        services.posts.reject(post, "")
    rejected = services.posts.reject(post, "Mentions a patient's room.")
    assert rejected.reject_reason == "Mentions a patient's room."
    assert services.posts.get(post.id).state is PostState.REJECTED


def test_audit_verify_names_an_event_edited_behind_the_apps_back(services) -> None:
    post = _one_post(services)
    services.posts.start_review(post)
    with services.database.engine.begin() as conn:
        drop_trigger(conn, "audit_event_no_update", "audit_event")
        conn.execute(text("UPDATE audit_event SET actor = 'mallory' WHERE action = 'post.in_review'"))
    problems = services.audit.verify()
    assert len(problems) == 2 and "edited" in problems[0]
    assert "trigger audit_event_no_update is missing" in problems[1]  # the dropped guard is reported too


def test_a_failed_change_leaves_no_audit_event(services) -> None:
    post = _one_post(services)
    before = len(services.audit.history("post", post.id))
    with pytest.raises(WorkflowError):
        services.posts.approve(post)  # NEW -> APPROVED is not allowed
    assert len(services.audit.history("post", post.id)) == before
