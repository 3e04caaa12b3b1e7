"""Backups as a use case: list them with a preview of what each holds, back up now, restore one.

The storage adapter (storage/backup.py: SqliteBackupStore) implements the BackupStore port. A
restore is recorded in the audit trail of the restored database, naming the backup and the safety
copy of the database it replaced (which keeps the replaced audit trail).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from medshare_desktop.core.ports import UnitOfWorkFactory
from medshare_desktop.core.services.audit_service import AuditService

SERVER_BACKUPS = (
    "This database is on a team server, so its backups are the server's job, not this app's: hospital IT backs "
    "it up with pg_dump or point-in-time recovery and restores it there (see docs/team_mode.md, \"Backups\"). "
    "The app's own backups and restores copy a database file on this computer only."
)


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: str
    created: datetime  # UTC
    size_bytes: int
    reason: str  # daily | manual | before-restore | before-migration-to-<rev> | before-encryption

    @property
    def name(self) -> str:
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]

    @property
    def size_label(self) -> str:
        size = float(self.size_bytes)
        for unit in ("bytes", "KB", "MB", "GB"):
            if size < 1024 or unit == "GB":
                return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
            size /= 1024
        return f"{size:.1f} GB"


@dataclass(frozen=True, slots=True)
class BackupPreview:
    """What a backup holds, read without opening it as the live database."""

    revision: str | None
    people: int
    posts_by_state: dict[str, int] = field(default_factory=dict)
    consents: int = 0
    scheduled_shares: int = 0
    audit_events: int = 0
    newest_audit_event: str | None = None

    @property
    def posts(self) -> int:
        return sum(self.posts_by_state.values())

    def summary(self) -> str:
        states = ", ".join(f"{state} {n}" for state, n in sorted(self.posts_by_state.items()))
        newest = f" (newest {self.newest_audit_event[:19]})" if self.newest_audit_event else ""
        return (
            f"{self.people} people, {self.posts} posts"
            + (f" ({states})" if states else "")
            + f", {self.consents} consent records, {self.scheduled_shares} scheduled re-shares, "
            f"{self.audit_events} audit events{newest}; schema {self.revision or 'unknown'}"
        )


@dataclass(frozen=True, slots=True)
class RestoreReport:
    backup: str
    preview: BackupPreview
    safety_backup: str | None  # the database as it was just before the restore

    def summary(self) -> str:
        saved = f" The previous database was saved as {self.safety_backup}." if self.safety_backup else ""
        return f"Restored {self.backup}: {self.preview.summary()}.{saved}"


class BackupStore(Protocol):
    def list_backups(self) -> list[BackupInfo]: ...
    def preview(self, path: str) -> BackupPreview: ...
    def back_up(self, reason: str) -> BackupInfo: ...
    def restore(self, path: str) -> tuple[BackupPreview, str | None]: ...
    def location(self) -> str: ...


DAILY_EVERY = timedelta(hours=24)


class BackupService:
    def __init__(self, store: BackupStore, uow: UnitOfWorkFactory, audit: AuditService) -> None:
        self._store = store
        self._uow = uow
        self._audit = audit

    def location(self) -> str:
        """The folder the backups are kept in."""
        return self._store.location()

    def list_backups(self) -> list[BackupInfo]:
        """Newest first."""
        return self._store.list_backups()

    def preview(self, backup: BackupInfo | str) -> BackupPreview:
        return self._store.preview(backup.path if isinstance(backup, BackupInfo) else backup)

    def back_up_now(self) -> BackupInfo:
        return self._store.back_up("manual")

    def daily_backup_if_due(self, now: datetime | None = None) -> BackupInfo | None:
        """The day's backup (run at start-up, in a worker) when the newest daily one is 24 h old; else None."""
        dailies = [b for b in self._store.list_backups() if b.reason == "daily"]
        if dailies and (now or datetime.now(UTC)) - dailies[0].created < DAILY_EVERY:
            return None
        return self._store.back_up("daily")

    def restore(self, backup: BackupInfo | str) -> RestoreReport:
        """Back up the current database, then replace it with the backup (refused if the backup is unusable)."""
        path = backup.path if isinstance(backup, BackupInfo) else backup
        preview, safety = self._store.restore(path)
        report = RestoreReport(path.replace("\\", "/").rsplit("/", 1)[-1], preview, safety)
        record_restore(self._uow, self._audit, report)
        return report


def record_restore(uow: UnitOfWorkFactory, audit: AuditService, report: RestoreReport) -> None:
    """The restore goes into the restored database's audit trail (the replaced trail is in the safety copy)."""
    with uow() as tx:
        audit.record(
            tx,
            "database.restored",
            "database",
            None,
            restarts_witness=True,  # the restored trail is shorter than the replaced one's witness
            after={
                "backup": report.backup,
                "safety_backup": report.safety_backup or "",
                "revision": report.preview.revision or "",
            },
        )
