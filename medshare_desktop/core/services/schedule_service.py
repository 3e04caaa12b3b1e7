"""The re-share calendar: schedule, move and remove re-shares under the cadence and consent rules."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.errors import CadenceError, ConsentError, MedshareError, NotFoundError, WorkflowError
from medshare_desktop.core.models import (
    Channel,
    ConsentScope,
    Person,
    Post,
    PostState,
    ScheduledShare,
    Severity,
)
from medshare_desktop.core.ports import CalendarEntry, IcsWriter, UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.rules.cadence import (
    CadencePolicy,
    Slot,
    Violation,
    check_slot,
    effective_limit,
    limit_label,
    no_person_violation,
)
from medshare_desktop.core.rules.consent import ConsentStatus, consent_status
from medshare_desktop.core.rules.schedule_checks import open_high_problem, past_day_problem
from medshare_desktop.core.services.audit_service import AuditService
from medshare_desktop.core.services.consent_register import photo_consent_problems
from medshare_desktop.core.services.consent_service import require_consent
from medshare_desktop.core.services.settings_service import SettingsService

if TYPE_CHECKING:
    from medshare_desktop.core.services.plan_service import PlanService


@dataclass(frozen=True, slots=True)
class PersonCount:
    person: Person
    count: int
    limit: int

    @property
    def over_limit(self) -> bool:
        return self.count > self.limit

    @property
    def label(self) -> str:
        """Text like "3 / 2 over": the count against the limit, in words."""
        return limit_label(self.count, self.limit)


@dataclass(frozen=True, slots=True)
class MonthSchedule:
    year: int
    month: int
    entries: list[CalendarEntry]
    counts: list[PersonCount]
    flagged: dict[int, str]  # share id → why it needs attention (consent revoked, open findings, no person)
    adjacent: list[CalendarEntry] = field(default_factory=list)  # grid days of the months before/after
    unassigned: int = 0  # the month's re-shares of posts linked to no person (not in `counts`)

    @property
    def counted(self) -> int:
        """Re-shares in the per-person counts plus those linked to nobody: always len(entries)."""
        return sum(c.count for c in self.counts) + self.unassigned

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    def on(self, day: date) -> list[CalendarEntry]:
        """The re-shares of one day (the month's own and, on padding days, the adjacent ones)."""
        return [e for e in (*self.entries, *self.adjacent) if e.share.day == day]


UNKNOWN_AUTHOR = "Unknown author"  # a re-share whose post names nobody and is linked to no person


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def grid_bounds(year: int, month: int) -> tuple[date, date]:
    """First Monday and last Sunday of the weeks that show the month (4 to 6 weeks)."""
    first, last = month_bounds(year, month)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


@dataclass(frozen=True, slots=True)
class WaitingPost:
    """An approved post waiting for a day, and why it cannot be scheduled now ("" when it can)."""

    post: Post
    person_name: str  # "" when the post is linked to no person
    blocker: str = ""

    @property
    def schedulable(self) -> bool:
        return not self.blocker


def needed_scopes(post: Post) -> set[ConsentScope]:
    scopes = {ConsentScope.NAME}
    if post.media:
        scopes.add(ConsentScope.PHOTO)
    return scopes


class ScheduleService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        audit: AuditService,
        settings: SettingsService,
        ics_writer: IcsWriter | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._uow = uow
        self._audit = audit
        self._settings = settings
        self._ics_writer = ics_writer
        self._today = today

    def export_ics(self, month: MonthSchedule) -> bytes:
        """The month as an iCalendar file (one all-day event per re-share)."""
        if self._ics_writer is None:
            raise MedshareError("Calendar export is not available in this build.")
        return self._ics_writer(month.entries, flagged=month.flagged)

    def today(self) -> date:
        """The scheduler's today: a day before it is a past day (scheduling there needs allow_past)."""
        return self._today()

    def planner(self, rank: Callable[[Channel, Sequence[int]], Mapping[int, float]] | None = None) -> PlanService:
        """The month planner over this calendar ("Propose a month"); `rank` gives the channel's post scores
        (higher first; plan_service.suggestion_ranker), else a person's newest posts go first."""
        from medshare_desktop.core.services.plan_service import PlanService

        return PlanService(self._uow, self, self._settings, rank)

    @property
    def actor(self) -> str:
        """Who the changes are recorded as (shown as "generated by" on prints)."""
        return self._audit.actor

    def _check(
        self,
        tx: UnitOfWork,
        policy: CadencePolicy,
        post: Post,
        day: date,
        channel: Channel,
        share_id: int | None,
        override_reason: str,
        moving_from: date | None = None,
        allow_past: bool = False,
    ) -> list[Violation]:
        """Raises when the change may not happen; returns the cadence rules an override reason sets aside."""
        past = past_day_problem(day, self._today())
        if past and not allow_past:
            raise WorkflowError(past)
        person = tx.people.get(post.person_id) if post.person_id is not None else None
        if person is not None:
            require_consent(tx, person, needed_scopes(post), channel, day)
        if post.id is not None and post.media:
            problems = photo_consent_problems(tx, post.id, channel, day)
            if problems:
                raise ConsentError(" ".join(problems))
        first, last = month_bounds(day.year, day.month)
        span = max(policy.min_days_between, 1)
        window = tx.schedule.between(
            min(first, date.fromordinal(day.toordinal() - span)), max(last, date.fromordinal(day.toordinal() + span))
        )
        slots = [Slot(e.share.id, e.person_id, e.share.day, e.share.channel) for e in window]
        violations = check_slot(
            policy,
            slots,
            Slot(share_id, post.person_id, day, channel),
            person.name if person else post.author,
            person.monthly_limit if person else None,
            moving_from,
        )
        if person is None:
            violations.insert(0, no_person_violation())
        if violations and not override_reason.strip():
            raise CadenceError(" ".join(v.message for v in violations), violations[0].rule)
        return violations

    def schedule(
        self,
        post_id: int,
        day: date,
        channel: Channel = Channel.PUBLIC_SOCIAL,
        override_reason: str = "",
        allow_past: bool = False,
    ) -> ScheduledShare:
        """Put an approved post on a day. Refused (with the reason) for a post linked to no person, missing
        consent or a broken cadence rule; an override reason sets aside the cadence rules and the missing
        person (never consent), and is kept in the audit trail. A past day needs `allow_past`."""
        policy = self._settings.cadence_policy()
        with self._uow() as tx:
            tx.schedule.lock_for_cadence(post_id)  # count and add as one step, whatever other desks do
            post = tx.posts.get(post_id)
            if post.state not in (PostState.APPROVED, PostState.SCHEDULED):
                raise WorkflowError(f"Only approved posts can be scheduled; this one is {post.state.label.lower()}.")
            open_high = [f for f in tx.posts.findings(post_id) if f.is_open and f.finding.severity is Severity.HIGH]
            problem = open_high_problem(len(open_high))
            if problem:
                raise WorkflowError(problem)
            overridden = self._check(tx, policy, post, day, channel, None, override_reason, allow_past=allow_past)
            share = tx.schedule.add(
                ScheduledShare(None, post_id, day, channel, override_reason.strip(), self._audit.actor)
            )
            if post.state is PostState.APPROVED:
                tx.posts.save(replace(post, state=PostState.SCHEDULED))
            self._audit.record(
                tx,
                "share.scheduled",
                "post",
                post_id,
                after={
                    "share": share.id,
                    "day": day.isoformat(),
                    "channel": channel.value,
                    "override_reason": share.override_reason,
                    "overridden": [v.rule for v in overridden],
                },
            )
            return share

    def move(self, share_id: int, day: date, override_reason: str = "", allow_past: bool = False) -> ScheduledShare:
        policy = self._settings.cadence_policy()
        with self._uow() as tx:
            # count and move as one step, whatever other desks do: the lock first, then the re-share as it is now
            tx.schedule.lock_share_for_cadence(share_id)
            share = tx.schedule.get(share_id)
            post = tx.posts.get(share.post_id)
            overridden = self._check(
                tx, policy, post, day, share.channel, share_id, override_reason, share.day, allow_past
            )
            moved = tx.schedule.move(share_id, day, override_reason.strip() or share.override_reason)
            self._audit.record(
                tx,
                "share.moved",
                "post",
                post.id,
                before={"share": share_id, "day": share.day.isoformat()},
                after={
                    "share": share_id,
                    "day": day.isoformat(),
                    "override_reason": override_reason.strip(),
                    "overridden": [v.rule for v in overridden],
                },
            )
            return moved

    def unschedule(self, share_id: int) -> Changes:
        """Take a re-share off the calendar (its post is approved again when it has no other); returns what changed."""
        with self._uow() as tx:
            share = tx.schedule.get(share_id)
            tx.schedule.remove(share_id)
            post = tx.posts.get(share.post_id)
            if post.state is PostState.SCHEDULED and not tx.schedule.for_post(post.id):  # type: ignore[arg-type]
                tx.posts.save(replace(post, state=PostState.APPROVED))
            self._audit.record(
                tx,
                "share.unscheduled",
                "post",
                share.post_id,
                before={"share": share_id, "day": share.day.isoformat(), "channel": share.channel.value},
            )
            return Changes(post_ids=frozenset({share.post_id}), schedule_days=frozenset({share.day}))

    def approved_unscheduled(self) -> list[Post]:
        from medshare_desktop.core.ports import PostFilter

        with self._uow() as tx:
            rows = tx.posts.query(PostFilter(states=frozenset({PostState.APPROVED})), 0, 500)
            return [tx.posts.get(r.id) for r in rows]

    def refusal(self, kind: str, ident: int, day: date, channel: Channel) -> MedshareError | None:
        """What schedule() (kind "schedule", a post id) or move() ("move", a share id) would refuse now,
        without changing anything. None when it would go through, or when there is nothing left to refuse (the
        post is no longer waiting, the share is gone). The calendar asks again after every change, so that a
        refusal it shows is still true."""
        policy = self._settings.cadence_policy()
        try:
            with self._uow() as tx:
                if kind == "move":
                    share = tx.schedule.get(ident)
                    post = tx.posts.get(share.post_id)
                    self._check(tx, policy, post, day, share.channel, ident, "", share.day, allow_past=True)
                else:
                    post = tx.posts.get(ident)
                    if post.state is not PostState.APPROVED:
                        return None  # scheduled elsewhere, reopened or rejected meanwhile
                    self._check(tx, policy, post, day, channel, None, "", allow_past=True)
        except NotFoundError:
            return None
        except MedshareError as exc:
            return exc
        return None

    def approved_waiting(self, channel: Channel = Channel.PUBLIC_SOCIAL, on: date | None = None) -> list[WaitingPost]:
        """Approved, unscheduled posts, each with what stops it being scheduled on `channel` (checked for
        `on`, default today): no person linked, the person inactive, or consent missing, expired or revoked."""
        from medshare_desktop.core.ports import PostFilter

        day = on or self._today()
        with self._uow() as tx:
            rows = tx.posts.query(PostFilter(states=frozenset({PostState.APPROVED})), 0, 500)
            people = {p.id: p for p in tx.people.list()}
            waiting = []
            for row in rows:
                post = tx.posts.get(row.id)
                person = people.get(post.person_id)
                waiting.append(WaitingPost(post, person.name if person else "", self._blocker(tx, post, person,
                                                                                             channel, day)))
            return waiting

    @staticmethod
    def _blocker(tx: UnitOfWork, post: Post, person: Person | None, channel: Channel, day: date) -> str:
        if person is None:
            return "No person linked: assign one in the inbox"
        if not person.active:
            return f"{person.name} is inactive"
        records = tx.consents.current(person.id)
        problems = [
            f"no {scope.value} consent on file" if status is ConsentStatus.NONE else f"{scope.value} consent "
            f"{status.label.lower()}"
            for scope in sorted(needed_scopes(post))
            if not (status := consent_status(records, scope, channel, day)).allows_use
        ]
        if post.id is not None and post.media:
            problems += [f"photo: {p}" for p in photo_consent_problems(tx, post.id, channel, day)]
        text = "; ".join(problems)
        return text[:1].upper() + text[1:]

    def month(self, year: int, month: int, with_adjacent: bool = False) -> MonthSchedule:
        """The month's re-shares, per-person counts and flags; `with_adjacent` adds the grid's padding days."""
        policy = self._settings.cadence_policy()
        first, last = month_bounds(year, month)
        with self._uow() as tx:
            if with_adjacent:
                grid_first, grid_last = grid_bounds(year, month)
                everything = tx.schedule.between(grid_first, grid_last)
            else:
                everything = tx.schedule.between(first, last)
            everything = [e if e.person_name.strip() else replace(e, person_name=UNKNOWN_AUTHOR) for e in everything]
            entries = [e for e in everything if first <= e.share.day <= last]
            adjacent = [e for e in everything if not first <= e.share.day <= last]
            people = {p.id: p for p in tx.people.list()}
            flagged: dict[int, str] = {}
            for e in everything:
                reasons = self._attention(tx, e, e.person_id in people)
                if reasons and e.share.id is not None:
                    flagged[e.share.id] = "; ".join(reasons)
        counted: dict[int, int] = {}
        unassigned = 0
        for e in entries:
            if e.person_id is not None and e.person_id in people:
                counted[e.person_id] = counted.get(e.person_id, 0) + 1
            else:
                unassigned += 1
        counts = [
            PersonCount(people[pid], n, effective_limit(policy, people[pid].monthly_limit))
            for pid, n in counted.items()
            if pid in people
        ]
        counts.sort(key=lambda c: (-c.count, c.person.name))
        return MonthSchedule(year, month, entries, counts, flagged, adjacent, unassigned)

    @staticmethod
    def _attention(tx: UnitOfWork, e: CalendarEntry, known_person: bool) -> list[str]:
        reasons = []
        if e.person_id is None or not known_person:
            reasons.append("no person linked: consent and limit unchecked")
        else:
            post = tx.posts.get(e.share.post_id)
            records = tx.consents.current(e.person_id)
            for scope in sorted(needed_scopes(post)):
                status = consent_status(records, scope, e.share.channel, e.share.day)
                if not status.allows_use:
                    reasons.append(f"{scope.value} consent {status.label.lower()}")
        reasons.extend(
            f"photo: {problem}" for problem in photo_consent_problems(tx, e.share.post_id, e.share.channel, e.share.day)
        )
        if e.open_high_findings:
            reasons.append(f"{e.open_high_findings} unresolved high-risk finding(s)")
        return reasons


__all__ = [
    "ConsentError",
    "MonthSchedule",
    "PersonCount",
    "ScheduleService",
    "WaitingPost",
    "grid_bounds",
    "month_bounds",
    "needed_scopes",
]
