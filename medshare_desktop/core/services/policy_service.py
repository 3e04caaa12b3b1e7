"""For physicians: the policy sheet (from the team's actual settings) and a person's monthly note.

Both are plain values for a printer or a PDF (ui/printing/policy_document.py). The note names a person's
posts by date, platform and number only, and gives reasons in general words (risk category names, which
consent is missing, the monthly limit): never a post's text, a finding's words or anyone else's name.
"""

from __future__ import annotations

import calendar
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import (
    Channel,
    ConsentScope,
    Person,
    Post,
    PostState,
    Resolution,
    ReviewFinding,
    RiskCategory,
    Severity,
)
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.cadence import CadencePolicy, effective_limit
from medshare_desktop.core.rules.consent import EXPIRY_WARNING_DAYS, ConsentStatus
from medshare_desktop.core.rules.reason_groups import default_groups, general_reason
from medshare_desktop.core.services.consent_service import ConsentService
from medshare_desktop.core.services.people_service import PeopleService
from medshare_desktop.core.services.photo_tag_service import PhotoTagService
from medshare_desktop.core.services.post_service import PostService
from medshare_desktop.core.services.schedule_service import ScheduleService, needed_scopes
from medshare_desktop.core.services.settings_service import SettingsService

FALLBACK_CONTACT = "the communications team"
SCOPE_WORDS = {  # "consent for … missing"
    ConsentScope.NAME: "your name",
    ConsentScope.PHOTO: "photos",
    ConsentScope.STORY: "stories",
    ConsentScope.VIDEO: "videos",
}
SCOPE_MEANING = {
    ConsentScope.NAME: "your name, title and department may appear with the re-share",
    ConsentScope.PHOTO: "photos in which you can be recognised",
    ConsentScope.STORY: "a story about you or your work written by the team",
    ConsentScope.VIDEO: "video or audio in which you can be recognised",
}
CHANNEL_MEANING = {
    Channel.PUBLIC_SOCIAL: "the hospital's public accounts (LinkedIn, X, Instagram, Facebook, Mastodon, Bluesky)",
    Channel.INTERNAL: "the intranet, staff newsletters and screens inside the hospital",
    Channel.PRINT: "printed material: magazines, posters, leaflets",
}
STATUS_WORDS = {
    ConsentStatus.NONE: "missing",
    ConsentStatus.EXPIRED: "expired",
    ConsentStatus.REVOKED: "withdrawn",
    ConsentStatus.NOT_YET: "not yet in force",
}


@dataclass(frozen=True, slots=True)
class RiskGuide:
    """One risk category as the sheet explains it: what the team looks for, a made-up example, what instead."""

    category: RiskCategory
    what: str
    example: str
    instead: str


def parse_risk_guide(text: str) -> tuple[RiskGuide, ...]:
    """The guide from resources/policy/risk_examples.toml ([[category]] tables)."""
    data = tomllib.loads(text)
    return tuple(
        RiskGuide(RiskCategory(item["category"]), item["what"], item["example"], item["instead"])
        for item in data.get("category", [])
    )


@dataclass(frozen=True, slots=True)
class PolicySheet:
    cadence: CadencePolicy
    own_limits: tuple[tuple[str, int], ...]  # (person, limit) for people whose limit is not the default
    risks: tuple[RiskGuide, ...]
    our_places: tuple[str, ...]
    extra_terms: int  # how many words the team added to the engine
    expiry_warning_days: int
    contact: str  # "" when the team has not set one
    generated_on: date


@dataclass(frozen=True, slots=True)
class NoteItem:
    """One of the person's posts in the note: when and where it was posted, and what happened to it."""

    post_id: int
    platform: str
    posted_on: date
    day: date | None = None  # the re-share's day
    channel: str = ""
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MonthlyNote:
    person: Person
    year: int
    month: int
    limit: int
    reshared: tuple[NoteItem, ...]
    scheduled: tuple[NoteItem, ...]
    not_reshared: tuple[NoteItem, ...]
    waiting: tuple[NoteItem, ...]
    advice: tuple[tuple[str, str], ...]  # (category label, what to do instead) for the categories that stopped a post
    contact: str
    generated_on: date

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)


def _categories(findings: Sequence[ReviewFinding], open_only: bool, high_only: bool = False) -> list[RiskCategory]:
    wanted = []
    for review in findings:
        if review.resolution in (Resolution.FALSE_POSITIVE, Resolution.FIXED):
            continue
        if open_only and not review.is_open:
            continue
        if high_only and review.finding.severity is not Severity.HIGH:
            continue
        wanted.append(review.finding.category)
    order = list(RiskCategory)
    return sorted(set(wanted), key=order.index)


def _labels(categories: Sequence[RiskCategory]) -> str:
    return ", ".join(c.label for c in categories)


