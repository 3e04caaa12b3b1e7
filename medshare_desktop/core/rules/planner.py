"""Fill the month: draft re-shares of approved posts onto the days of a month, fairly, under every rule.

A pure function over what the database holds (approved posts, people, consent, the schedule around the
month, the settings) and today. Every placement is checked with the same rule code the schedule service
uses (core/rules/schedule_checks.py and cadence.check_slot), against the existing schedule and the
re-shares drafted before it, so the draft never holds what scheduling by hand would refuse.

Fairness: re-shares are handed out round by round, to the person with the fewest re-shares in the month
so far, then the least re-shared department, then the person re-shared least in the last 90 days (those
never re-shared come first). A person's posts go in the order given by `rank` (the suggestion score, higher
first) or, without one, newest first. Each re-share goes on the allowed day with the fewest re-shares on
the channel (earliest on a tie), so the month fills evenly.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from medshare_desktop.core.models import Channel, ConsentRecord, Person
from medshare_desktop.core.rules.cadence import CadencePolicy, Slot, check_slot
from medshare_desktop.core.rules.consent import post_scopes
from medshare_desktop.core.rules.schedule_checks import (
    author_consent_problem,
    open_high_problem,
    past_day_problem,
    photo_problems,
)

STANDING_DAYS = 90  # "re-shared lately" looks this far back from the month's first day


@dataclass(frozen=True, slots=True)
class PlanPost:
    """An approved, unscheduled post as the planner sees it."""

    id: int
    person_id: int | None
    posted_at: datetime  # only compared with the other posts' (all naive UTC, or all aware)
    has_media: bool = False
    open_high: int = 0  # unresolved high-severity findings (such a post cannot be scheduled)
    tagged: tuple[int, ...] = ()  # people tagged in its photos
    excerpt: str = ""  # may be left empty; the caller fills the drafted ones' (MonthPlan.with_excerpts)


@dataclass(frozen=True, slots=True)
class PlanInputs:
    year: int
    month: int
    today: date
    policy: CadencePolicy
    people: Mapping[int, Person]
    consents: Mapping[int, Sequence[ConsentRecord]]  # current records by person
    posts: Sequence[PlanPost]
    existing: Sequence[Slot]  # scheduled re-shares from STANDING_DAYS before the month to its end + spacing
    channel: Channel = Channel.PUBLIC_SOCIAL
    rank: Mapping[int, float] = field(default_factory=dict)  # post id -> score (higher first)

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


@dataclass(frozen=True, slots=True)
class Ghost:
    """One drafted re-share: not in the database until accepted."""

    post_id: int
    person_id: int
    person_name: str
    department: str
    day: date
    channel: Channel
    excerpt: str
    why: str  # why this person and post, in words

    def on(self, day: date) -> Ghost:
        return Ghost(self.post_id, self.person_id, self.person_name, self.department, day, self.channel,
                     self.excerpt, self.why)


@dataclass(frozen=True, slots=True)
class MonthPlan:
    inputs: PlanInputs
    ghosts: tuple[Ghost, ...]
    left_out: tuple[str, ...]  # one sentence per person with approved posts who got nothing, and why

    @property
    def year(self) -> int:
        return self.inputs.year

    @property
    def month(self) -> int:
        return self.inputs.month

    def on(self, day: date) -> list[Ghost]:
        return [g for g in self.ghosts if g.day == day]

    def without(self, post_ids: Iterable[int]) -> MonthPlan:
        gone = set(post_ids)
        return MonthPlan(self.inputs, tuple(g for g in self.ghosts if g.post_id not in gone), self.left_out)

    def with_excerpts(self, excerpts: Mapping[int, str]) -> MonthPlan:
        """The same draft with the drafted posts' excerpts filled in (by post id)."""
        ghosts = tuple(replace(g, excerpt=excerpts.get(g.post_id, g.excerpt)) for g in self.ghosts)
        return MonthPlan(self.inputs, ghosts, self.left_out)

    def moved(self, post_id: int, day: date) -> MonthPlan:
        return MonthPlan(
            self.inputs, tuple(g.on(day) if g.post_id == post_id else g for g in self.ghosts), self.left_out
        )


