"""Suggested re-shares: a score from 0 to 100 for each post, with its reasons in plain words.

Pure functions over plain facts (no Qt, no SQL). Five parts, each worth 0..1, weighted by the team's
weights (Settings; docs/editorial.md "Suggested re-shares" justifies the defaults):

- quality: length fit for the target channel, a photo whose people have consent, a link, readability,
  not a wall of hashtags;
- engagement: the likes and reposts the export carried, against the team's busiest posts;
- freshness: newer is better, unless the team marked the post "evergreen";
- standing: people (and departments) never re-shared first, then fewer re-shares in the last 90 days
  than the team median;
- headroom: room left under the author's monthly limit this month.

A post with an open high-severity finding scores 0..9 and every other candidate 10..100, so it is
never suggested above a post without one, whatever the weights.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median
from typing import NamedTuple

from medshare_desktop.core.models import Channel, Platform, PostState

# Characters that read well when re-shared on each channel: (too short below, ideal from, ideal to, too long above)
LENGTH_FIT: dict[Channel, tuple[int, int, int, int]] = {
    Channel.PUBLIC_SOCIAL: (40, 80, 280, 600),
    Channel.INTERNAL: (60, 120, 1200, 3000),
    Channel.PRINT: (120, 300, 1500, 4000),
}
FRESH_DAYS = 14  # posts this young count as fully fresh
STALE_DAYS = 180  # and this old, not fresh at all (unless evergreen)
STANDING_WINDOW_DAYS = 90
HASHTAGS_OK = 3  # up to three hashtags never cost anything
CLOSED_STATES = frozenset({PostState.REJECTED, PostState.SCHEDULED, PostState.SHARED})

_URL = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)
_HASHTAG = re.compile(r"(?<!\w)#\w+")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
_VOWELS = re.compile(r"[aeiouy]+")
_SILENT_E = re.compile(r"[^aeiouy\s'’-][aeiouy]*[^aeiouy\s'’-]e\b")  # "care", "make": the e is not heard


@dataclass(frozen=True, slots=True)
class SuggestionWeights:
    """How much each part counts (any non-negative numbers; only their proportions matter)."""

    quality: int = 35
    engagement: int = 10
    freshness: int = 15
    standing: int = 30
    headroom: int = 10

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in WEIGHT_NAMES}

    @property
    def total(self) -> int:
        return sum(self.as_dict().values())


WEIGHT_NAMES = ("quality", "engagement", "freshness", "standing", "headroom")
WEIGHT_LABELS = {
    "quality": "Content quality",
    "engagement": "Engagement in the export",
    "freshness": "Freshness (or evergreen)",
    "standing": "Voices not yet heard",
    "headroom": "Room under the monthly limit",
}


@dataclass(frozen=True, slots=True)
class TextFacts:
    """What the score reads in a post's text to share (measured once per version of the text)."""

    length: int  # characters
    links: int
    ease: float | None  # Flesch reading ease; None for too few words to tell
    hashtags: int
    words: int


def measure(text: str, length: int | None = None) -> TextFacts:
    """`length`: the whole text's length when `text` is only its beginning."""
    text = text.strip()
    return TextFacts(
        length=len(text) if length is None else length,
        links=len(_URL.findall(text)),
        ease=reading_ease(text),
        hashtags=len(_HASHTAG.findall(text)),
        words=max(1, len(text.split())),
    )


class PostRecord(NamedTuple):
    """A post's facts as storage reads them (all but the text, which is measured once per version)."""

    post_id: int
    person_id: int | None
    person_name: str
    department: str
    platform: Platform
    state: PostState
    posted_at: datetime
    media_count: int
    likes: int | None
    reposts: int | None
    evergreen: bool
    open_high: bool
    version: int


@dataclass(frozen=True, slots=True)
class PostFacts:
    """What the score reads about one post."""

    post_id: int
    person_id: int | None
    person_name: str
    department: str
    platform: Platform
    state: PostState
    measured: TextFacts  # of the text to share (repurposed when there is one)
    posted_at: datetime
    media_count: int = 0
    photo_people: tuple[int, ...] = ()  # people tagged in the photos
    likes: int | None = None  # None: the export carried no count
    reposts: int | None = None
    evergreen: bool = False
    open_high: bool = False  # an open finding of high severity


@dataclass(frozen=True, slots=True)
class TeamFacts:
    """What the score reads about the team as a whole."""

    today: date
    reshares_90d: Mapping[int, int] = field(default_factory=dict)  # person → re-shares in the last 90 days
    ever_reshared: frozenset[int] = frozenset()  # people re-shared at least once
    departments_reshared: frozenset[str] = frozenset()  # departments re-shared at least once
    active_people: tuple[int, ...] = ()  # for the team median
    month_counts: Mapping[int, int] = field(default_factory=dict)  # person → re-shares this month
    limits: Mapping[int, int] = field(default_factory=dict)  # person → monthly limit
    photo_consent: frozenset[int] = frozenset()  # people with photo consent valid for the channel
    engagement_top: float = 0.0  # the 90th percentile of the team's engagement (likes + 2 × reposts)
    channel: Channel = Channel.PUBLIC_SOCIAL
    median_90d: float = 0.0  # the team's median re-shares in the last 90 days (team_median)


