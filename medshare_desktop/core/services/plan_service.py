"""Propose a month (core/rules/planner.py over what the database holds) and accept drafted re-shares.

Nothing is written by proposing. Accepting schedules each drafted re-share through the schedule service,
one transaction and one audit event ("share.scheduled") each, so a rule that changed since the draft (a
consent revoked, a limit lowered, a day filled by someone else) still refuses, with its message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.errors import MedshareError, ValidationError
from medshare_desktop.core.models import Channel, ConsentRecord, ScheduledShare
from medshare_desktop.core.ports import UnitOfWorkFactory
from medshare_desktop.core.rules.cadence import Slot
from medshare_desktop.core.rules.planner import (
    STANDING_DAYS,
    Ghost,
    MonthPlan,
    PlanInputs,
    PlanPost,
    check_move,
    propose_month,
)
from medshare_desktop.core.services.schedule_service import ScheduleService, month_bounds
from medshare_desktop.core.services.settings_service import SettingsService

if TYPE_CHECKING:
    from medshare_desktop.core.services.suggestion_service import SuggestionService

EXCERPT_CHARS = 140  # as the calendar's own entries
RANKED_PER_PERSON = 40  # a person's newest approved posts that are scored; older ones follow, newest first
Ranker = Callable[[Channel, Sequence[int]], Mapping[int, float]]  # post ids -> suggestion score (higher first)


def suggestion_ranker(suggestions: SuggestionService) -> Ranker:
    """The suggestion score (suggest's SuggestionService) of the posts asked about, as the planner's order of
    a person's posts: their best-suggested post goes first."""

    def rank(channel: Channel, post_ids: Sequence[int]) -> dict[int, float]:
        return {s.post_id: float(s.score) for s in suggestions.score(list(post_ids), channel=channel)}

    return rank


def rank_candidates(posts: Sequence[PlanPost], per_person: int = RANKED_PER_PERSON) -> list[int]:
    """The posts worth scoring: each person's `per_person` newest without an unresolved high finding (with
    100,000 posts waiting, scoring them all would cost more than the whole proposal)."""
    by_person: dict[int, list[PlanPost]] = {}
    for post in posts:
        if post.person_id is not None and not post.open_high:
            by_person.setdefault(post.person_id, []).append(post)
    chosen = []
    for own in by_person.values():
        own.sort(key=lambda p: (p.posted_at, p.id), reverse=True)
        chosen += [p.id for p in own[:per_person]]
    return chosen


@dataclass(frozen=True, slots=True)
class AcceptResult:
    accepted: list[tuple[Ghost, ScheduledShare]] = field(default_factory=list)
    refused: list[tuple[Ghost, str]] = field(default_factory=list)  # with the schedule service's message

    @property
    def changes(self) -> Changes:
        ghosts = [g for g, _ in self.accepted]
        return Changes(post_ids=frozenset(g.post_id for g in ghosts), schedule_days=frozenset(g.day for g in ghosts))

    def summary(self) -> str:
        n = len(self.accepted)
        text = f"{n} re-share{'' if n == 1 else 's'} scheduled"
        if self.refused:
            text += f", {len(self.refused)} refused"
        return text + "."


class PlanService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        schedule: ScheduleService,
        settings: SettingsService,
        rank: Ranker | None = None,
    ) -> None:
        self._uow = uow
        self._schedule = schedule
        self._settings = settings
        self._rank = rank

    def check_month(self, year: int, month: int) -> None:
        """Raises ValidationError for a month whose every day is past (nothing can be drafted there)."""
        _first, last = month_bounds(year, month)
        today = self._schedule.today()
        if last < today:
            raise ValidationError(f"{date(year, month, 1):%B %Y} is over: propose today's month or a later one.")

    def inputs(self, year: int, month: int, channel: Channel = Channel.PUBLIC_SOCIAL) -> PlanInputs:
        """What the planner needs, read in one transaction."""
        self.check_month(year, month)
        policy = self._settings.cadence_policy()
        first, last = month_bounds(year, month)
        span = max(policy.min_days_between, 1)
        with self._uow() as tx:
            people = {p.id: p for p in tx.people.list() if p.id is not None}
            consents: dict[int, list[ConsentRecord]] = {}
            for record in tx.consents.current():
                consents.setdefault(record.person_id, []).append(record)
            window = tx.schedule.between(first - timedelta(days=max(STANDING_DAYS, span)), last + timedelta(days=span))
            posts = tx.posts.planning_posts()
        existing = [Slot(e.share.id, e.person_id, e.share.day, e.share.channel) for e in window]
        rank = dict(self._rank(channel, rank_candidates(posts))) if self._rank is not None else {}
        return PlanInputs(year, month, self._schedule.today(), policy, people, consents, posts, existing, channel,
                          rank)

    def propose(self, year: int, month: int, channel: Channel = Channel.PUBLIC_SOCIAL) -> MonthPlan:
        """The draft for the month (nothing written)."""
        plan = propose_month(self.inputs(year, month, channel))
        with self._uow() as tx:
            texts = {g.post_id: tx.posts.get(g.post_id).text_for_share for g in plan.ghosts}
        return plan.with_excerpts({pid: " ".join(text.split())[:EXCERPT_CHARS] for pid, text in texts.items()})

    @staticmethod
    def check_move(plan: MonthPlan, post_id: int, day: date) -> list[str]:
        """Why the drafted re-share of `post_id` may not go on `day` instead (empty: it may)."""
        return check_move(plan, post_id, day)

    def accept(self, ghosts: Sequence[Ghost] | Iterable[Ghost]) -> AcceptResult:
        """Schedule the drafted re-shares, one by one, each through the schedule service (its own audit
        event); a refused one is reported with the reason and the others still go ahead."""
        result = AcceptResult()
        for ghost in ghosts:
            try:
                share = self._schedule.schedule(ghost.post_id, ghost.day, ghost.channel)
            except MedshareError as exc:
                result.refused.append((ghost, str(exc)))
            else:
                result.accepted.append((ghost, share))
        return result


__all__ = ["AcceptResult", "PlanService", "suggestion_ranker"]