class _Slots:
    """The existing and drafted re-shares, indexed the way the rules look at them (by person, by day)."""

    def __init__(self, slots: Iterable[Slot]) -> None:
        self.by_person: dict[int, list[Slot]] = {}
        self.by_day: dict[tuple[date, Channel], list[Slot]] = {}
        for slot in slots:
            self.add(slot)

    def add(self, slot: Slot) -> None:
        if slot.person_id is not None:
            self.by_person.setdefault(slot.person_id, []).append(slot)
        self.by_day.setdefault((slot.day, slot.channel), []).append(slot)

    def relevant(self, person_id: int, day: date, channel: Channel) -> list[Slot]:
        """Every slot check_slot can count against a candidate: the person's own (limit, spacing) and the
        day's on that channel (cap). Passing only these gives the same answer as passing all of them."""
        own = self.by_person.get(person_id, [])
        return own + [s for s in self.by_day.get((day, channel), []) if s.person_id != person_id]

    def load(self, day: date, channel: Channel) -> int:
        return len(self.by_day.get((day, channel), []))


def month_days(inputs: PlanInputs) -> list[date]:
    """The month's days a re-share may still go on (today and later)."""
    days = [inputs.first + timedelta(days=n) for n in range(inputs.last.day)]
    return [d for d in days if past_day_problem(d, inputs.today) is None]


def problems(inputs: PlanInputs, post: PlanPost, day: date, others: Iterable[Slot] = ()) -> list[str]:
    """Every rule putting `post` on `day` would break, given the existing schedule plus `others` (drafted
    re-shares), in the schedule service's order. Empty: the schedule service would take it."""
    return _problems(inputs, post, day, _Slots([*inputs.existing, *others]))


def _problems(inputs: PlanInputs, post: PlanPost, day: date, slots: _Slots) -> list[str]:
    found = []
    past = past_day_problem(day, inputs.today)
    if past:
        found.append(past)
    person = inputs.people.get(post.person_id) if post.person_id is not None else None
    if person is None:
        return [*found, "This post is not linked to a person, so it is not drafted."]
    high = open_high_problem(post.open_high)
    if high:
        found.append(high)
    found += _consent_problems(inputs, person, post, day)
    found += _cadence_problems(inputs, person, day, slots)
    return found


def _consent_problems(inputs: PlanInputs, person: Person, post: PlanPost, day: date) -> list[str]:
    found = []
    author = author_consent_problem(
        person.name, inputs.consents.get(person.id or -1, ()), post_scopes(post.has_media), inputs.channel, day
    )
    if author:
        found.append(author)
    if post.has_media and post.tagged:
        tagged = [
            (inputs.people[pid].name if pid in inputs.people else f"person {pid}", inputs.consents.get(pid, ()))
            for pid in post.tagged
        ]
        found += photo_problems(tagged, inputs.channel, day)
    return found


def _cadence_problems(inputs: PlanInputs, person: Person, day: date, slots: _Slots) -> list[str]:
    pid = person.id or -1
    violations = check_slot(
        inputs.policy,
        slots.relevant(pid, day, inputs.channel),
        Slot(None, pid, day, inputs.channel),
        person.name,
        person.monthly_limit,
    )
    return [v.message for v in violations]


def _ordered(posts: list[PlanPost], rank: Mapping[int, float]) -> list[PlanPost]:
    """Newest first; with scores, the highest score first (newest first among equal scores)."""
    ordered = sorted(posts, key=lambda p: (p.posted_at, p.id), reverse=True)
    if rank:
        ordered.sort(key=lambda p: -rank.get(p.id, float("-inf")))  # stable: keeps newest first on a tie
    return ordered


