"""A proposed month never breaks a rule: property-based over random people, posts, consents and settings.

Each example builds a real SQLite database, proposes a month and ACCEPTS the whole draft through the
schedule service (the same validation as scheduling by hand): nothing may be refused, and afterwards the
monthly limits, consent per scope and channel on each day, spacing, the channel's daily cap, no past day
and no post twice all hold. The draft is also full: a post left out would be refused on every day left.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from medshare_desktop.core.models import (
    Channel,
    ConsentRecord,
    ConsentScope,
    ImportedPost,
    Person,
    Platform,
    PostState,
    Role,
    SourceAccount,
)
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.cadence import CadencePolicy, effective_limit
from medshare_desktop.core.rules.consent import consent_status, post_scopes

YEAR, MONTH = 2026, 12
FIRST, LAST = date(YEAR, MONTH, 1), date(YEAR, MONTH, 31)
DEPARTMENTS = ("Cardiology", "Pediatrics", "ICU Nursing", "")

random_consent_st = st.fixed_dictionaries(
    {
        "scopes": st.sets(st.sampled_from([ConsentScope.NAME, ConsentScope.PHOTO, ConsentScope.STORY]), min_size=1),
        "channels": st.sets(st.sampled_from(list(Channel)), min_size=1),
        "granted": st.integers(-60, 20),  # days from the month's first day
        "expires": st.one_of(st.none(), st.integers(0, 60)),  # days after it was granted
        "revoked": st.one_of(st.none(), st.integers(0, 40)),  # days after it was granted
    }
)
FULL_CONSENT = {"scopes": set(ConsentScope), "channels": set(Channel), "granted": -90, "expires": None,
                "revoked": None}
consent_st = st.one_of(st.just(FULL_CONSENT), random_consent_st)  # half on file for everything, half anything
person_st = st.fixed_dictionaries(
    {
        "department": st.sampled_from(DEPARTMENTS),
        "limit": st.sampled_from([None, None, None, 0, 1, 3, 4]),  # a person's own limit wins
        "active": st.sampled_from([True, True, True, False]),
        "consents": st.lists(consent_st, min_size=1, max_size=2),
        "posts": st.lists(
            st.tuples(st.booleans(), st.lists(st.integers(0, 5), max_size=2)), min_size=1, max_size=5
        ),  # (has a photo, indexes of people tagged in it)
        "booked": st.lists(st.integers(0, 30), max_size=2),  # days already booked by hand (with an override)
    }
)
world_st = st.fixed_dictionaries(
    {
        "people": st.lists(person_st, min_size=1, max_size=6),
        "policy": st.builds(
            CadencePolicy,
            monthly_limit=st.sampled_from([2, 1, 3, 0]),
            per_day_channel_cap=st.one_of(st.none(), st.integers(1, 2)),
            min_days_between=st.integers(0, 12),
        ),
        "today": st.sampled_from([-20, 0, 5, 12, 20, 28]).map(lambda n: FIRST + timedelta(days=n)),
        "channel": st.sampled_from(list(Channel)),
    }
)


def _build(services, world) -> list[int]:
    """The world in the database; returns the person ids in order."""
    services.settings.set_cadence_policy(world["policy"])
    ids = []
    for n, spec in enumerate(world["people"]):
        person = services.people.add_person(
            Person(None, f"Dr. Test Person {n}", Role.PHYSICIAN, spec["department"], monthly_limit=spec["limit"],
                   active=spec["active"])
        )
        services.people.add_account(SourceAccount(None, person.id, Platform.LINKEDIN, f"test-person-{n}"))
        ids.append(person.id)
        for c in spec["consents"]:
            granted = FIRST + timedelta(days=c["granted"])
            record = services.consent.add_record(
                ConsentRecord(
                    None, person.id, frozenset(c["scopes"]), frozenset(c["channels"]), granted,
                    None if c["expires"] is None else granted + timedelta(days=c["expires"]),
                )
            )
            if c["revoked"] is not None:
                services.consent.revoke(record.id, granted + timedelta(days=c["revoked"]), "changed their mind")
    for n, spec in enumerate(world["people"]):
        imported = [
            ImportedPost(
                Platform.LINKEDIN, f"Person {n} post {i}: our ward ran a teaching day for new staff.",
                datetime(2026, 9, 1 + i, 9, 0, tzinfo=UTC), author=f"Dr. Test Person {n}", handle=f"test-person-{n}",
                external_id=f"p{n}-{i}", media=("photo.jpg",) if photo else (),
            )
            for i, (photo, _tags) in enumerate(spec["posts"])
        ]
        services.posts.store_imported(imported, [], "test")
        rows = services.posts.query(PostFilter(person_id=ids[n], descending=False), 0, 100)
        for row, (photo, tags) in zip(rows, spec["posts"], strict=True):
            post = services.posts.approve(services.posts.start_review(services.posts.get(row.id)))
            if photo and tags:
                services.photo_tags.tag(post.id, {ids[t % len(ids)] for t in tags})
        for row, day in zip(rows, spec["booked"], strict=False):  # booked by hand before the draft
            try:
                services.schedule.schedule(row.id, FIRST + timedelta(days=day), world["channel"], "booked earlier",
                                           allow_past=True)
            except Exception:  # noqa: BLE001 - no consent that day: then it is simply not booked
                pass
    return ids


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(world=world_st)
def test_a_proposed_month_never_breaks_a_rule(world) -> None:
    from medshare_desktop.bootstrap import build_services

    with tempfile.TemporaryDirectory() as folder:
        services = build_services(f"sqlite:///{folder}/t.db", actor="tester", today=lambda: world["today"])
        try:
            _check_world(services, world)
        finally:
            services.close()


def _check_world(services, world) -> None:
    ids = _build(services, world)
    policy, today, channel = world["policy"], world["today"], world["channel"]
    before = {e.share.id for e in services.schedule.month(YEAR, MONTH).entries}
    planner = services.schedule.planner()
    plan = planner.propose(YEAR, MONTH, channel)
    assert len({g.post_id for g in plan.ghosts}) == len(plan.ghosts)  # no post twice in the draft
    assert services.schedule.month(YEAR, MONTH).entries.__len__() == len(before)  # proposing wrote nothing

    event(f"{min(len(plan.ghosts), 5)}+ drafted" if len(plan.ghosts) >= 5 else f"{len(plan.ghosts)} drafted")
    result = planner.accept(plan.ghosts)
    assert result.refused == []  # the schedule service's own validation took every drafted re-share
    month = services.schedule.month(YEAR, MONTH)
    new = [e for e in month.entries if e.share.id not in before]
    assert len(new) == len(plan.ghosts)
    assert sorted(e.share.post_id for e in new) == sorted(g.post_id for g in plan.ghosts)  # each post once
    people = {p.id: p for p in services.people.list_people()}
    per_person = Counter(e.person_id for e in month.entries)
    per_day = Counter((e.share.day, e.share.channel) for e in month.entries)
    for entry in new:
        share, person = entry.share, people[entry.person_id]
        assert share.day >= today and FIRST <= share.day <= LAST and share.channel is channel
        assert not share.override_reason
        assert person.active
        assert per_person[person.id] <= effective_limit(policy, person.monthly_limit)
        if policy.per_day_channel_cap is not None:
            assert per_day[(share.day, channel)] <= policy.per_day_channel_cap
        if policy.min_days_between:
            own = [e.share.day for e in services.schedule.month(YEAR, MONTH, with_adjacent=True).entries
                   if e.person_id == person.id and e.share.id != share.id]
            assert all(abs((d - share.day).days) >= policy.min_days_between for d in own)
        post = services.posts.get(share.post_id)
        records = services.consent.records(person.id)
        for scope in post_scopes(bool(post.media)):
            assert consent_status(records, scope, channel, share.day).allows_use
        for tag in services.photo_tags.tags(post.id):
            assert consent_status(services.consent.records(tag.person_id), ConsentScope.PHOTO, channel,
                                  share.day).allows_use
        assert [e.action for e in services.audit.history("post", post.id)].count("share.scheduled") == 1

    # the draft is full: a post it left out (of an active person) is refused on every day still open
    days = [d for d in (FIRST + timedelta(days=n) for n in range(31)) if d >= today]
    left = [r.id for r in services.posts.query(PostFilter(states=frozenset({PostState.APPROVED})), 0, 100)]
    for post_id in left[:4]:
        post = services.posts.get(post_id)
        if post.person_id is None or not people[post.person_id].active:
            continue
        for day in days:
            assert services.schedule.refusal("schedule", post_id, day, channel) is not None, (post_id, day)
    assert ids
