"""What the core needs from the outside world (implemented by storage/, analysis/, importers/)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import TracebackType
from typing import Protocol

from medshare_desktop.core.database_location import ServerAddress, ServerCheck
from medshare_desktop.core.models import (
    AnalysisContext,
    AuditEvent,
    ConsentRecord,
    Finding,
    ImportedPost,
    MissedRisk,
    Person,
    Platform,
    Post,
    PostState,
    Resolution,
    ReviewFinding,
    RiskCategory,
    ScheduledShare,
    Severity,
    SourceAccount,
    TeamExample,
)
from medshare_desktop.core.rules.approval_evidence import ApprovalEvidence
from medshare_desktop.core.rules.audit_chain import Witness, WitnessReading
from medshare_desktop.core.rules.planner import PlanPost


@dataclass(frozen=True, slots=True)
class PostFilter:
    states: frozenset[PostState] = frozenset()
    person_id: int | None = None
    platform: Platform | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive
    risk_category: RiskCategory | None = None
    search: str = ""  # full-text query (words; all must match)
    unanalysed_only: bool = False  # posts the risk engine has not looked at yet
    sort: str = "posted_at"  # posted_at | author | platform | state | risk (highest open severity, then count)
    descending: bool = True


@dataclass(frozen=True, slots=True)
class PostSummary:
    """One inbox row: what the table shows without loading the whole post."""

    id: int
    author: str
    platform: Platform
    posted_at: datetime
    excerpt: str
    state: PostState
    risk_summary: str  # "phi:2 discoverable:1", empty when clean or not analysed
    open_risk: Severity | None = None  # the highest severity among the unresolved findings
    open_findings: int = 0  # how many findings are unresolved


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    share: ScheduledShare
    person_id: int | None
    person_name: str
    excerpt: str  # from the text to share: the repurposed copy when there is one
    url: str
    open_high_findings: int
    repurposed: bool = False  # the text to share is an edited copy, not the original post


class IcsWriter(Protocol):
    """Writes calendar entries as an iCalendar file (implemented by exporters/ics.py)."""

    def __call__(self, entries: Sequence[CalendarEntry], *, flagged: Mapping[int, str] | None = None) -> bytes: ...


class PeopleRepository(Protocol):
    def list(self, include_inactive: bool = True) -> list[Person]: ...
    def get(self, person_id: int) -> Person: ...
    def add(self, person: Person) -> Person: ...
    def update(self, person: Person) -> Person: ...
    def accounts(self, person_id: int | None = None) -> list[SourceAccount]: ...
    def add_account(self, account: SourceAccount) -> SourceAccount: ...
    def update_account(self, account: SourceAccount) -> SourceAccount: ...
    def find_account(self, platform: Platform, handle: str) -> SourceAccount | None: ...


class PostRepository(Protocol):
    def claim_writes(self) -> None: ...  # the write lock, before reading what decides the writes
    def add_imported(
        self,
        posts: Sequence[ImportedPost],
        hashes: Sequence[str],
        owners: Sequence[tuple[int | None, int | None]],
        imported_at: datetime,
    ) -> tuple[list[int], int]: ...
    def get(self, post_id: int) -> Post: ...
    def save(self, post: Post) -> Post: ...
    def query(self, flt: PostFilter, offset: int = 0, limit: int = 200) -> list[PostSummary]: ...
    def count(self, flt: PostFilter, cap: int | None = None) -> int: ...
    def replace_findings(self, post_id: int, findings: Sequence[Finding], summary: str) -> list[ReviewFinding]: ...
    def findings(self, post_id: int) -> list[ReviewFinding]: ...
    def get_finding(self, finding_id: int) -> ReviewFinding: ...
    def reopen_finding(self, finding_id: int) -> ReviewFinding: ...
    def is_analysed(self, post_id: int) -> bool: ...  # the current text to share has been checked
    def resolve_finding(
        self, finding_id: int, resolution: Resolution, reason: str, by: str, at: datetime
    ) -> ReviewFinding: ...
    def unlinked(self, post_ids: Sequence[int]) -> list[int]: ...  # those of post_ids with no person
    def link_handle(self, platform: Platform, handle_key: str, account_id: int, person_id: int) -> list[int]: ...
    def assign_person(self, post_ids: Sequence[int], person_id: int | None) -> dict[int, int | None]: ...
    def planning_posts(self) -> list[PlanPost]: ...  # approved, unscheduled posts for the month planner


class ConsentRepository(Protocol):
    def current(self, person_id: int | None = None) -> list[ConsentRecord]: ...
    def history(self, person_id: int) -> list[ConsentRecord]: ...
    def get(self, record_id: int) -> ConsentRecord: ...
    def add(self, record: ConsentRecord) -> ConsentRecord: ...
    def supersede(self, old_id: int, new: ConsentRecord) -> ConsentRecord: ...


class ScheduleRepository(Protocol):
    def between(self, first: date, last: date) -> list[CalendarEntry]: ...
    def for_post(self, post_id: int) -> list[ScheduledShare]: ...
    def get(self, share_id: int) -> ScheduledShare: ...
    def add(self, share: ScheduledShare) -> ScheduledShare: ...
    def move(self, share_id: int, day: date, override_reason: str) -> ScheduledShare: ...
    def remove(self, share_id: int) -> None: ...
    def lock_for_cadence(self, post_id: int) -> None:
        """Hold, until the transaction ends, the lock that makes counting this post's author's re-shares and
        adding one a single step: another desk scheduling for them waits, then counts what this one added."""
        ...
    def lock_share_for_cadence(self, share_id: int) -> None:
        """The same lock, for the author of a scheduled re-share's post, plus the re-share itself: taken before
        the re-share is read, so that a move sees the day another desk just gave it."""
        ...


class AuditRepository(Protocol):
    def last(self, for_append: bool = True) -> AuditEvent | None:
        """The newest event; `for_append`: the transaction holds the write lock from here to its end."""
        ...

    def append(self, event: AuditEvent) -> AuditEvent: ...  # stored with event.id as given
    def for_entity(self, entity: str, entity_id: int) -> list[AuditEvent]: ...
    def all(self) -> list[AuditEvent]: ...
    def any_sealed(self) -> bool: ...  # some event carries a keyed seal
    def missing_guards(self) -> list[str]: ...  # append-only triggers that should exist but do not
    def after_commit(self, callback: Callable[[], None], slot: str) -> None: ...
    # run once the transaction committed; a later callback for the same slot replaces the earlier one
    def publish_pending(self) -> bool: ...  # this transaction already recorded an event to publish after it


class AuditKeyStore(Protocol):
    """The keys that seal the audit trail, kept outside the database (the OS keyring)."""

    def load(self, key_id: str) -> bytes | None: ...  # None: not here (or the keyring cannot be reached)
    def create(self) -> tuple[str, bytes]: ...  # a new random key, stored; raises MedshareError if it cannot be


class AuditWitness(Protocol):
    """The chain's head kept outside the database; never moved backwards except by restart()."""

    def read(self) -> WitnessReading: ...
    def advance(self, witness: Witness) -> None: ...  # keeps whichever of the two counts more events
    def restart(self, witness: Witness) -> None: ...  # after a restore: replaces whatever was there