def propose_month(inputs: PlanInputs) -> MonthPlan:
    """The draft: as many re-shares as the rules allow, spread across people, departments and days."""
    days = month_days(inputs)
    people = {pid: p for pid, p in inputs.people.items() if p.id is not None}
    queues: dict[int, list[PlanPost]] = {}
    unlinked = 0
    for post in inputs.posts:
        if post.person_id is None or post.person_id not in people:
            unlinked += 1
            continue
        queues.setdefault(post.person_id, []).append(post)
    left_out: dict[int, str] = {}
    for pid in list(queues):
        if not people[pid].active:
            left_out[pid] = f"{people[pid].name}: inactive."
            del queues[pid]
    queues = {pid: _ordered(posts, inputs.rank) for pid, posts in queues.items()}

    slots = _Slots(inputs.existing)
    first = inputs.first
    since = first - timedelta(days=STANDING_DAYS)
    month_count: dict[int, int] = {}
    standing: dict[int, int] = {}
    dept_count: dict[str, int] = {}
    for slot in inputs.existing:
        if slot.person_id is None:
            continue
        if first <= slot.day <= inputs.last:
            month_count[slot.person_id] = month_count.get(slot.person_id, 0) + 1
            if slot.person_id in people:
                dept = _dept(people[slot.person_id])
                dept_count[dept] = dept_count.get(dept, 0) + 1
        if since <= slot.day < first:
            standing[slot.person_id] = standing.get(slot.person_id, 0) + 1

    ghosts: list[Ghost] = []
    if not days:
        left_out = {pid: f"{people[pid].name}: every day of {first:%B %Y} is past." for pid in queues} | left_out
        queues = {}
    pool = set(queues)
    placed_people: set[int] = set()
    while pool:
        pid = min(
            pool,
            key=lambda p: (
                month_count.get(p, 0),
                dept_count.get(_dept(people[p]), 0),
                standing.get(p, 0),
                people[p].name.casefold(),
                p,
            ),
        )
        person = people[pid]
        open_days = [d for d in days if not _cadence_problems(inputs, person, d, slots)]
        if not open_days:
            pool.discard(pid)
            if pid not in placed_people:
                reason = _cadence_problems(inputs, person, days[0], slots)
                left_out[pid] = f"{person.name}: {reason[0] if reason else 'no day left'}"
            continue
        open_days.sort(key=lambda d: (slots.load(d, inputs.channel), d))
        placed = False
        consent_memo: dict[tuple[bool, tuple[int, ...]], list[date] | str] = {}
        queue = queues[pid]
        while queue and not placed:
            post = queue.pop(0)
            if post.open_high:
                left_out.setdefault(pid, f"{person.name}: posts with unresolved high-severity findings.")
                continue
            key = (post.has_media, post.tagged if post.has_media else ())
            if key not in consent_memo:
                allowed = [d for d in open_days if not _consent_problems(inputs, person, post, d)]
                consent_memo[key] = allowed or _consent_problems(inputs, person, post, open_days[0])[0]
            allowed = consent_memo[key]
            if isinstance(allowed, str):
                left_out.setdefault(pid, f"{person.name}: {allowed}")
                continue
            day = allowed[0]
            if _problems(inputs, post, day, slots):  # the whole check, as scheduling would run it
                continue
            ghosts.append(
                Ghost(post.id, pid, person.name, person.department, day, inputs.channel, post.excerpt,
                      _why(month_count.get(pid, 0), standing.get(pid, 0), inputs.rank.get(post.id) if inputs.rank
                           else None))
            )
            slots.add(Slot(None, pid, day, inputs.channel))
            month_count[pid] = month_count.get(pid, 0) + 1
            dept = _dept(person)
            dept_count[dept] = dept_count.get(dept, 0) + 1
            placed = True
            placed_people.add(pid)
            left_out.pop(pid, None)
        if not placed:
            pool.discard(pid)
            if pid not in placed_people:
                left_out.setdefault(pid, f"{person.name}: no post could be placed.")
    notes = [_note(people[pid].name, left_out[pid]) for pid in sorted(left_out, key=lambda p: people[p].name.casefold())]
    if unlinked:
        notes.append(f"{unlinked} approved post(s) linked to no person: assign one in the inbox to draft them.")
    ghosts.sort(key=lambda g: (g.day, g.person_name.casefold(), g.post_id))
    return MonthPlan(inputs, tuple(ghosts), tuple(notes))


def _note(name: str, note: str) -> str:
    """"Ana: Ana has no valid consent …" reads as "Ana has no valid consent …"."""
    reason = note.removeprefix(f"{name}: ")
    return reason if reason.startswith(name) else note


def _dept(person: Person) -> str:
    return person.department.strip().casefold() or f"\0{person.id}"  # no department: a voice of its own


def _why(in_month: int, lately: int, score: float | None) -> str:
    order = "their newest approved post" if score is None else f"their best-suggested post (score {score:.0f})"
    if lately == 0 and in_month == 0:
        return f"not re-shared in the last {STANDING_DAYS} days; {order}"
    return f"re-share {in_month + 1} this month, {lately} in the {STANDING_DAYS} days before; {order}"


def check_move(plan: MonthPlan, post_id: int, day: date) -> list[str]:
    """What putting the drafted re-share of `post_id` on `day` instead would break (the existing schedule
    and the rest of the draft counted). Empty: the move is allowed."""
    post = next((p for p in plan.inputs.posts if p.id == post_id), None)
    if post is None:
        return ["That post is not in the draft."]
    others = [Slot(None, g.person_id, g.day, g.channel) for g in plan.ghosts if g.post_id != post_id]
    if not (plan.inputs.first <= day <= plan.inputs.last):
        return [f"The draft is for {plan.inputs.first:%B %Y}; {day:%d %b %Y} is outside it."]
    return problems(plan.inputs, post, day, others)
