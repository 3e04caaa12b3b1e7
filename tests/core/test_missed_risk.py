"""'Missed risk' marks through the real services, the real risk engine and a real SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from medshare_desktop.core.errors import WorkflowError
from medshare_desktop.core.models import ImportedPost, Platform, PostState, Resolution, RiskCategory
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.missed_risk import is_reviewer_finding

TEXT = "Great week on the unit. Honestly the new rota is a shambles and management should be embarrassed."
MARKED = "the new rota is a shambles"


def _post(services, text: str = TEXT):
    post = ImportedPost(Platform.LINKEDIN, text, datetime(2026, 11, 2, 9, 0, tzinfo=UTC), author="Dr. Lee",
                        external_id="missed-1")
    services.posts.store_imported([post], [], "test")
    post = services.posts.get(services.posts.query(PostFilter())[0].id)
    services.risk.analyze_post(post)
    return services.posts.start_review(services.posts.get(post.id))


def _mark(services, post, words: str = MARKED, category=RiskCategory.UNPROFESSIONAL, note: str = "Tone."):
    start = post.text_for_share.index(words)
    return services.missed_risks.mark(post.id, start, start + len(words), category, note)


def _reviewer(findings):
    return [r for r in findings if is_reviewer_finding(r.finding)]


def test_a_missed_risk_is_an_open_finding_that_blocks_approval_until_accepted(services) -> None:
    post = _post(services)
    [added] = _reviewer(_mark(services, post))
    assert added.finding.text == MARKED and added.finding.category is RiskCategory.UNPROFESSIONAL
    assert "tester" in added.finding.message and "Tone." in added.finding.message
    with pytest.raises(WorkflowError, match="unresolved"):
        services.posts.approve(services.posts.get(post.id))
    services.posts.resolve_finding(added.id, Resolution.ACCEPTED, "The author agreed to keep it.")
    blocking = [r for r in services.posts.findings(post.id) if r.is_open and r.finding.severity.value == "high"]
    for review in blocking:  # whatever the engine found itself is not what this test is about
        services.posts.resolve_finding(review.id, Resolution.ACCEPTED, "Not under test.")
    assert services.posts.approve(services.posts.get(post.id)).state is PostState.APPROVED


def test_a_missed_risk_survives_reanalysis_with_its_decision(services) -> None:
    post = _post(services)
    [added] = _reviewer(_mark(services, post))
    services.posts.resolve_finding(added.id, Resolution.ACCEPTED, "Kept on purpose.")
    services.risk.analyze_post(services.posts.get(post.id))
    [again] = _reviewer(services.posts.findings(post.id))
    assert again.finding.text == MARKED and again.resolution is Resolution.ACCEPTED


def test_a_missed_risk_is_fixed_when_the_saved_text_no_longer_holds_it(services) -> None:
    post = _post(services)
    [added] = _reviewer(_mark(services, post))
    with pytest.raises(WorkflowError, match="still in the text"):
        services.risk.mark_fixed(added.id)
    result = services.risk.repurpose(services.posts.get(post.id), "Great week on the unit. Thanks, everyone.")
    assert _reviewer(result.findings) == []
    assert [f.finding.text for f in result.fixed if is_reviewer_finding(f.finding)] == [MARKED]


def test_only_its_author_can_remove_a_mark_and_the_trail_has_both(services) -> None:
    post = _post(services)
    [added] = _reviewer(_mark(services, post))
    services.audit.actor = "someone-else"
    with pytest.raises(WorkflowError, match="Only tester"):
        services.missed_risks.remove(added.id)
    services.audit.actor = "tester"
    assert _reviewer(services.missed_risks.remove(added.id, "Wrong words.")) == []
    assert _reviewer(services.posts.findings(services.risk.analyze_post(services.posts.get(post.id))[0].post_id)) == []
    events = {e.action: e for e in services.audit.history("post", post.id)}
    assert json.loads(events["finding.missed_risk_marked"].after)["text"] == MARKED
    assert json.loads(events["finding.missed_risk_removed"].after)["reason"] == "Wrong words."
    assert services.audit.verify() == []


def test_marking_an_approved_post_sends_it_back_to_review(services) -> None:
    post = _post(services, "Lovely morning walk with the team before clinic.")
    for review in services.posts.findings(post.id):
        services.posts.resolve_finding(review.id, Resolution.ACCEPTED, "Not under test.")
    post = services.posts.approve(services.posts.get(post.id))
    _mark(services, post, "before clinic", RiskCategory.DISCOVERABLE, "")
    assert services.posts.get(post.id).state is PostState.IN_REVIEW


def test_the_teams_decisions_become_sentences_to_learn_from(services) -> None:
    post = _post(services)
    _mark(services, post)
    decisions = services.learning.decisions()
    assert decisions.missed_risks == 1
    assert [(e.text, e.label) for e in decisions.examples] == [
        ("Honestly the new rota is a shambles and management should be embarrassed.", "unprofessional")
    ]


def test_words_selected_on_a_screen_that_counts_line_breaks_differently_are_found(services) -> None:
    text = "Long night.\r\nHonestly the new rota is a shambles and management should be embarrassed."
    post = _post(services, text)
    start = text.replace("\r\n", "\n").index(MARKED)  # what a text box shows: one character per line break
    reviews = services.missed_risks.mark(post.id, start, start + len(MARKED), RiskCategory.UNPROFESSIONAL, "", MARKED)
    [added] = _reviewer(reviews)
    assert text[added.finding.start : added.finding.end] == MARKED
