"""Builds the services over a database: shared by the GUI (app.py) and the command line (cli.py)."""

from __future__ import annotations

import getpass
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from medshare_desktop.core.changes import ChangeFeed
from medshare_desktop.core.database_location import is_server_url, parse_server_url
from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.models import AnalysisContext, Finding, ImportedPost
from medshare_desktop.core.ports import ReadStream, RiskAnalyzer, TokenStore
from medshare_desktop.core.services.audit_service import AuditService
from medshare_desktop.core.services.backup_service import BackupService
from medshare_desktop.core.services.consent_service import ConsentService
from medshare_desktop.core.services.database_location_service import DatabaseLocationService
from medshare_desktop.core.services.encryption_service import EncryptionService
from medshare_desktop.core.services.evidence_service import EvidenceService
from medshare_desktop.core.services.import_service import ImportService
from medshare_desktop.core.services.insight_service import InsightService
from medshare_desktop.core.services.login_service import LoginService
from medshare_desktop.core.services.missed_risk_service import MissedRiskService
from medshare_desktop.core.services.people_service import PeopleService
from medshare_desktop.core.services.photo_tag_service import PhotoTagService
from medshare_desktop.core.services.policy_service import PolicyService, parse_risk_guide
from medshare_desktop.core.services.post_service import PostService
from medshare_desktop.core.services.refresh_service import RefreshService
from medshare_desktop.core.services.risk_service import RiskService
from medshare_desktop.core.services.schedule_service import ScheduleService
from medshare_desktop.core.services.server_move_service import ServerMoveService
from medshare_desktop.core.services.settings_service import SettingsService
from medshare_desktop.core.services.suggestion_service import SuggestionService
from medshare_desktop.core.services.team_learning_service import TeamLearningService
from medshare_desktop.exporters.ics import month_to_ics
from medshare_desktop.importers import iter_posts, read_pasted, source_name
from medshare_desktop.importers.hashing import content_hash
from medshare_desktop.importers.online import OnlineFetcher
from medshare_desktop.paths import backup_dir, database_url, default_db_path, models_dir, resource_path
from medshare_desktop.secrets import KeyringAuditKeyStore, KeyringTokenStore
from medshare_desktop.storage import Database, open_database, server_login, unit_of_work_factory
from medshare_desktop.storage.audit_witness import FileAuditWitness
from medshare_desktop.storage.backup import SqliteBackupStore
from medshare_desktop.storage.change_feed import SqliteChangeFeed
from medshare_desktop.storage.database import sqlite_file
from medshare_desktop.storage.db_evidence_store import LOCATION as EVIDENCE_IN_DATABASE
from medshare_desktop.storage.db_evidence_store import DbEvidenceStore
from medshare_desktop.storage.encryption_store import SqlCipherEncryptor
from medshare_desktop.storage.engine_check_record import FileEngineCheckRecord
from medshare_desktop.storage.evidence_store import FileEvidenceStore
from medshare_desktop.storage.insight_reader import SqlInsightReader
from medshare_desktop.storage.pg_change_feed import PgChangeFeed
from medshare_desktop.storage.server_move import SqlServerMover
from medshare_desktop.storage.team_roles import login_abilities
from medshare_desktop.team_trainer import TeamModelTrainer

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Services:
    database_url: str
    audit: AuditService
    settings: SettingsService
    people: PeopleService
    posts: PostService
    consent: ConsentService
    schedule: ScheduleService
    risk: RiskService
    imports: ImportService
    photo_tags: PhotoTagService
    tokens: TokenStore
    refresh: RefreshService
    missed_risks: MissedRiskService
    learning: TeamLearningService
    database: Database
    backups: BackupService | None  # None for an in-memory or server database
    encryption: EncryptionService
    approvals: EvidenceService  # evidence at approval: snapshots, their check and export (issue 16)
    suggestions: SuggestionService  # suggested re-shares: scores, reasons, weights, evergreen (issue 16)
    insights: InsightService  # the fairness and insight report (issue 16)
    read_only: bool = False  # another instance holds the database (see storage/instance_guard.py)
    evidence_location: str = ""  # the folder holding signed consent forms (or: in the database, on a server)
    change_feed: ChangeFeed | None = None  # changes committed by others (the CLI, another desk)
    server_move: ServerMoveService | None = None  # a database file's move to a team server (None on a server)
    login: LoginService = LoginService()  # what this login may change (a team server's groups)

    def close(self) -> None:
        if self.change_feed is not None:
            self.change_feed.close()
        self.database.dispose()


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name (some containers): still record something
        return "unknown"


