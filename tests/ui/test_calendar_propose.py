"""'Propose a month' on the calendar: the draft shows as ghost entries; nothing is written before Accept;
accepting writes and audits each re-share; a ghost moves only where the rules allow; discarding leaves
nothing; a rule that changed since the draft still refuses on accept."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QThreadPool  # noqa: E402

from medshare_desktop.core.rules.cadence import CadencePolicy  # noqa: E402
from medshare_desktop.ui.calendar.month_grid import SHARE_MIME  # noqa: E402
from tests.core.test_schedule_service_calendar import BEFORE_DECEMBER, make_world  # noqa: E402
from tests.ui.test_calendar_page import WAIT, drop, open_calendar  # noqa: E402

PEOPLE = (("Dr. Priya Patel", None), ("Dr. Omar Haddad", None), ("Nurse Lena Ortiz", 1))


@pytest.fixture
def world(db_url: str):
    from medshare_desktop.bootstrap import build_services

    services = build_services(db_url, actor="tester", today=lambda: BEFORE_DECEMBER)
    services.settings.set_cadence_policy(CadencePolicy(monthly_limit=2, per_day_channel_cap=1, min_days_between=3))
    posts = make_world(services, PEOPLE, posts=3)
    yield services, posts
    QThreadPool.globalInstance().waitForDone(WAIT)
    services.close()


def _events(services) -> int:
    """Every audit event in the trail."""
    return services.audit.check().events


def _propose(qtbot, page) -> None:
    with qtbot.waitSignal(page.plan_shown, timeout=WAIT):
        page.toolbar.propose_button.click()


def test_ghosts_are_shown_and_nothing_is_written_before_accept_then_accept_all_writes_and_audits(
    qtbot, world
) -> None:
    services, _posts = world
    page = open_calendar(qtbot, services)
    events = _events(services)
    _propose(qtbot, page)

    plan = page.plan
    assert plan is not None and len(plan.ghosts) == 5  # 2 + 2 + Lena's own limit of 1
    assert page.plan_bar.isVisible() and "5 re-shares" in page.plan_bar.summary.text()
    assert "not yet scheduled" in page.plan_bar.legend.text()
    ghost_ids = {e.share.id for e in page.grid.entries_on(None) if e.share.id < 0}
    assert ghost_ids == {-g.post_id for g in plan.ghosts}
    assert "proposed (not yet scheduled)" in page.grid.day_label(plan.ghosts[0].day)
    # nothing written: the month is still empty, every post still waits, no audit event
    assert services.schedule.month(2026, 12).entries == []
    assert _events(services) == events
    assert len(services.schedule.approved_waiting()) == 9

    with qtbot.waitSignal(page.plan_accepted, timeout=WAIT) as accepted:
        page.plan_bar.accept_all.click()
    assert accepted.args[0].refused == []
    month = services.schedule.month(2026, 12)
    assert sorted((e.share.post_id, e.share.day) for e in month.entries) == sorted(
        (g.post_id, g.day) for g in plan.ghosts
    )
    for ghost in plan.ghosts:
        actions = [e.action for e in services.audit.history("post", ghost.post_id)]
        assert actions.count("share.scheduled") == 1
    assert page.plan is not None and page.plan.ghosts == ()
    qtbot.waitUntil(lambda: page.current is not None and len(page.current.entries) == 5, timeout=WAIT)


def test_a_ghost_moves_only_where_the_rules_allow_accept_one_and_discard_leaves_nothing(qtbot, world) -> None:
    services, _posts = world
    page = open_calendar(qtbot, services)
    _propose(qtbot, page)
    plan = page.plan
    first, second = plan.ghosts[0], next(g for g in plan.ghosts if g.person_id != plan.ghosts[0].person_id)

    drop(page, SHARE_MIME, -first.post_id, second.day)  # the day already has one (cap 1 a day)
    assert "Not moved" in page.message.text() and "cap 1 a day" in page.message.text()
    assert page.ghost(first.post_id).day == first.day
    free = next(date(2026, 12, d) for d in range(31, 1, -1)
                if not page.plan.on(date(2026, 12, d))
                and all(abs(d - g.day.day) >= 3 for g in page.plan.ghosts
                        if g.person_id == first.person_id and g.post_id != first.post_id))
    drop(page, SHARE_MIME, -first.post_id, free)
    assert page.ghost(first.post_id).day == free
    assert services.schedule.month(2026, 12).entries == []  # a moved ghost is still only a draft

    page.grid.selected_share = -first.post_id
    with qtbot.waitSignal(page.plan_accepted, timeout=WAIT):
        page.plan_bar.accept_selected.click()
    entries = services.schedule.month(2026, 12).entries
    assert [(e.share.post_id, e.share.day) for e in entries] == [(first.post_id, free)]
    assert page.ghost(first.post_id) is None and len(page.plan.ghosts) == len(plan.ghosts) - 1

    page.grid.selected_share = -second.post_id
    page.plan_bar.discard_selected.click()
    assert page.ghost(second.post_id) is None
    page.plan_bar.discard_all.click()
    assert page.plan is None and not page.plan_bar.isVisible()
    assert not [e for e in page.grid.entries_on(None) if e.share.id < 0]
    assert [(e.share.post_id, e.share.day) for e in services.schedule.month(2026, 12).entries] == [
        (first.post_id, free)
    ]  # discarding wrote nothing


def test_a_rule_that_changed_since_the_draft_still_refuses_on_accept(qtbot, world) -> None:
    services, _posts = world
    page = open_calendar(qtbot, services)
    _propose(qtbot, page)
    plan = page.plan
    person = services.people.find_by_name("Dr. Omar Haddad")
    for record in services.consent.records(person.id):
        services.consent.revoke(record.id, date(2026, 11, 1), "asked us to stop")

    with qtbot.waitSignal(page.plan_accepted, timeout=WAIT) as accepted:
        page.accept_all()
    result = accepted.args[0]
    refused = [g for g, _reason in result.refused]
    assert refused and {g.person_id for g in refused} == {person.id}
    assert "no valid consent" in page.message.text()
    assert all(e.person_id != person.id for e in services.schedule.month(2026, 12).entries)
    assert len(services.schedule.month(2026, 12).entries) == len(plan.ghosts) - len(refused)
    assert {g.post_id for g in page.plan.ghosts} == {g.post_id for g in refused}  # still there, with the reason