class MissedRiskRepository(Protocol):
    """Reviewers' "Missed risk" marks, and the decisions the team's model learns from."""

    def add(self, mark: MissedRisk) -> MissedRisk: ...
    def get(self, mark_id: int) -> MissedRisk: ...
    def for_post(self, post_id: int) -> list[MissedRisk]: ...  # active ones, by start
    def remove(self, mark_id: int, by: str, at: datetime, reason: str) -> MissedRisk: ...
    def all_active(self) -> list[tuple[MissedRisk, str]]: ...  # with the post's text to share
    def false_positives(self) -> list[tuple[ReviewFinding, str, str]]: ...  # (finding, text to share, original)


class SettingsRepository(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...


class UnitOfWork(Protocol):
    """One transaction: commits when the `with` block ends normally, rolls back on an exception."""

    people: PeopleRepository
    posts: PostRepository
    consents: ConsentRepository
    schedule: ScheduleRepository
    audit: AuditRepository
    settings: SettingsRepository
    missed_risks: MissedRiskRepository

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]


class RiskAnalyzer(Protocol):
    def analyze(self, text: str, context: AnalysisContext | None = None) -> list[Finding]: ...


@dataclass(frozen=True, slots=True)
class ReadStream:
    """What a reader finds in one source, one record at a time: an ImportedPost, or a str (the reason
    a record is skipped). Iterating `items` reads the source, and may raise ImportFormatError or
    ImportCancelled part-way."""

    items: Iterator[ImportedPost | str]
    source_name: str