class _DefaultAnalyzer:
    """The spaCy risk engine, imported on first use so start-up never waits for spaCy; it runs on the
    team's retrained sentence head when there is one (Settings → Risk engine)."""

    def __init__(self, trainer: TeamModelTrainer | None = None, sync: Callable[[], bool] | None = None) -> None:
        from medshare_desktop.analysis import analyze

        self._analyze = analyze
        if sync is not None:
            try:
                sync()  # the model the team trained last, on whichever desk (TeamLearningService.sync_from_team)
            except MedshareError:
                log.exception("the team's risk model could not be checked: this desk starts with its own")
        if trainer is not None and trainer.head_dir() is not None:
            trainer.apply_to_engine(build=True)

    def analyze(self, text: str, context: AnalysisContext | None = None) -> list[Finding]:
        return self._analyze(text, context)

    def fingerprint(self) -> str:
        """What the engine now in use is (RiskService.recheck_after_update compares it with the record)."""
        from medshare_desktop.analysis.engine import default_engine

        return default_engine().fingerprint()


class FileReader:
    """The importers package behind the core's PostReader port."""

    def stream(
        self,
        source: str,
        fmt: str = "auto",
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> ReadStream:
        return ReadStream(iter_posts(source, fmt, progress=progress, cancelled=cancelled), source_name(source))

    def read_pasted(self, text: str, url: str = "", author: str = "") -> ImportedPost:
        return read_pasted(text, url, author)


def _seal_audit_trail(audit: AuditService) -> None:
    """A trail from before keyed seals is checked and sealed once (an `audit.sealed` event)."""
    try:
        audit.seal_existing()
    except MedshareError as error:  # busy or read-only file: sealed at a later start instead
        log.warning("audit trail not sealed at start-up (%s)", type(error).__name__)


def build_services(
    url: str | None = None,
    actor: str | None = None,
    analyzer_factory: Callable[[], RiskAnalyzer] | None = None,
    read_only: bool = False,
    backup_folder: Path | None = None,
    evidence_folder: Path | None = None,
    today: Callable[[], date] = date.today,
    models_folder: Path | None = None,
) -> Services:
    """Open (and migrate) the database and wire every service to it (`read_only`: never write to it).

    Backups go to `backup_folder` and signed consent forms to `evidence_folder` (default: the per-user
    backups and evidence folders); the team's retrained risk model lives in `models_folder` (default:
    <data>/models).
    """
    resolved = url if url and "://" in url else database_url(url)
    backups_at = backup_folder or backup_dir()
    database = open_database(resolved, backups_at, read_only=read_only)
    log.info("database opened (%s)", database.engine.dialect.name)
    uow = unit_of_work_factory(database)
    db_file = sqlite_file(resolved)
    audit = AuditService(
        uow,
        actor or server_login(database.engine) or current_user(),  # on a server: its session_user
        keys=KeyringAuditKeyStore(),  # the keyring is first asked when an event is written or checked
        witness=FileAuditWitness(db_file) if db_file else None,
    )
    if not read_only:
        _seal_audit_trail(audit)
    settings = SettingsService(uow, audit)
    posts = PostService(uow, audit, content_hash)
    # On a server the signed forms live in the database, so every desk opens them; a file keeps its evidence
    # folder beside it on this desk (docs/team_mode.md, "Evidence files")
    on_server = database.engine.dialect.name != "sqlite"
    evidence = DbEvidenceStore(database, evidence_folder) if on_server else FileEvidenceStore(evidence_folder)
    consent = ConsentService(uow, audit, evidence=evidence)
    photo_tags = PhotoTagService(uow, audit)
    tokens = KeyringTokenStore()  # the keyring is first touched when a token is read or saved
    models_at = models_folder or models_dir()
    trainer = TeamModelTrainer(models_at)
    learning = TeamLearningService(uow, audit, trainer)
    backups = (
        BackupService(SqliteBackupStore(database, backups_at), uow, audit) if sqlite_file(resolved) else None
    )
    return Services(
        database_url=resolved,
        audit=audit,
        settings=settings,
        people=PeopleService(uow, audit),
        posts=posts,
        consent=consent,
        schedule=ScheduleService(uow, audit, settings, ics_writer=month_to_ics, today=today),
        photo_tags=photo_tags,
        tokens=tokens,
        refresh=RefreshService(uow, OnlineFetcher(), posts, tokens),
        risk=RiskService(
            analyzer_factory or (lambda: _DefaultAnalyzer(trainer, learning.sync_from_team)), posts, consent, settings,
            photo_tags,
            desk_record=FileEngineCheckRecord(models_at / "engine_checked.json", resolved),
        ),
        missed_risks=MissedRiskService(uow, audit),
        learning=learning,
        imports=ImportService(FileReader(), posts),
        database=database,
        backups=backups,
        encryption=EncryptionService(SqlCipherEncryptor(database, backups_at), uow, audit),
        approvals=EvidenceService(uow, audit, evidence),
        suggestions=SuggestionService(uow, audit, settings, today=today),
        insights=InsightService(uow, SqlInsightReader(database), today=today),
        read_only=read_only,
        evidence_location=EVIDENCE_IN_DATABASE if on_server else str(evidence.folder),
        change_feed=_change_feed(database),
        server_move=server_move_service(resolved, evidence_folder, audit.actor) if db_file else None,
        login=LoginService(lambda: login_abilities(database.engine)),
    )


def _change_feed(database: Database) -> ChangeFeed:
    """How this desk hears of changes others commit: a team server's NOTIFY, or polling SQLite's data version."""
    if database.engine.dialect.name == "postgresql":
        return PgChangeFeed(database)
    return SqliteChangeFeed(database)


def server_move_service(url: str | None = None, evidence_folder: Path | None = None,
                        actor: str | None = None) -> ServerMoveService:
    """The move of a database file (and its evidence folder) to a team server, without opening the file for
    writing: `medshare migrate-to` uses it as it is, so the file is left exactly as it was."""
    resolved = url if url and "://" in url else database_url(url)
    return ServerMoveService(SqlServerMover(resolved, evidence_folder), actor or current_user(), KeyringAuditKeyStore())


def policy_service(services: Services) -> PolicyService:
    """The physicians' policy sheet and monthly notes over these services (the risk guide from resources/policy)."""
    guide = parse_risk_guide(resource_path("policy", "risk_examples.toml").read_text(encoding="utf-8"))
    return PolicyService(services.settings, services.people, services.posts, services.schedule, services.consent,
                         services.photo_tags, guide)


def database_location_service(services: Services, started_with: str = "default") -> DatabaseLocationService:
    """Settings → Database over the per-user config, the keyring and a one-off server connection.

    `started_with` says what named the open database: "--db", "MEDSHARE_DB", "--demo", "saved", "default", or
    "fallback" (the saved team server could not be opened and the user chose this computer's file at start).
    """
    from medshare_desktop.storage.server_connection import (
        ConfigFileDatabaseChoice,
        KeyringServerPasswords,
        PostgresServerProbe,
    )

    in_use = services.database_url
    if is_server_url(in_use):
        in_use = parse_server_url(in_use).address.url()  # as the screen writes it, and never with a password
    return DatabaseLocationService(ConfigFileDatabaseChoice(), KeyringServerPasswords(), PostgresServerProbe(),
                                   str(default_db_path()), in_use, started_with)
