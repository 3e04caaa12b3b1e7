"""Domain models: plain, frozen dataclasses and enums (no Qt, SQLAlchemy or spaCy here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Platform(StrEnum):
    LINKEDIN = "linkedin"
    X = "x"
    INSTAGRAM = "instagram"
    FACEBOOK = "facebook"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    BLOG = "blog"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _PLATFORM_LABELS[self]


_PLATFORM_LABELS = {
    Platform.LINKEDIN: "LinkedIn",
    Platform.X: "X",
    Platform.INSTAGRAM: "Instagram",
    Platform.FACEBOOK: "Facebook",
    Platform.MASTODON: "Mastodon",
    Platform.BLUESKY: "Bluesky",
    Platform.BLOG: "Blog",
    Platform.OTHER: "Other",
}


class Role(StrEnum):
    PHYSICIAN = "physician"
    NURSE = "nurse"
    EMPLOYEE = "employee"


class PostState(StrEnum):
    NEW = "new"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    SHARED = "shared"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ConsentScope(StrEnum):
    NAME = "name"
    PHOTO = "photo"
    STORY = "story"
    VIDEO = "video"


class Channel(StrEnum):
    INTERNAL = "internal"
    PUBLIC_SOCIAL = "public_social"
    PRINT = "print"

    @property
    def label(self) -> str:
        return {"internal": "Internal", "public_social": "Public social", "print": "Print"}[self.value]


class RiskCategory(StrEnum):
    PHI = "phi"
    PATIENT_STORY = "patient_story"
    DISCOVERABLE = "discoverable"
    UNPROFESSIONAL = "unprofessional"
    MEDICAL_ADVICE = "medical_advice"
    CONSENT = "consent"

    @property
    def label(self) -> str:
        return {
            "phi": "Patient identifiers (PHI)",
            "patient_story": "Patient story",
            "discoverable": "Discoverable statement",
            "unprofessional": "Unprofessional content",
            "medical_advice": "Medical advice",
            "consent": "Consent",
        }[self.value]


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 3, "medium": 2, "low": 1}[self.value]


class Resolution(StrEnum):
    FIXED = "fixed"  # fixed in the repurposed text
    ACCEPTED = "accepted"  # accepted with a reason
    FALSE_POSITIVE = "false_positive"


@dataclass(frozen=True, slots=True)
class Person:
    id: int | None
    name: str
    role: Role = Role.PHYSICIAN
    department: str = ""
    email: str = ""
    monthly_limit: int | None = None  # None: the global default applies
    active: bool = True
    aliases: tuple[str, ...] = ()  # other spellings the risk engine looks for


@dataclass(frozen=True, slots=True)
class SourceAccount:
    id: int | None
    person_id: int
    platform: Platform
    handle: str
    watched: bool = True
    feed_url: str = ""


@dataclass(frozen=True, slots=True)
class Post:
    id: int | None
    platform: Platform
    author: str
    text: str
    posted_at: datetime
    external_id: str | None = None
    url: str = ""
    media: tuple[str, ...] = ()
    source_account_id: int | None = None
    person_id: int | None = None
    imported_at: datetime | None = None
    state: PostState = PostState.NEW
    repurposed_text: str | None = None
    reject_reason: str = ""
    shared_url: str = ""
    content_hash: str = ""
    version: int = 1

    @property
    def text_for_share(self) -> str:
        return self.repurposed_text if self.repurposed_text is not None else self.text


@dataclass(frozen=True, slots=True)
class Finding:
    """One risky span found by the risk engine. Offsets are Python string indices."""

    start: int
    end: int
    text: str
    category: RiskCategory
    kind: str
    severity: Severity
    rule: str
    message: str
    suggestion: str = ""


@dataclass(frozen=True, slots=True)
class ReviewFinding:
    """A finding stored against a post, with the reviewer's resolution."""

    id: int | None
    post_id: int
    finding: Finding
    resolution: Resolution | None = None
    resolution_reason: str = ""
    resolved_by: str = ""
    resolved_at: datetime | None = None

    @property
    def is_open(self) -> bool:
        return self.resolution is None


