"""After the risk engine changes (an update, the team's retrain, a rollback), the posts still under review are
checked again with it, reviewers' decisions kept; decided posts keep the findings they were decided on."""

from __future__ import annotations

from medshare_desktop.core.models import Resolution
from medshare_desktop.core.ports import PostFilter

RISKY = "Mrs. Delacroix in room 412 finally went home today after her hip surgery."
MISSED = "Kezia rang me at 2 a.m. to say her waters had gone, so I drove out to the farm in Amberhythe."
DECIDED = "Mr. Okafor in bed 7 told me his whole life story tonight."


def _ids(services) -> dict[str, int]:
    return {row.excerpt[:8]: row.id for row in services.posts.query(PostFilter())}


def _as_if_an_older_engine(services) -> dict[str, int]:
    """Three posts analysed; then the record says an older engine found them: nothing in MISSED and DECIDED."""
    for text in (RISKY, MISSED, DECIDED):
        services.imports.import_pasted(text)
    services.risk.load()
    assert services.risk.analyze_unanalysed() == 3
    ids = _ids(services)
    services.posts.store_findings(ids["Kezia ra"], [])
    services.posts.store_findings(ids["Mr. Okaf"], [])
    services.posts.reject(services.posts.get(ids["Mr. Okaf"]), "Not for us.")
    services.settings.set_engine_fingerprint("an-older-engine", 3)
    return ids


def test_the_review_queue_is_checked_again_and_decisions_are_kept(services) -> None:
    ids = _as_if_an_older_engine(services)
    [room] = [f for f in services.posts.findings(ids["Mrs. Del"]) if f.finding.text == "room 412"]
    services.posts.resolve_finding(room.id, Resolution.FALSE_POSITIVE, "A ward room, said with permission.")

    assert services.risk.recheck_after_update() == 2  # the two posts under review; the rejected one is decided
    assert [f.finding.text for f in services.posts.findings(ids["Kezia ra"]) if f.finding.category.value == "phi"]
    [again] = [f for f in services.posts.findings(ids["Mrs. Del"]) if f.finding.text == "room 412"]
    assert again.resolution is Resolution.FALSE_POSITIVE  # the reviewer's decision stands
    assert services.posts.findings(ids["Mr. Okaf"]) == []  # rejected: kept as it was decided
    assert services.risk.recheck_after_update() == 0  # the same engine: nothing to do
    events = [e for e in services.audit.history("setting", None) if e.action == "risk.engine_changed"]
    assert '"posts_rechecked": 2' in events[-1].after and '"an-older-eng"' in events[-1].before
    assert services.audit.verify() == []


def test_a_cancelled_recheck_leaves_the_old_engine_on_record_so_the_next_start_finishes(services) -> None:
    ids = _as_if_an_older_engine(services)
    assert services.risk.recheck_after_update(cancelled=lambda: True) == 0
    assert services.settings.engine_fingerprint() == "an-older-engine"
    assert services.posts.findings(ids["Kezia ra"]) == []
    assert services.risk.recheck_after_update() == 2


def test_a_new_database_records_the_engine_without_checking_anything_twice(services) -> None:
    services.imports.import_pasted(RISKY)
    services.risk.load()
    assert services.risk.recheck_after_update() == 0  # nothing analysed yet: analyze_unanalysed does it
    assert services.risk.analyze_unanalysed() == 1
    assert services.settings.engine_fingerprint() is not None
    assert services.risk.recheck_after_update() == 0


def test_a_finding_the_new_engine_drops_is_on_record_as_not_found_again_not_as_fixed(services) -> None:
    services.imports.import_pasted("Had a lovely chat with the team today about our new garden.")
    services.risk.load()
    services.risk.analyze_unanalysed()
    [row] = services.posts.query(PostFilter())
    from medshare_desktop.core.models import Finding, RiskCategory, Severity

    services.posts.store_findings(row.id, [Finding(0, 9, "Had a lov", RiskCategory.UNPROFESSIONAL, "tone", Severity.LOW,
                                                   "an.old.rule", "An older engine thought so.")])
    services.settings.set_engine_fingerprint("an-older-engine", 1)
    assert services.risk.recheck_after_update() == 1
    assert services.posts.findings(row.id) == []
    actions = [e.action for e in services.audit.history("post", row.id)]
    assert actions[-1] == "finding.not_found_again" and "finding.fixed" not in actions


def test_a_recheck_keeps_the_photo_consent_finding_of_a_person_tagged_in_the_photos(services) -> None:
    """The re-check reads a post as the risk panel does: someone tagged in its photos without photo consent is
    still flagged after the engine changed (the consent guarantee does not depend on the engine's version)."""
    from datetime import UTC, datetime

    from medshare_desktop.core.models import ImportedPost, Person, Platform

    person = services.people.add_person(Person(None, "Cora Vidal"))
    services.posts.store_imported([ImportedPost(Platform.OTHER, "Our team at the open day.",
                                               datetime(2026, 5, 1, tzinfo=UTC), media=("a.jpg",))], [], "test")
    post_id = services.posts.query(PostFilter())[0].id
    services.risk.load()
    services.risk.tag_and_analyse(post_id, [person.id])

    def photo_consent() -> list[str]:
        return [f.finding.kind for f in services.posts.findings(post_id) if f.finding.category.value == "consent"]

    assert photo_consent() == ["photo_without_consent"]
    services.settings.set_engine_fingerprint("an-older-engine", 1)
    assert services.risk.recheck_after_update() == 1
    assert photo_consent() == ["photo_without_consent"]