def team_median(reshares_90d: Mapping[int, int], active_people: Sequence[int]) -> float:
    """The median of the active people's re-shares in the window (people never re-shared count 0)."""
    people = tuple(active_people) or tuple(reshares_90d)
    return float(median([reshares_90d.get(p, 0) for p in people])) if people else 0.0


@dataclass(frozen=True, slots=True)
class Suggestion:
    post_id: int
    person_id: int | None
    person: str  # the person's name, or the post's author when it is linked to nobody
    score: int  # 0..100
    reasons: tuple[str, ...]  # plain words, the strongest first
    parts: tuple[tuple[str, float], ...] = ()  # (part name, 0..1) for each weighted part

    def as_json(self) -> dict[str, object]:
        return {"post_id": self.post_id, "person": self.person, "score": self.score, "reasons": list(self.reasons)}


@dataclass(frozen=True, slots=True)
class _Part:
    value: float  # 0..1
    reasons: tuple[tuple[float, str], ...]  # (how much it moves the score, ±; words)


def engagement_value(likes: int | None, reposts: int | None) -> float | None:
    if likes is None and reposts is None:
        return None
    return float((likes or 0) + 2 * (reposts or 0))


def engagement_top(values: Iterable[float | None]) -> float:
    """The 90th percentile of the posts' engagement that the exports carried (0 when none did)."""
    known = sorted(v for v in values if v is not None)
    if not known:
        return 0.0
    return known[min(len(known) - 1, int(0.9 * len(known)))]


def reading_ease(text: str) -> float | None:
    """Flesch reading ease of the prose (links and hashtags left out); None for fewer than 5 words."""
    prose = _HASHTAG.sub(" ", _URL.sub(" ", text))
    words = _WORD.findall(prose)
    if len(words) < 5:
        return None
    sentences = max(1, len(_SENTENCE_END.findall(prose.strip() + " ")))
    # syllables estimated over the whole text at once: vowel groups, less the silent final e's
    lower = " ".join(words).lower()
    syllables = max(len(words), len(_VOWELS.findall(lower)) - len(_SILENT_E.findall(lower)))
    return 206.835 - 1.015 * (len(words) / sentences) - 84.6 * (syllables / len(words))


def _quality(post: PostFacts, team: TeamFacts) -> _Part:
    reasons: list[tuple[float, str]] = []
    text = post.measured
    n = text.length
    short, lo, hi, long = LENGTH_FIT[team.channel]
    channel = team.channel.label.lower()
    if lo <= n <= hi:
        length = 1.0
        reasons.append((0.3, f"Good length for {channel} ({n} characters)"))
    elif n < lo:
        length = max(0.0, (n - short) / (lo - short)) if n > short else 0.0
        reasons.append((-0.3 * (1 - length), f"Short for {channel} ({n} characters)"))
    else:
        length = max(0.0, (long - n) / (long - hi)) if n < long else 0.0
        reasons.append((-0.3 * (1 - length), f"Long for {channel} ({n} characters; it reads best under {hi})"))

    if post.media_count:
        missing = [p for p in post.photo_people if p not in team.photo_consent]
        if not post.photo_people:
            photo = 0.6
            reasons.append((0.05, "Has a photo (no one tagged in it yet)"))
        elif missing:
            photo = 0.0
            reasons.append((-0.3, "A person in the photo has no photo consent for this channel"))
        else:
            photo = 1.0
            reasons.append((0.2, "Has a photo, and everyone in it has consent"))
    else:
        photo = 0.4

    link = 1.0 if text.links else 0.5
    if text.links:
        reasons.append((0.1, "Has a link to read more"))

    ease = text.ease
    if ease is None:
        readable = 0.5
    else:
        readable = min(1.0, max(0.0, (ease - 20) / 40))  # 60+ plain English, 20 or less very hard
        if readable >= 0.75:
            reasons.append((0.1, "Easy to read"))
        elif readable <= 0.35:
            reasons.append((-0.2, "Hard to read (long sentences or long words)"))

    tags = text.hashtags
    words = text.words
    if tags > HASHTAGS_OK and (tags > 6 or tags / words > 0.25):
        hashtags = 0.0
        reasons.append((-0.3, f"A wall of hashtags ({tags})"))
    elif tags > HASHTAGS_OK:
        hashtags = 0.5
        reasons.append((-0.1, f"Many hashtags ({tags})"))
    else:
        hashtags = 1.0

    value = 0.35 * length + 0.2 * photo + 0.1 * link + 0.2 * readable + 0.15 * hashtags
    return _Part(value, tuple(reasons))


