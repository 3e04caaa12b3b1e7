"""Suggested re-shares as a user sees them: which post comes first, and the words saying why."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import (
    Channel,
    ConsentRecord,
    ConsentScope,
    Finding,
    ImportedPost,
    Person,
    Platform,
    RiskCategory,
    Severity,
    SourceAccount,
)
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.suggestion import SuggestionWeights

GOOD = (
    "Our new heart failure clinic opens on Monday. Patients can ask their family doctor for a referral. "
    "Read more at https://hospital.example.org/heart"
)


def _person(services, name: str, department: str, handle: str) -> Person:
    person = services.people.add_person(Person(None, name, department=department))
    services.people.add_account(SourceAccount(None, person.id, Platform.LINKEDIN, handle))
    today = date.today()
    services.consent.add_record(
        ConsentRecord(None, person.id, frozenset({ConsentScope.NAME, ConsentScope.STORY}),
                      frozenset({Channel.PUBLIC_SOCIAL, Channel.INTERNAL}), today - timedelta(days=400),
                      today + timedelta(days=400))
    )
    return person


def _post(services, person: Person, handle: str, text: str, days_ago: int, key: str, **extra) -> int:
    posted = datetime.now(UTC) - timedelta(days=days_ago)
    services.posts.store_imported(
        [ImportedPost(Platform.LINKEDIN, text, posted, author=person.name, handle=handle, external_id=key, **extra)],
        [], "test",
    )
    return next(s.id for s in services.posts.query(PostFilter(), 0, 500) if services.posts.get(s.id).external_id == key)


def _reshare(services, post_id: int, day: date) -> None:
    post = services.posts.approve(services.posts.start_review(services.posts.get(post_id)))
    services.schedule.schedule(post.id, day, allow_past=True, override_reason="history for the test")


def _order(services, **kwargs) -> list[int]:
    return [s.post_id for s in services.suggestions.ranked(candidates_only=True, **kwargs)]


@pytest.fixture
def team(services):
    """Ana (Cardiology) re-shared often lately; Ben (Pediatrics) never; each with the same good post."""
    ana = _person(services, "Dr. Ana Frequent", "Cardiology", "ana-frequent")
    ben = _person(services, "Dr. Ben Newvoice", "Pediatrics", "ben-newvoice")
    today = date.today()
    for i in range(3):
        old = _post(services, ana, "ana-frequent", f"{GOOD} Week {i}.", 60, f"ana-old-{i}")
        _reshare(services, old, today - timedelta(days=20 + 15 * i))
    ana_post = _post(services, ana, "ana-frequent", GOOD + " From cardiology.", 3, "ana-new")
    ben_post = _post(services, ben, "ben-newvoice", GOOD + " From pediatrics.", 3, "ben-new")
    return {"ana": ana, "ben": ben, "ana_post": ana_post, "ben_post": ben_post}


def test_a_never_reshared_persons_good_post_ranks_above_a_frequent_sharers(services, team):
    order = _order(services)
    assert order.index(team["ben_post"]) < order.index(team["ana_post"])
    ben = services.suggestions.explain(team["ben_post"])
    assert "Dr. Ben Newvoice has never been re-shared" in ben.reasons
    ana = services.suggestions.explain(team["ana_post"])
    assert any("3 re-shares in the last 90 days" in r for r in ana.reasons)
    assert 0 <= ana.score < ben.score <= 100


def test_an_open_high_finding_sinks_a_post_below_every_post_without_one(services, team):
    high = Finding(0, 5, "Our n", RiskCategory.PHI, "name", Severity.HIGH, "test.rule", "A patient is named.")
    services.posts.store_findings(team["ben_post"], [high])
    order = _order(services)
    assert order[-1] == team["ben_post"]
    sunk = services.suggestions.explain(team["ben_post"])
    assert sunk.reasons[0].startswith("Open high-risk finding")
    # whatever the weights, it stays below the post without one
    services.suggestions.set_weights(SuggestionWeights(quality=0, engagement=0, freshness=0, standing=100, headroom=0))
    assert _order(services).index(team["ben_post"]) > _order(services).index(team["ana_post"])


def test_an_evergreen_post_beats_a_stale_one(services):
    cara = _person(services, "Dr. Cara Twoposts", "Radiology", "cara-two")
    stale = _post(services, cara, "cara-two", GOOD + " Stale one.", 160, "cara-stale")
    kept = _post(services, cara, "cara-two", GOOD + " Timeless one.", 170, "cara-kept")
    assert _order(services).index(stale) < _order(services).index(kept)  # the newer of two old posts first
    changes = services.suggestions.set_evergreen(kept, True)
    assert kept in changes.post_ids
    assert _order(services).index(kept) < _order(services).index(stale)
    assert "Marked evergreen by the team" in services.suggestions.explain(kept).reasons
    assert any("Stale" in r for r in services.suggestions.explain(stale).reasons)
    assert "post.evergreen_marked" in [e.action for e in services.audit.history("post", kept)]
    services.suggestions.set_evergreen(kept, False)
    assert not services.suggestions.is_evergreen(kept)
    assert "post.evergreen_cleared" in [e.action for e in services.audit.history("post", kept)]


def test_the_weights_change_the_order_and_are_kept(services, team):
    ana = team["ana"]
    fresh_but_frequent = team["ana_post"]
    cara = _person(services, "Dr. Cara Quiet", "Cardiology", "cara-quiet")  # Cardiology was re-shared (Ana)
    stale_but_new_voice = _post(services, cara, "cara-quiet", GOOD + " An old one.", 170, "cara-old")
    assert _order(services).index(stale_but_new_voice) < _order(services).index(fresh_but_frequent)
    services.suggestions.set_weights(SuggestionWeights(quality=10, engagement=0, freshness=100, standing=0, headroom=0))
    assert services.suggestions.weights().freshness == 100
    assert _order(services).index(fresh_but_frequent) < _order(services).index(stale_but_new_voice)
    assert ana.id is not None


def test_weights_out_of_range_are_refused_in_words(services):
    with pytest.raises(ValidationError, match="between 0 and 100"):
        services.suggestions.set_weights(SuggestionWeights(quality=-1))
    with pytest.raises(ValidationError, match="above 0"):
        services.suggestions.set_weights(SuggestionWeights(0, 0, 0, 0, 0))


def test_a_wall_of_hashtags_and_a_long_text_cost_quality(services):
    dan = _person(services, "Dr. Dan Tags", "Oncology", "dan-tags")
    walled = _post(services, dan, "dan-tags", "Great day! #health #care #team #love #hospital #doctor #nurse #win", 2, "d1")
    plain = _post(services, dan, "dan-tags", GOOD, 2, "d2")
    reasons = services.suggestions.explain(walled).reasons
    assert any(r.startswith("A wall of hashtags (8)") for r in reasons)
    assert services.suggestions.explain(plain).score > services.suggestions.explain(walled).score


def test_engagement_kept_on_import_is_counted_in_words(services):
    eve = _person(services, "Dr. Eve Popular", "Surgery", "eve-popular")
    liked = _post(services, eve, "eve-popular", GOOD + " Liked.", 2, "e1", likes=240, reposts=31)
    quiet = _post(services, eve, "eve-popular", GOOD + " Quiet.", 2, "e2", likes=0, reposts=0)
    _post(services, eve, "eve-popular", GOOD + " Middle.", 2, "e3", likes=10, reposts=1)
    assert "Well received where it was posted (240 likes, 31 reposts)" in services.suggestions.explain(liked).reasons
    assert services.suggestions.explain(liked).score > services.suggestions.explain(quiet).score


def test_closed_posts_score_zero_with_the_reason(services, team):
    post = services.posts.reject(services.posts.start_review(services.posts.get(team["ben_post"])), "Off-topic here.")
    found = services.suggestions.explain(post.id)
    assert (found.score, found.reasons) == (0, ("Rejected: not a candidate",))
    assert post.id not in _order(services)


def test_likes_and_reposts_in_an_x_archive_are_kept_on_import(services, tmp_path):
    from tests.importers.conftest import DATA, zip_folder

    archive = zip_folder(DATA / "x_archive", tmp_path / "twitter-2024-11-01-abc123.zip")
    services.imports.import_source(str(archive))
    counted = [s for s in services.suggestions.ranked() if any("12 likes, 3 reposts" in r for r in s.reasons)]
    assert len(counted) == 1


def test_scores_follow_a_change_to_someone_elses_post_of_the_same_person(services, team):
    """Scores are kept between changes; a re-share of one of Ben's posts changes the standing of his others."""
    other = _post(services, team["ben"], "ben-newvoice", GOOD + " Another one.", 4, "ben-other")
    before = {s.post_id: s.score for s in services.suggestions.ranked(reasons=False)}
    _reshare(services, team["ben_post"], date.today())
    after = {s.post_id: s.score for s in services.suggestions.ranked(reasons=False)}
    assert after[team["ben_post"]] == 0  # scheduled: no longer a candidate
    assert after[other] < before[other]  # Ben has been re-shared now
    assert "Dr. Ben Newvoice has never been re-shared" not in services.suggestions.explain(other).reasons
    # what was kept from before the change agrees with scoring everything afresh
    from medshare_desktop.core.services.suggestion_service import SuggestionService

    fresh = SuggestionService(services.suggestions._uow, services.audit, services.settings)  # noqa: SLF001
    assert {s.post_id: s.score for s in fresh.ranked(reasons=False)} == after
