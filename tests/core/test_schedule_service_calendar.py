"""ScheduleService for the calendar, on each engine (SQLite, PostgreSQL): limits, overrides, months, flags.

`make_world` is also used by the calendar's UI and export tests.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from medshare_desktop.core.errors import CadenceError, ConsentError, WorkflowError
from medshare_desktop.core.models import (
    Channel,
    ConsentRecord,
    ConsentScope,
    ImportedPost,
    Person,
    Platform,
    Role,
    SourceAccount,
)
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.cadence import CadencePolicy
from medshare_desktop.core.services.schedule_service import grid_bounds

BEFORE_DECEMBER = date(2026, 11, 1)  # the tests' "today": December 2026 lies ahead of it


def make_world(
    services,
    people: tuple[tuple[str, int | None], ...] = (("Dr. Priya Patel", None),),
    posts: int = 4,
    consent: bool = True,
) -> dict[str, list[int]]:
    """People with consent on file and approved posts: name -> approved post ids."""
    world: dict[str, list[int]] = {}
    for name, limit in people:
        person = services.people.add_person(Person(None, name, Role.PHYSICIAN, "Cardiology", monthly_limit=limit))
        handle = "-".join(name.lower().replace(",", "").replace(".", "").split())
        services.people.add_account(SourceAccount(None, person.id, Platform.LINKEDIN, handle))
        if consent:
            services.consent.add_record(
                ConsentRecord(
                    None, person.id, frozenset(ConsentScope), frozenset(Channel), date(2026, 1, 1), date(2028, 12, 31)
                )
            )
        imported = [
            ImportedPost(
                Platform.LINKEDIN,
                f"{name} post {i}: our clinic team ran a flu shot drive today.",
                datetime(2026, 10, 1 + i, 9, 0, tzinfo=UTC),
                author=name,
                handle=handle,
                external_id=f"{handle}-{i}",
                url=f"https://www.linkedin.com/posts/{handle}-{i}",
            )
            for i in range(posts)
        ]
        services.posts.store_imported(imported, [], "test")
        ids = []
        for row in services.posts.query(PostFilter(person_id=person.id, descending=False), 0, 100):
            post = services.posts.start_review(services.posts.get(row.id))
            ids.append(services.posts.approve(post).id)
        world[name] = ids
    return world


@pytest.fixture
def svc(db_url: str):
    from medshare_desktop.bootstrap import build_services

    built = build_services(db_url, actor="tester", today=lambda: BEFORE_DECEMBER)
    yield built
    built.close()


def test_third_reshare_of_a_month_is_refused_then_overridden_with_a_reason(svc) -> None:
    posts = make_world(svc)["Dr. Priya Patel"]
    svc.schedule.schedule(posts[0], date(2026, 12, 1))
    svc.schedule.schedule(posts[1], date(2026, 12, 15))
    with pytest.raises(CadenceError) as refused:
        svc.schedule.schedule(posts[2], date(2026, 12, 31))
    assert str(refused.value) == "Dr. Priya Patel already has 2 re-shares in December 2026 (limit 2 a month)."
    share = svc.schedule.schedule(posts[2], date(2026, 12, 31), override_reason="Award announcement")
    assert share.override_reason == "Award announcement"
    month = svc.schedule.month(2026, 12)
    assert [c.label for c in month.counts] == ["3 / 2 over"]
    events = [e for e in svc.audit.history("post", posts[2]) if e.action == "share.scheduled"]
    assert "Award announcement" in events[-1].after


def test_december_to_january(svc) -> None:
    posts = make_world(svc)["Dr. Priya Patel"]
    dec = [svc.schedule.schedule(p, date(2026, 12, 30 + i)) for i, p in enumerate(posts[:2])]
    jan = svc.schedule.schedule(posts[2], date(2027, 1, 1))
    assert svc.schedule.month(2027, 1).counts[0].count == 1
    svc.schedule.move(dec[0].id, date(2027, 1, 2))  # January has room for one more
    with pytest.raises(CadenceError, match="January 2027"):
        svc.schedule.move(dec[1].id, date(2027, 1, 3))
    assert [e.share.id for e in svc.schedule.month(2027, 1).entries] == [jan.id, dec[0].id]


def test_limit_lowered_mid_month(svc) -> None:
    svc.settings.set_cadence_policy(CadencePolicy(monthly_limit=3))
    posts = make_world(svc)["Dr. Priya Patel"]
    shares = [svc.schedule.schedule(p, date(2026, 12, 1 + 7 * i)) for i, p in enumerate(posts[:3])]
    svc.settings.set_cadence_policy(CadencePolicy(monthly_limit=1))
    assert svc.schedule.month(2026, 12).counts[0].label == "3 / 1 over"
    with pytest.raises(CadenceError, match="limit 1 a month"):
        svc.schedule.schedule(posts[3], date(2026, 12, 28))
    moved = svc.schedule.move(shares[2].id, date(2026, 12, 29))  # inside the month: the count does not grow
    assert moved.day == date(2026, 12, 29)
    svc.schedule.move(shares[1].id, date(2027, 1, 5))  # an empty month
    assert svc.schedule.month(2026, 12).counts[0].label == "2 / 1 over"


def test_person_limit_and_day_cap_through_the_service(svc) -> None:
    world = make_world(svc, (("Dr. Ravi Shah", 3), ("Nora Fitzgerald, RN", None)))
    svc.settings.set_cadence_policy(CadencePolicy(monthly_limit=2, per_day_channel_cap=1))
    shah, nora = world["Dr. Ravi Shah"], world["Nora Fitzgerald, RN"]
    for i in range(3):
        svc.schedule.schedule(shah[i], date(2026, 12, 2 + i))
    with pytest.raises(CadenceError) as capped:
        svc.schedule.schedule(nora[0], date(2026, 12, 2))
    assert capped.value.rule == "day_cap"
    svc.schedule.schedule(nora[0], date(2026, 12, 2), Channel.INTERNAL)
    counts = {c.person.name: c.label for c in svc.schedule.month(2026, 12).counts}
    assert counts == {"Dr. Ravi Shah": "3 / 3 full", "Nora Fitzgerald, RN": "1 / 2"}


def test_consent_and_workflow_are_not_overridable(svc) -> None:
    posts = make_world(svc, consent=False)["Dr. Priya Patel"]
    with pytest.raises(ConsentError, match="no valid consent"):
        svc.schedule.schedule(posts[0], date(2026, 12, 1), override_reason="please")
    svc.posts.reject(svc.posts.get(posts[1]), "Off-topic.")
    with pytest.raises(WorkflowError, match="Only approved posts"):
        svc.schedule.schedule(posts[1], date(2026, 12, 2), override_reason="please")


def test_month_with_adjacent_days_and_flags(svc) -> None:
    posts = make_world(svc, posts=3)["Dr. Priya Patel"]
    svc.schedule.schedule(posts[0], date(2026, 11, 30))  # a Monday on December's grid
    svc.schedule.schedule(posts[1], date(2026, 12, 10))
    assert grid_bounds(2026, 12) == (date(2026, 11, 30), date(2027, 1, 3))
    plain = svc.schedule.month(2026, 12)
    assert [e.share.day for e in plain.entries] == [date(2026, 12, 10)] and plain.adjacent == []
    padded = svc.schedule.month(2026, 12, with_adjacent=True)
    assert [e.share.day for e in padded.adjacent] == [date(2026, 11, 30)]
    assert [c.count for c in padded.counts] == [1]  # counts stay the month's own
    record = svc.consent.records(svc.people.list_people()[0].id)[0]
    svc.consent.revoke(record.id, date(2026, 12, 1), "Stepped back.")
    flagged = svc.schedule.month(2026, 12).flagged
    assert ["revoked" in reason for reason in flagged.values()] == [True]
    assert svc.schedule.actor == "tester"


def test_unschedule_puts_the_post_back(svc) -> None:
    posts = make_world(svc, posts=1)["Dr. Priya Patel"]
    share = svc.schedule.schedule(posts[0], date(2026, 12, 3))
    assert posts[0] not in [p.id for p in svc.schedule.approved_unscheduled()]
    svc.schedule.unschedule(share.id)
    assert posts[0] in [p.id for p in svc.schedule.approved_unscheduled()]
    assert replace(share, id=None).day == date(2026, 12, 3)