class PostReader(Protocol):
    """Reads posts from a file, folder, archive or feed URL (implemented by importers/)."""

    def stream(
        self,
        source: str,
        fmt: str = "auto",
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ReadStream: ...

    def read_pasted(self, text: str, url: str = "", author: str = "") -> ImportedPost: ...


# --- consent evidence and photo tags (build issue 5) -------------------------------------------


@dataclass(frozen=True, slots=True)
class StoredEvidence:
    """A signed consent form copied into the evidence folder under its content hash."""

    sha256: str
    stored_name: str  # file name inside the evidence folder, e.g. "<sha256>.pdf"
    original_name: str
    media_type: str  # application/pdf | image/jpeg | image/png
    size_bytes: int
    metadata_stripped: bool = False  # EXIF/GPS/text chunks removed from an image before storing
    stored_by: str = ""
    stored_at: datetime | None = None


class EvidenceStore(Protocol):
    """The evidence folder: checks, cleans and copies files; knows where a stored copy lives."""

    def store(self, source: str) -> StoredEvidence: ...
    def locate(self, stored_name: str) -> str: ...


class EvidenceRepository(Protocol):
    def add(self, evidence: StoredEvidence) -> StoredEvidence: ...  # the same hash twice: the first stays
    def get(self, sha256: str) -> StoredEvidence | None: ...


@dataclass(frozen=True, slots=True)
class PhotoTag:
    """A reviewer's note that a person is shown in the photos attached to a post."""

    post_id: int
    person_id: int
    person_name: str = ""
    tagged_by: str = ""
    tagged_at: datetime | None = None


class PhotoTagRepository(Protocol):
    def for_post(self, post_id: int) -> list[PhotoTag]: ...
    def replace(self, post_id: int, person_ids: Sequence[int], by: str, at: datetime) -> list[PhotoTag]: ...
    def posts_showing(self, person_id: int) -> list[int]: ...


class ConsentUnitOfWork(UnitOfWork, Protocol):
    """The unit of work with the repositories added for consent evidence and photo tags."""

    evidence: EvidenceRepository
    photo_tags: PhotoTagRepository


class ApprovalEvidenceRepository(Protocol):
    """Snapshots kept at approval (core/rules/approval_evidence.py): only ever added."""

    def add(self, evidence: ApprovalEvidence) -> ApprovalEvidence: ...
    def for_post(self, post_id: int) -> list[ApprovalEvidence]: ...  # oldest first
    def get(self, evidence_id: int) -> ApprovalEvidence: ...
    def missing_guards(self) -> list[str]: ...  # append-only triggers that should exist but do not


class EvidenceUnitOfWork(ConsentUnitOfWork, Protocol):
    """The unit of work with the snapshots kept at approval."""

    approval_evidence: ApprovalEvidenceRepository


# --- online refresh (build issue 3) ------------------------------------------------------------


class TokenStore(Protocol):
    """API tokens in the system keyring, by key ("token:mastodon:instance.social"). A token is
    never written to the database, a settings file or a log; keys() lists names only."""

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def delete(self, key: str) -> None: ...
    def keys(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class FetchedPosts:
    """What one watched account's feed or public API returned."""

    posts: tuple[ImportedPost, ...]
    skipped: tuple[str, ...]
    source_name: str  # "@user@instance.social", "name.bsky.social" or the feed address
    cursor: str | None = None  # hand back as `since` next time (the newest Mastodon status id)


class AccountFetcher(Protocol):
    """Fetches the new public posts of a watched account (implemented by importers.online)."""

    def unsupported_reason(self, account: SourceAccount) -> str | None:
        """None when the account can be refreshed online, else why not (a sentence)."""
        ...

    def token_key(self, account: SourceAccount) -> str | None:
        """The TokenStore key whose token, when saved, is sent with this account's requests."""
        ...

    def fetch(
        self,
        account: SourceAccount,
        token: str | None = None,
        since: str | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> FetchedPosts:
        """Raises a MedshareError naming the host on failure; is_unreachable() tells offline ones."""
        ...

    def is_unreachable(self, error: BaseException) -> bool:
        """True for errors meaning the host could not be reached at all (offline, DNS, timeout)."""
        ...


# --- learning from the team (issue 13) ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RetrainResult:
    """What retraining the sentence classifier on the team's decisions gave. Figures are F1-like scores
    (0..1) of the model in use before and of the new one, on the shipped validation set and on the
    team's own decisions held out. A refused model (`accepted` False) changed nothing; `reason` says why."""

    accepted: bool
    reason: str
    validation_before: float
    validation_after: float
    team_before: float
    team_after: float
    examples: int


class EngineCheckRecord(Protocol):
    """This desk's own note of the engine it last checked the review queue with (a file beside its models):
    (fingerprint, the time recorded in the database then), or None. In team mode each desk has its own."""

    def read(self) -> tuple[str, str] | None: ...
    def write(self, fingerprint: str, checked_at: str) -> None: ...


class ModelTrainer(Protocol):
    """Retrains the risk engine's sentence classifier in the app's data folder (team_trainer.py)."""

    def retrain(
        self,
        examples: Sequence[TeamExample],
        progress: Callable[[int, int, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> RetrainResult: ...  # raises RetrainCancelled when cancelled part-way (nothing changed)

    def rollback(self) -> bool: ...  # back to the previous model; False when there is none
    def has_team_model(self) -> bool: ...  # the engine runs on a model trained on the team's decisions
    def has_previous(self) -> bool: ...  # a rollback is possible
    # the active team head's files, to share with the team's other desks (None: the shipped head is in use)
    def export_active(self) -> dict[str, bytes] | None: ...
    # make these files (another desk's team head; None: the shipped head) the head in use here; False: already so
    def install(self, files: dict[str, bytes] | None) -> bool: ...


# --- fairness and insight (issue 16) -----------------------------------------------------------


class InsightReader(Protocol):
    """Counts for the fairness and insight report, read in one short session each (storage/insight_reader.py).
    Posts are placed by the month they were posted in (`first`..`last` inclusive, UTC dates)."""

    def finding_categories(self, first: date, last: date) -> list[tuple[datetime, RiskCategory]]:
        """One (posted_at, category) per finding caught on a post: those stored on it now and those the
        reviewers fixed since (the audit trail's "finding.fixed" events)."""
        ...

    def rejection_reasons(self, first: date, last: date) -> list[tuple[datetime, str]]:
        """(posted_at, reject_reason) of every rejected post."""
        ...


# --- where the data lives: this computer or a team server (issue 17) ----------------------------


class DatabaseChoiceStore(Protocol):
    """The database URL saved for the next start (the per-user config; paths.database_url reads it)."""

    def load(self) -> str | None: ...
    def save(self, url: str | None) -> None:
        """None: back to this computer's default file. The URL never carries a password."""
        ...


class ServerPasswordStore(Protocol):
    """Team-server passwords in the system keyring, by entry name (ServerAddress.password_entry)."""

    def get(self, entry: str) -> str | None: ...
    def set(self, entry: str, password: str) -> None: ...


class ServerProbe(Protocol):
    """Connects to a server once (off the GUI thread) and says what it found, in words."""

    def check(self, address: ServerAddress, password: str | None) -> ServerCheck: ...
