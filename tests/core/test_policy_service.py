"""For physicians: the policy sheet follows the team's settings, and the monthly note sorts a person's posts
into re-shared, scheduled, could not be (reasons in general words) and waiting — on a real SQLite file."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from medshare_desktop.core.models import (
    Channel,
    ConsentRecord,
    ConsentScope,
    Finding,
    ImportedPost,
    Person,
    Platform,
    RiskCategory,
    Role,
    Severity,
    SourceAccount,
)
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.cadence import CadencePolicy

TODAY = date(2026, 11, 1)
DOCTOR = "Dr. Ines Marlowe"
PATIENT_TEXT = "Mrs. Eleanor Whitcombe, 94, hugged me today after her bypass on 4 West."
REJECT_REASON = "Names Eleanor Whitcombe and her bypass"


def make_month(services) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Dr. Marlowe's November 2026: consent for her name only (no photos), six posts, each ending differently."""
    person = services.people.add_person(Person(None, DOCTOR, Role.PHYSICIAN, "Cardiology"))
    services.people.add_account(SourceAccount(None, person.id, Platform.LINKEDIN, "ines-marlowe"))
    services.consent.add_record(ConsentRecord(None, person.id, frozenset({ConsentScope.NAME}), frozenset(Channel),
                                              date(2026, 1, 1), date(2028, 12, 31)))
    texts = [
        ("shared", "Our cath lab team ran a heart health evening for the community.", ()),
        ("scheduled", "Proud of the cardiology nurses who trained forty new staff this week.", ()),
        ("over_limit", "A reminder to everyone: know the signs of a stroke and call for help fast.", ()),
        ("photo", "The new rehabilitation garden is open, come and see it.", ("garden.jpg",)),
        ("rejected", PATIENT_TEXT, ()),
        ("new", "Thinking about how we teach residents to listen.", ()),
    ]
    services.posts.store_imported([
        ImportedPost(Platform.LINKEDIN, text, datetime(2026, 11, 2 + n, 9, 0, tzinfo=UTC), author=DOCTOR,
                     handle="ines-marlowe", external_id=f"im-{n}", media=media)
        for n, (_key, text, media) in enumerate(texts)
    ], [], "test")
    rows = services.posts.query(PostFilter(person_id=person.id, descending=False), 0, 100)
    ids = {key: row.id for (key, _text, _media), row in zip(texts, rows, strict=True)}
    for key in ("shared", "scheduled", "over_limit", "photo"):
        services.posts.approve(services.posts.start_review(services.posts.get(ids[key])))
    services.schedule.schedule(ids["shared"], date(2026, 11, 9))
    services.schedule.schedule(ids["scheduled"], date(2026, 11, 20))
    services.posts.mark_shared(services.posts.get(ids["shared"]), "https://www.linkedin.com/company/example/1")
    start = PATIENT_TEXT.index("Eleanor")
    services.posts.store_findings(ids["rejected"], [
        Finding(start, start + len("Eleanor Whitcombe"), "Eleanor Whitcombe", RiskCategory.PHI, "name",
                Severity.HIGH, "phi.name", "A patient's name."),
        Finding(0, len(PATIENT_TEXT), PATIENT_TEXT, RiskCategory.PATIENT_STORY, "encounter", Severity.HIGH,
                "story.encounter", "A specific patient encounter."),
    ])
    services.posts.reject(services.posts.start_review(services.posts.get(ids["rejected"])), REJECT_REASON)
    return ids | {"person": person.id}


@pytest.fixture
def svc(db_url: str):  # type: ignore[no-untyped-def]
    from medshare_desktop.bootstrap import build_services

    built = build_services(db_url, actor="tester", today=lambda: TODAY)
    yield built
    built.close()


def test_the_sheet_says_the_teams_current_cadence_limits_and_contact(svc) -> None:  # type: ignore[no-untyped-def]
    from medshare_desktop.bootstrap import policy_service

    sheet = policy_service(svc).sheet()
    assert sheet.cadence.monthly_limit == 2 and sheet.cadence.per_day_channel_cap is None
    assert sheet.contact == "" and sheet.own_limits == ()
    assert [g.category for g in sheet.risks] == list(RiskCategory)  # every category has its made-up example

    svc.settings.set_cadence_policy(CadencePolicy(monthly_limit=4, per_day_channel_cap=3, min_days_between=5))
    svc.people.add_person(Person(None, "Dr. Omar Haddad", monthly_limit=1))
    svc.settings.set_team_contact("  Maya Chen,   ext. 4417 ")
    sheet = policy_service(svc).sheet()
    assert (sheet.cadence.monthly_limit, sheet.cadence.per_day_channel_cap, sheet.cadence.min_days_between) == (4, 3, 5)
    assert sheet.own_limits == (("Dr. Omar Haddad", 1),)
    assert sheet.contact == "Maya Chen, ext. 4417"


def test_the_note_sorts_the_month_and_gives_reasons_in_general_words(svc) -> None:  # type: ignore[no-untyped-def]
    from medshare_desktop.bootstrap import policy_service

    ids = make_month(svc)
    note = policy_service(svc).monthly_note(ids["person"], 2026, 11)
    assert [i.post_id for i in note.reshared] == [ids["shared"]] and note.reshared[0].day == date(2026, 11, 9)
    assert [i.post_id for i in note.scheduled] == [ids["scheduled"]]
    reasons = {i.post_id: i.reasons for i in note.not_reshared}
    assert reasons[ids["over_limit"]] == ("monthly limit reached (2 a month)",)
    assert reasons[ids["photo"]] == ("consent for photos missing", "monthly limit reached (2 a month)")
    assert reasons[ids["rejected"]] == ("refused at review: Patient identifiers (PHI), Patient story",)
    assert [(i.post_id, i.reasons) for i in note.waiting] == [(ids["new"], ("waiting for review",))]
    assert [label for label, _advice in note.advice] == ["Patient identifiers (PHI)", "Patient story"]

    svc.settings.set_cadence_policy(CadencePolicy(monthly_limit=3))  # room for one more: the limit is no reason
    note = policy_service(svc).monthly_note(ids["person"], 2026, 11)
    reasons = {i.post_id: i.reasons for i in note.not_reshared}
    assert ids["over_limit"] not in reasons and reasons[ids["photo"]] == ("consent for photos missing",)
    assert ("approved, waiting for a day",) in [i.reasons for i in note.waiting]


def test_a_rejection_without_findings_is_named_by_its_reasons_group_never_in_the_reviewers_words(svc) -> None:  # type: ignore[no-untyped-def]
    from medshare_desktop.bootstrap import policy_service

    ids = make_month(svc)
    post = svc.posts.start_review(svc.posts.get(ids["new"]))
    svc.posts.reject(post, "Mentions Mr. Hollis and his room number on 5 West")
    note = policy_service(svc).monthly_note(ids["person"], 2026, 11)
    reasons = {i.post_id: i.reasons for i in note.not_reshared}
    assert reasons[ids["new"]] == ("refused at review: Patient privacy",)
    assert not any("Hollis" in r or "5 West" in r for item in note.not_reshared for r in item.reasons)