def _engagement(post: PostFacts, team: TeamFacts) -> _Part:
    value = engagement_value(post.likes, post.reposts)
    if value is None:
        return _Part(0.3, ((0.0, "The export carried no likes or reposts"),))
    top = max(team.engagement_top, 1.0)
    part = min(1.0, math.log1p(value) / math.log1p(top))
    counts = f"{post.likes or 0} likes, {post.reposts or 0} reposts"
    if part >= 0.7:
        return _Part(part, ((0.3, f"Well received where it was posted ({counts})"),))
    if part <= 0.2:
        return _Part(part, ((-0.05, f"Little engagement where it was posted ({counts})"),))
    return _Part(part, ((0.05, f"Some engagement where it was posted ({counts})"),))


def _freshness(post: PostFacts, team: TeamFacts) -> _Part:
    if post.evergreen:
        return _Part(1.0, ((0.3, "Marked evergreen by the team"),))
    age = max(0, (team.today - post.posted_at.date()).days)
    if age <= FRESH_DAYS:
        when = "today" if age == 0 else "yesterday" if age == 1 else f"{age} days ago"
        return _Part(1.0, ((0.2, f"Fresh (posted {when})"),))
    value = max(0.0, 1 - (age - FRESH_DAYS) / (STALE_DAYS - FRESH_DAYS))
    if value <= 0.3:
        return _Part(value, ((-0.3, f"Stale (posted {age} days ago; not marked evergreen)"),))
    return _Part(value, ((0.0, f"Posted {age} days ago"),))


def _standing(post: PostFacts, team: TeamFacts) -> _Part:
    if post.person_id is None:
        return _Part(0.3, ((-0.1, "Not linked to a person yet"),))
    if post.person_id not in team.ever_reshared:
        return _Part(1.0, ((0.5, f"{post.person_name} has never been re-shared"),))
    if post.department and post.department not in team.departments_reshared:
        return _Part(1.0, ((0.5, f"No one from {post.department} has been re-shared yet"),))
    count = team.reshares_90d.get(post.person_id, 0)
    med = team.median_90d
    value = 0.8 * (med + 1) / (med + 1 + count)
    when = f"{count} re-share{'s' if count != 1 else ''} in the last {STANDING_WINDOW_DAYS} days"
    if count < med:
        return _Part(value, ((0.2, f"{post.person_name}: {when}, fewer than the team median ({med:g})"),))
    if count > med:
        return _Part(value, ((-0.3, f"{post.person_name}: {when}, more than the team median ({med:g})"),))
    return _Part(value, ((0.0, f"{post.person_name}: {when}, the team median"),))


def _headroom(post: PostFacts, team: TeamFacts) -> _Part:
    if post.person_id is None:
        return _Part(0.0, ())
    limit = team.limits.get(post.person_id, 0)
    used = team.month_counts.get(post.person_id, 0)
    if limit <= 0 or used >= limit:
        return _Part(0.0, ((-0.4, f"Monthly limit reached ({used} of {limit} this month)"),))
    left = limit - used
    return _Part(left / limit, ((0.05, f"Room this month ({used} of {limit} used)"),))


_PARTS = {
    "quality": _quality,
    "engagement": _engagement,
    "freshness": _freshness,
    "standing": _standing,
    "headroom": _headroom,
}


_CLOSED_WHY = {
    PostState.REJECTED: "Rejected: not a candidate",
    PostState.SCHEDULED: "Already scheduled",
    PostState.SHARED: "Already re-shared",
}
_OPEN_HIGH = "Open high-risk finding: resolve it first (ranked below every post without one)"


def score_post(post: PostFacts, team: TeamFacts, weights: SuggestionWeights, reasons: bool = True) -> Suggestion:
    """`reasons=False`: the score alone (ranking a whole inbox; the words are asked for a page at a time)."""
    name = post.person_name
    if post.state in CLOSED_STATES:
        return Suggestion(post.post_id, post.person_id, name, 0, (_CLOSED_WHY[post.state],) if reasons else ())
    w = weights.as_dict()
    parts = {key: fn(post, team) for key, fn in _PARTS.items() if w[key] > 0}
    total = sum(w.values())
    raw = sum(w[k] * p.value for k, p in parts.items()) / total if total > 0 else 0.0
    score = min(9, int(raw * 9.99)) if post.open_high else 10 + round(raw * 90)
    if not reasons:
        return Suggestion(post.post_id, post.person_id, name, score, ())
    weighted = [(abs(impact) * w[k], impact, words) for k, p in parts.items() for impact, words in p.reasons]
    weighted.sort(key=lambda item: (-item[0], item[1] < 0))  # strongest first (a part weighted 0 says nothing)
    said = ([_OPEN_HIGH] if post.open_high else []) + [words for _, _, words in weighted]
    return Suggestion(
        post.post_id, post.person_id, name, score, tuple(said),
        parts=tuple((k, round(p.value, 3)) for k, p in parts.items()),
    )


def score_posts(
    posts: Sequence[PostFacts], team: TeamFacts, weights: SuggestionWeights, reasons: bool = True
) -> list[Suggestion]:
    """Every post's suggestion, in the order given."""
    return [score_post(p, team, weights, reasons) for p in posts]


def rank(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """Best first; ties by post id (newer imports first)."""
    return sorted(suggestions, key=lambda s: (-s.score, -s.post_id))