@dataclass(frozen=True, slots=True)
class ConsentRecord:
    id: int | None
    person_id: int
    scopes: frozenset[ConsentScope]
    channels: frozenset[Channel]
    granted_on: date
    expires_on: date | None = None
    revoked_on: date | None = None
    revoke_reason: str = ""
    evidence_path: str = ""
    evidence_sha256: str = ""
    notes: str = ""
    recorded_by: str = ""
    recorded_at: datetime | None = None
    supersedes_id: int | None = None  # an edit creates a new version pointing at the old one


@dataclass(frozen=True, slots=True)
class ScheduledShare:
    id: int | None
    post_id: int
    day: date
    channel: Channel = Channel.PUBLIC_SOCIAL
    override_reason: str = ""
    created_by: str = ""


@dataclass(frozen=True, slots=True)
class AuditEvent:
    id: int | None
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    before: str = ""  # JSON text
    after: str = ""  # JSON text
    prev_hash: str = ""
    hash: str = ""  # HMAC-SHA256 seal under key_id's key; plain SHA-256 when key_id is ""
    key_id: str = ""  # the keyring key that sealed it (core/rules/audit_chain.py)


@dataclass(frozen=True, slots=True)
class ImportedPost:
    """A post as an importer reads it from a file or feed, before it is stored."""

    platform: Platform
    text: str
    posted_at: datetime
    author: str = ""
    handle: str = ""
    external_id: str | None = None
    url: str = ""
    media: tuple[str, ...] = ()
    likes: int | None = None  # engagement the export carried (None: it did not say)
    reposts: int | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    new: int = 0
    already_present: int = 0
    skipped: tuple[str, ...] = ()  # one reason per skipped record
    unassigned_ids: tuple[int, ...] = ()  # new posts the import could not link to a person
    unassigned_sources: tuple[str, ...] = ()  # how those posts name their author ("Ana Silva (@ana, X)")

    def summary(self) -> str:
        text = f"{self.new} new, {self.already_present} already present, {len(self.skipped)} skipped"
        if self.skipped:
            text += " (" + "; ".join(self.skipped[:3]) + (" …" if len(self.skipped) > 3 else "") + ")"
        if self.unassigned_ids:
            text += f"; {len(self.unassigned_ids)} not linked to a person"
        return text


@dataclass(frozen=True, slots=True)
class KnownPerson:
    """What the risk engine needs to know about a person for the consent category."""

    name: str
    aliases: tuple[str, ...] = ()
    consented_scopes: frozenset[ConsentScope] = frozenset()


@dataclass(frozen=True, slots=True)
class AnalysisContext:
    known_people: tuple[KnownPerson, ...] = ()
    has_photos: bool = False
    people_shown: tuple[str, ...] = ()  # names the reviewer tagged in attached photos
    extra_terms: tuple[tuple[str, str], ...] = field(default=())  # (term, category) added in Settings
    our_places: tuple[str, ...] = ()  # the team's own places (Settings): PHI places near a patient


@dataclass(frozen=True, slots=True)
class MissedRisk:
    """A span of a post's text to share that a reviewer marked as risky when the engine missed it.
    Kept with the post; while the marked words are in the text it is an open reviewer-added finding."""

    id: int | None
    post_id: int
    start: int
    end: int
    text: str
    category: RiskCategory
    note: str = ""
    marked_by: str = ""
    marked_at: datetime | None = None
    removed_by: str = ""  # its author took it back as a mistake
    removed_at: datetime | None = None
    removal_reason: str = ""

    @property
    def active(self) -> bool:
        return self.removed_at is None


@dataclass(frozen=True, slots=True)
class TeamExample:
    """One sentence the team labelled by a decision (a false positive, a missed risk): training data
    for the sentence classifier. `label`: none, story, discoverable, unprofessional or advice."""

    text: str
    label: str
    post_id: int | None = None