class PolicyService:
    def __init__(
        self,
        settings: SettingsService,
        people: PeopleService,
        posts: PostService,
        schedule: ScheduleService,
        consent: ConsentService,
        photo_tags: PhotoTagService,
        risk_guide: Sequence[RiskGuide],
        today: Callable[[], date] | None = None,
    ) -> None:
        self._settings = settings
        self._people = people
        self._posts = posts
        self._schedule = schedule
        self._consent = consent
        self._photo_tags = photo_tags
        self._guide = tuple(risk_guide)
        self._today = today or schedule.today

    def today(self) -> date:
        return self._today()

    # --- the policy sheet ---------------------------------------------------------------
    def sheet(self) -> PolicySheet:
        policy = self._settings.cadence_policy()
        own = tuple(
            (p.name, p.monthly_limit)
            for p in self._people.list_people(include_inactive=False)
            if p.monthly_limit is not None and p.monthly_limit != policy.monthly_limit
        )
        guide = {g.category: g for g in self._guide}
        return PolicySheet(
            cadence=policy,
            own_limits=own,
            risks=tuple(guide[c] for c in RiskCategory if c in guide),
            our_places=tuple(self._settings.our_places()),
            extra_terms=len(self._settings.extra_terms()),
            expiry_warning_days=EXPIRY_WARNING_DAYS,
            contact=self._settings.team_contact(),
            generated_on=self._today(),
        )

    # --- the monthly note ---------------------------------------------------------------
    def monthly_note(self, person_id: int, year: int, month: int) -> MonthlyNote:
        """The person's month: re-shared, scheduled, not re-shared (with reasons in general words), waiting.

        Re-shared and scheduled: the re-shares whose day falls in the month. Not re-shared and waiting: the
        person's posts written in the month that have no re-share."""
        if not 1 <= month <= 12:
            raise ValidationError(f"{month} is not a month (1 to 12).")
        person = self._people.get(person_id)
        policy = self._settings.cadence_policy()
        limit = effective_limit(policy, person.monthly_limit)
        first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        schedule = self._schedule.month(year, month)
        mine = sorted((e for e in schedule.entries if e.person_id == person_id), key=lambda e: e.share.day)
        reshared: list[NoteItem] = []
        scheduled: list[NoteItem] = []
        for entry in mine:
            post = self._posts.get(entry.share.post_id)
            item = NoteItem(post.id or 0, post.platform.label, post.posted_at.date(), entry.share.day,
                            entry.share.channel.label)
            (reshared if post.state is PostState.SHARED else scheduled).append(item)
        full = len(mine) >= limit
        check_day = min(max(self._today(), first), last)
        rows = self._posts.query(PostFilter(person_id=person_id, date_from=first, date_to=last, descending=False),
                                 0, 2000)
        not_reshared: list[NoteItem] = []
        waiting: list[NoteItem] = []
        stopped_by: set[RiskCategory] = set()
        for row in rows:
            if row.state in (PostState.SCHEDULED, PostState.SHARED):
                continue
            post = self._posts.get(row.id)
            findings = self._posts.findings(row.id)
            reasons, categories = self._reasons(post, person, findings, full, limit, check_day)
            stopped_by.update(categories)
            if not reasons:
                reasons = ["approved, waiting for a day" if post.state is PostState.APPROVED else "waiting for review"]
                waiting.append(NoteItem(row.id, post.platform.label, post.posted_at.date(), reasons=tuple(reasons)))
            else:
                not_reshared.append(NoteItem(row.id, post.platform.label, post.posted_at.date(), reasons=tuple(reasons)))
        guide = {g.category: g for g in self._guide}
        advice = tuple((c.label, guide[c].instead) for c in RiskCategory if c in stopped_by and c in guide)
        return MonthlyNote(person, year, month, limit, tuple(reshared), tuple(scheduled), tuple(not_reshared),
                           tuple(waiting), advice, self._settings.team_contact(), self._today())

    def _reasons(
        self, post: Post, person: Person, findings: Sequence[ReviewFinding], full: bool, limit: int, day: date
    ) -> tuple[list[str], list[RiskCategory]]:
        """Why the post is not re-shared, in general words (empty: nothing stops it), and the categories."""
        if post.state is PostState.REJECTED:
            categories = _categories(findings, open_only=False)
            if categories:
                return [f"refused at review: {_labels(categories)}"], categories
            group = general_reason(post.reject_reason)  # the reviewer's words grouped, never quoted
            if post.reject_reason.strip() and group != default_groups().other:
                return [f"refused at review: {group}"], []
            return ["refused at review (the team can tell you why)"], []
        high = _categories(findings, open_only=True, high_only=True)
        if post.state in (PostState.NEW, PostState.IN_REVIEW):
            if high:
                return [f"needs changes before it can be approved: {_labels(high)}"], high
            return [], []
        reasons: list[str] = []  # approved, not scheduled
        if high:
            reasons.append(f"needs changes before it can be scheduled: {_labels(high)}")
        if not person.active:
            reasons.append("your profile is marked inactive")
        for scope in sorted(needed_scopes(post)):
            status = self._consent.status(person.id or 0, scope, Channel.PUBLIC_SOCIAL, day)
            if not status.allows_use:
                reasons.append(f"consent for {SCOPE_WORDS[scope]} {STATUS_WORDS.get(status, 'missing')}")
        if post.id is not None and post.media:
            for tag in self._photo_tags.tags(post.id):
                if tag.person_id == person.id:
                    continue
                if not self._consent.status(tag.person_id, ConsentScope.PHOTO, Channel.PUBLIC_SOCIAL, day).allows_use:
                    reasons.append("consent from someone shown in a photo missing")
                    break
        if full:
            reasons.append(f"monthly limit reached ({limit} a month)")
        return reasons, high
