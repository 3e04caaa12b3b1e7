"""ScheduleService.refusal: what schedule()/move() would refuse now, asked without changing anything."""

from __future__ import annotations

from datetime import date

import pytest

from medshare_desktop.core.errors import CadenceError, ConsentError
from tests.core.test_schedule_service_calendar import BEFORE_DECEMBER, make_world

DOCTOR = "Dr. Priya Patel"


@pytest.fixture
def svc(db_url: str):
    from medshare_desktop.bootstrap import build_services

    built = build_services(db_url, actor="tester", today=lambda: BEFORE_DECEMBER)
    yield built
    built.close()


def test_the_refusal_is_the_one_schedule_gives_and_asking_writes_nothing(svc) -> None:
    posts = make_world(svc)[DOCTOR]
    first = svc.schedule.schedule(posts[0], date(2026, 12, 1))
    svc.schedule.schedule(posts[1], date(2026, 12, 15))
    events = len(svc.audit.history("post", posts[2]))
    refusal = svc.schedule.refusal("schedule", posts[2], date(2026, 12, 31), first.channel)
    with pytest.raises(CadenceError) as real:
        svc.schedule.schedule(posts[2], date(2026, 12, 31))
    assert isinstance(refusal, CadenceError) and str(refusal) == str(real.value)
    assert len(svc.audit.history("post", posts[2])) == events
    assert len(svc.schedule.month(2026, 12).entries) == 2

    svc.schedule.unschedule(first.id)
    assert svc.schedule.refusal("schedule", posts[2], date(2026, 12, 31), first.channel) is None
    assert svc.schedule.refusal("move", first.id, date(2026, 12, 2), first.channel) is None  # the share is gone


def test_a_move_is_checked_like_move_and_missing_consent_is_a_consent_refusal(svc) -> None:
    world = make_world(svc, ((DOCTOR, None), ("Dr. Omar Haddad", None)), posts=3)
    posts = world[DOCTOR]
    shares = [svc.schedule.schedule(p, date(2026, 12, 1 + n)) for n, p in enumerate(posts[:2])]
    assert svc.schedule.refusal("move", shares[0].id, date(2026, 12, 20), shares[0].channel) is None

    unconsented = make_world(svc, (("Dr. Lena Ortiz", None),), posts=1, consent=False)["Dr. Lena Ortiz"][0]
    assert isinstance(svc.schedule.refusal("schedule", unconsented, date(2026, 12, 9), shares[0].channel), ConsentError)
