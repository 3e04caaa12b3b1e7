"""Suggested re-shares: every post's score and reasons, the team's weights, the "evergreen" mark.

Reads run in one transaction of a few set-wise queries (storage/suggestion_repository.py), then the
pure score (core/rules/suggestion.py) runs in Python; the inbox calls `score`/`ranked` on the shared
read pool, never per paint. The planner may order its candidates with `score`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Protocol, cast

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope, Post, PostState
from medshare_desktop.core.ports import PostFilter, PostSummary, UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.rules.cadence import CadencePolicy, effective_limit
from medshare_desktop.core.rules.consent import consent_status
from medshare_desktop.core.rules.suggestion import (
    CLOSED_STATES,
    STANDING_WINDOW_DAYS,
    WEIGHT_NAMES,
    PostFacts,
    PostRecord,
    Suggestion,
    SuggestionWeights,
    TeamFacts,
    TextFacts,
    measure,
    rank,
    score_posts,
    team_median,
)
from medshare_desktop.core.services.audit_service import AuditService
from medshare_desktop.core.services.settings_service import SettingsService

WEIGHTS_KEY = "suggest.weights"
_UNREAD = TextFacts(0, 0, None, 0, 1)  # a closed post's text is never read (it scores 0 anyway)
MAX_WEIGHT = 100


class SuggestionRepository(Protocol):
    def records(self, flt: PostFilter | None = None, post_ids: Sequence[int] | None = None) -> list[PostRecord]: ...
    def texts(self, post_ids: Sequence[int]) -> dict[int, tuple[str, int]]: ...
    def photo_people(self) -> dict[int, tuple[int, ...]]: ...
    def summaries(self, post_ids: Sequence[int]) -> list[PostSummary]: ...
    def ids(self, flt: PostFilter) -> list[int]: ...
    def engagement_top(self) -> float: ...  # the 90th percentile of likes + 2 × reposts where the export said
    def reshare_counts(self, since: date, today: date, first: date, last: date) -> list[tuple[int | None, str, int, int]]:
        """(person, department, re-shares from `since` to `today`, re-shares from `first` to `last`) of everyone
        re-shared at least once."""
        ...
    def evergreen(self, post_id: int) -> bool: ...
    def set_evergreen(self, post_id: int, on: bool) -> None: ...


class SuggestionUnitOfWork(UnitOfWork, Protocol):
    suggestions: SuggestionRepository


class SuggestionService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        audit: AuditService,
        settings: SettingsService,
        today: Callable[[], date] = date.today,
    ) -> None:
        self._uow = uow
        self._audit = audit
        self._settings = settings
        self._today = today
        # post id → (version, its text measured): a text is read and measured again only when it changed
        self._measured: dict[int, tuple[int, TextFacts]] = {}
        # the team's facts and every post's score, each with the key it was read under (the newest audit event)
        self._team_cache: tuple[object, TeamFacts] | None = None
        self._scores: tuple[object, dict[int, Suggestion]] | None = None
        # what the last full scoring saw of each post (its facts, photo tags, person's standing) and gave it
        self._previous: tuple[object, dict[int, tuple[PostRecord, tuple[int, ...], tuple[object, ...], Suggestion]]] | None = None

    # --- scores ---------------------------------------------------------------------------
    def score(
        self,
        posts: Sequence[int | Post] | None = None,
        flt: PostFilter | None = None,
        channel: Channel = Channel.PUBLIC_SOCIAL,
        weights: SuggestionWeights | None = None,
    ) -> list[Suggestion]:
        """The suggestion of each post given (ids or posts), with its reasons; or, without `posts`, of every
        post (matching `flt`) in no particular order, without reasons (`explain` or `score(ids)` give them).
        Rejected, scheduled and shared posts score 0 with the reason why.

        Every post's score is kept until the next change (any change writes an audit event: its id is the
        key), so sorting, filtering and paging the inbox by score read it again at no cost."""
        weights = weights or self.weights()
        today = self._today()
        with self._uow() as tx:
            repo = cast(SuggestionUnitOfWork, tx).suggestions
            head = tx.audit.last(for_append=False)
            key = (head.id if head else 0, head.hash if head else "", today, channel)
            team = self._team_cache[1] if self._team_cache and self._team_cache[0] == key else None
            if team is None:
                team = self._team(tx, repo, self._settings.cadence_policy(), channel, today)
                self._team_cache = (key, team)
            if posts is not None:
                ids = [p if isinstance(p, int) else p.id for p in posts]
                return self._compute(repo, repo.records(None, [i for i in ids if i is not None]), team, weights)
            cached = self._scores[1] if self._scores and self._scores[0] == (key, weights) else None
            if cached is None:
                cached = self._rescore(repo, team, weights)
                self._scores = ((key, weights), cached)
            if flt is None:
                return list(cached.values())
            return [cached[i] for i in repo.ids(flt) if i in cached]

    def _rescore(self, repo: SuggestionRepository, team: TeamFacts, weights: SuggestionWeights) -> dict[int, Suggestion]:
        """Every post's score (without the words). After a change, only the posts whose own facts or whose
        person's standing changed are scored again; the others keep the score they had."""
        records = repo.records()
        tags = repo.photo_people()
        context = (team.today, team.channel, team.engagement_top, team.photo_consent, team.median_90d, weights)
        before = self._previous[1] if self._previous and self._previous[0] == context else {}
        signatures: dict[tuple[int | None, str], tuple[object, ...]] = {}
        scores: dict[int, Suggestion] = {}
        kept: dict[int, tuple[PostRecord, tuple[int, ...], tuple[object, ...], Suggestion]] = {}
        todo: list[PostRecord] = []
        for r in records:
            who = (r.person_id, r.department)
            signature = signatures.get(who)
            if signature is None:
                signature = signatures[who] = _standing_signature(team, r.person_id, r.department)
            old = before.get(r.post_id)
            if old is not None and old[0] == r and old[1] == tags.get(r.post_id, ()) and old[2] == signature:
                scores[r.post_id] = old[3]
                kept[r.post_id] = old
            else:
                todo.append(r)
        for suggestion in self._compute(repo, todo, team, weights, reasons=False, tags=tags):
            scores[suggestion.post_id] = suggestion
        for r in todo:
            kept[r.post_id] = (r, tags.get(r.post_id, ()), signatures[(r.person_id, r.department)], scores[r.post_id])
        self._previous = (context, kept)
        return scores

    def _compute(
        self, repo: SuggestionRepository, records: list[PostRecord], team: TeamFacts, weights: SuggestionWeights,
        reasons: bool = True, tags: dict[int, tuple[int, ...]] | None = None,
    ) -> list[Suggestion]:
        measured = self._measured
        stale = [r.post_id for r in records
                 if r.state not in CLOSED_STATES and measured.get(r.post_id, (0,))[0] != r.version]
        if stale:
            versions = {r.post_id: r.version for r in records}
            for post_id, (text, length) in repo.texts(stale).items():
                measured[post_id] = (versions[post_id], measure(text, length))
        tags = repo.photo_people() if tags is None else tags
        facts = [
            PostFacts(
                post_id=r.post_id, person_id=r.person_id, person_name=r.person_name, department=r.department,
                platform=r.platform, state=r.state, posted_at=r.posted_at,
                measured=measured[r.post_id][1] if r.post_id in measured else _UNREAD,
                media_count=r.media_count, photo_people=tags.get(r.post_id, ()), likes=r.likes, reposts=r.reposts,
                evergreen=r.evergreen, open_high=r.open_high,
            )
            for r in records
        ]
        return score_posts(facts, team, weights, reasons)

    def ranked(
        self,
        flt: PostFilter | None = None,
        limit: int | None = None,
        candidates_only: bool = False,
        weights: SuggestionWeights | None = None,
        channel: Channel = Channel.PUBLIC_SOCIAL,
        reasons: bool = True,
    ) -> list[Suggestion]:
        """Best first (`candidates_only`: leave out rejected, scheduled and shared posts); `reasons=False`
        leaves out the words (the inbox asks for them a page at a time)."""
        if candidates_only:
            open_states = frozenset(PostState) - CLOSED_STATES
            base = flt or PostFilter()
            flt = replace(base, states=(base.states or open_states) & open_states)
        found = rank(self.score(flt=flt, weights=weights, channel=channel))
        found = found[:limit] if limit is not None else found
        if not reasons:
            return found
        full = {s.post_id: s for s in self.score([s.post_id for s in found], weights=weights, channel=channel)}
        return [full.get(s.post_id, s) for s in found]

    def score_map(self) -> dict[int, float]:
        """Every post's score by id (the planner's `rank`: higher first)."""
        return {s.post_id: float(s.score) for s in self.score()}

    def explain(self, post_id: int) -> Suggestion | None:
        found = self.score([post_id])
        return found[0] if found else None

    def for_post(self, post_id: int) -> tuple[Suggestion, bool] | None:
        """The post's suggestion and whether it is marked evergreen (the reading pane)."""
        found = self.explain(post_id)
        return (found, self.is_evergreen(post_id)) if found is not None else None

    def rows(self, post_ids: Sequence[int]) -> list[PostSummary]:
        """The inbox rows of the posts given, in that order (the inbox sorted by "Suggested")."""
        with self._uow() as tx:
            return cast(SuggestionUnitOfWork, tx).suggestions.summaries(post_ids)

    def _team(self, tx: UnitOfWork, repo: SuggestionRepository, policy: CadencePolicy, channel: Channel,
              today: date) -> TeamFacts:
        people = tx.people.list()
        since = today - timedelta(days=STANDING_WINDOW_DAYS)
        first = today.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        recent: dict[int, int] = {}
        month: dict[int, int] = {}
        ever: set[int] = set()
        departments: set[str] = set()
        for person_id, department, in_window, in_month in repo.reshare_counts(since, today, first, last):
            if department:
                departments.add(department)
            if person_id is None:
                continue
            ever.add(person_id)
            recent[person_id] = recent.get(person_id, 0) + in_window
            month[person_id] = month.get(person_id, 0) + in_month
        records: dict[int, list[ConsentRecord]] = {}
        for record in tx.consents.current():
            records.setdefault(record.person_id, []).append(record)
        photo_ok = frozenset(
            pid for pid, recs in records.items()
            if consent_status(recs, ConsentScope.PHOTO, channel, today).allows_use
        )
        active = tuple(p.id for p in people if p.active and p.id is not None)
        return TeamFacts(
            today=today,
            reshares_90d=recent,
            ever_reshared=frozenset(ever),
            departments_reshared=frozenset(departments),
            active_people=active,
            median_90d=team_median(recent, active),
            month_counts=month,
            limits={p.id: effective_limit(policy, p.monthly_limit) for p in people if p.id is not None},
            photo_consent=photo_ok,
            engagement_top=repo.engagement_top(),
            channel=channel,
        )

    # --- weights ---------------------------------------------------------------------------
    def weights(self) -> SuggestionWeights:
        with self._uow() as tx:
            raw = tx.settings.get(WEIGHTS_KEY)
        if not raw:
            return SuggestionWeights()
        stored = json.loads(raw)
        defaults = SuggestionWeights().as_dict()
        return SuggestionWeights(**{k: int(stored.get(k, defaults[k])) for k in WEIGHT_NAMES})

    def set_weights(self, weights: SuggestionWeights) -> Changes:
        values = weights.as_dict()
        if any(v < 0 or v > MAX_WEIGHT for v in values.values()):
            raise ValidationError(f"Each suggestion weight must be between 0 and {MAX_WEIGHT}.")
        if not any(values.values()):
            raise ValidationError("At least one suggestion weight must be above 0.")
        before = self.weights().as_dict()
        with self._uow() as tx:
            tx.settings.set(WEIGHTS_KEY, json.dumps(values, sort_keys=True))
            self._audit.record(tx, "settings.suggestion_weights_changed", "setting", None, before=before, after=values)
        return Changes(settings=frozenset({WEIGHTS_KEY}))

    # --- evergreen -------------------------------------------------------------------------
    def is_evergreen(self, post_id: int) -> bool:
        with self._uow() as tx:
            return cast(SuggestionUnitOfWork, tx).suggestions.evergreen(post_id)

    def set_evergreen(self, post_id: int, on: bool) -> Changes:
        """Mark (or unmark) a post as evergreen: it does not lose freshness with age. Audited."""
        with self._uow() as tx:
            repo = cast(SuggestionUnitOfWork, tx).suggestions
            before = repo.evergreen(post_id)
            if before == on:
                return Changes()
            repo.set_evergreen(post_id, on)
            self._audit.record(
                tx, "post.evergreen_marked" if on else "post.evergreen_cleared", "post", post_id,
                before={"evergreen": before}, after={"evergreen": on},
            )
        return Changes(post_ids=frozenset({post_id}))


def _standing_signature(team: TeamFacts, person_id: int | None, department: str) -> tuple[object, ...]:
    """Everything about a post's person that its score reads: equal signatures, equal standing and headroom."""
    if person_id is None:
        return (None,)
    return (team.reshares_90d.get(person_id, 0), team.month_counts.get(person_id, 0), team.limits.get(person_id, 0),
            person_id in team.ever_reshared, department in team.departments_reshared)
