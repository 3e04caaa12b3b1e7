"""The re-share calendar: schedule, move and remove re-shares under the cadence and consent rules."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date

from medshare_desktop.core.errors import CadenceError, ConsentError, WorkflowError
from medshare_desktop.core.models import (
    Channel,
    ConsentScope,
    Person,
    Post,
    PostState,
    ScheduledShare,
    Severity,
)
from medshare_desktop.core.ports import CalendarEntry, UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.rules.cadence import CadencePolicy, Slot, check_slot, effective_limit
from medshare_desktop.core.rules.consent import consent_status
from medshare_desktop.core.services.audit_service import AuditService
from medshare_desktop.core.services.consent_service import require_consent
from medshare_desktop.core.services.settings_service import SettingsService


@dataclass(frozen=True, slots=True)
class PersonCount:
    person: Person
    count: int
    limit: int


@dataclass(frozen=True, slots=True)
class MonthSchedule:
    year: int
    month: int
    entries: list[CalendarEntry]
    counts: list[PersonCount]
    flagged: dict[int, str]  # share id → why it needs attention (consent revoked, open findings)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def needed_scopes(post: Post) -> set[ConsentScope]:
    scopes = {ConsentScope.NAME}
    if post.media:
        scopes.add(ConsentScope.PHOTO)
    return scopes


class ScheduleService:
    def __init__(self, uow: UnitOfWorkFactory, audit: AuditService, settings: SettingsService) -> None:
        self._uow = uow
        self._audit = audit
        self._settings = settings

    def _check(
        self,
        tx: UnitOfWork,
        policy: CadencePolicy,
        post: Post,
        day: date,
        channel: Channel,
        share_id: int | None,
        override_reason: str,
    ) -> None:
        person = tx.people.get(post.person_id) if post.person_id is not None else None
        if person is not None:
            require_consent(tx, person, needed_scopes(post), channel, day)
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
        )
        if violations and not override_reason.strip():
            raise CadenceError(" ".join(v.message for v in violations), violations[0].rule)

    def schedule(
        self, post_id: int, day: date, channel: Channel = Channel.PUBLIC_SOCIAL, override_reason: str = ""
    ) -> ScheduledShare:
        policy = self._settings.cadence_policy()
        with self._uow() as tx:
            post = tx.posts.get(post_id)
            if post.state not in (PostState.APPROVED, PostState.SCHEDULED):
                raise WorkflowError(f"Only approved posts can be scheduled; this one is {post.state.label.lower()}.")
            open_high = [f for f in tx.posts.findings(post_id) if f.is_open and f.finding.severity is Severity.HIGH]
            if open_high:
                raise WorkflowError("This post has unresolved high-severity findings and cannot be scheduled.")
            self._check(tx, policy, post, day, channel, None, override_reason)
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
                },
            )
            return share

    def move(self, share_id: int, day: date, override_reason: str = "") -> ScheduledShare:
        policy = self._settings.cadence_policy()
        with self._uow() as tx:
            share = tx.schedule.get(share_id)
            post = tx.posts.get(share.post_id)
            self._check(tx, policy, post, day, share.channel, share_id, override_reason)
            moved = tx.schedule.move(share_id, day, override_reason.strip() or share.override_reason)
            self._audit.record(
                tx,
                "share.moved",
                "post",
                post.id,
                before={"share": share_id, "day": share.day.isoformat()},
                after={"share": share_id, "day": day.isoformat(), "override_reason": override_reason.strip()},
            )
            return moved

    def unschedule(self, share_id: int) -> None:
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

    def approved_unscheduled(self) -> list[Post]:
        from medshare_desktop.core.ports import PostFilter

        with self._uow() as tx:
            rows = tx.posts.query(PostFilter(states=frozenset({PostState.APPROVED})), 0, 500)
            return [tx.posts.get(r.id) for r in rows]

    def month(self, year: int, month: int) -> MonthSchedule:
        policy = self._settings.cadence_policy()
        first, last = month_bounds(year, month)
        with self._uow() as tx:
            entries = tx.schedule.between(first, last)
            people = {p.id: p for p in tx.people.list()}
            flagged: dict[int, str] = {}
            for e in entries:
                reasons = []
                if e.person_id is not None and e.person_id in people:
                    post = tx.posts.get(e.share.post_id)
                    records = tx.consents.current(e.person_id)
                    for scope in sorted(needed_scopes(post)):
                        status = consent_status(records, scope, e.share.channel, e.share.day)
                        if not status.allows_use:
                            reasons.append(f"{scope.value} consent {status.label.lower()}")
                if e.open_high_findings:
                    reasons.append(f"{e.open_high_findings} unresolved high-risk finding(s)")
                if reasons and e.share.id is not None:
                    flagged[e.share.id] = "; ".join(reasons)
        counted: dict[int, int] = {}
        for e in entries:
            if e.person_id is not None:
                counted[e.person_id] = counted.get(e.person_id, 0) + 1
        counts = [
            PersonCount(people[pid], n, effective_limit(policy, people[pid].monthly_limit))
            for pid, n in counted.items()
            if pid in people
        ]
        counts.sort(key=lambda c: (-c.count, c.person.name))
        return MonthSchedule(year, month, entries, counts, flagged)


__all__ = ["ConsentError", "MonthSchedule", "PersonCount", "ScheduleService", "month_bounds", "needed_scopes"]
