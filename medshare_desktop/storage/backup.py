"""Backups with SQLite's online backup API: create, rotate, list, preview (read-only) and restore.

Files are named `<db stem>-<UTC stamp>-<reason>.db` in the backup folder. A backup is written to a
`.partial` file and renamed when complete, so a crash never leaves half a backup that looks whole.
Backups of an encrypted database are encrypted with the same key.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from medshare_desktop.core.errors import DatabaseError, DatabaseFileError
from medshare_desktop.core.services.backup_service import DAILY_EVERY, BackupInfo, BackupPreview
from medshare_desktop.storage import encryption

log = logging.getLogger(__name__)

KEEP = {"daily": 7, "before-migration": 5, "manual": 10, "before-restore": 10, "before-encryption": 3}
_NAME = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{6}\d{6}Z)-(?P<reason>[a-z0-9-]+)\.db$")


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: Path
    created: datetime
    size_bytes: int
    reason: str

    @property
    def kind(self) -> str:
        return "before-migration" if self.reason.startswith("before-migration") else self.reason


def _parse(path: Path) -> BackupFile | None:
    match = _NAME.match(path.name)
    if not match:
        return None
    created = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    return BackupFile(path, created, path.stat().st_size, match["reason"])


def list_backups(folder: Path, stem: str | None = None) -> list[BackupFile]:
    """Backups in `folder` (of the database named `stem`, if given), newest first."""
    if not folder.is_dir():
        return []
    found = [b for p in folder.glob("*.db") if (b := _parse(p)) is not None]
    if stem is not None:
        found = [b for b in found if _NAME.match(b.path.name)["stem"] == stem]  # type: ignore[index]
    return sorted(found, key=lambda b: b.created, reverse=True)


def _key_for(db_file: Path) -> str | None:
    return encryption.required_key(db_file) if encryption.is_encrypted(db_file) else None


def copy_database(source: Path, source_key: str | None, target: Path, target_key: str | None) -> None:
    """Page-by-page copy with the backup API (both sides must share their encryption, else it re-encrypts)."""
    if (source_key is None) != (target_key is None):
        temporary = target.with_name(target.name + ".converted")
        encryption.export_copy(source, source_key, temporary, target_key)
        try:
            copy_database(temporary, target_key, target, target_key)
        finally:
            temporary.unlink(missing_ok=True)
        return
    src = encryption.connect_raw(source, source_key)
    try:
        dest = encryption.connect_raw(target, target_key, timeout=10)
        try:
            src.backup(dest)
            dest.commit()
        finally:
            dest.close()
    finally:
        src.close()


def _write(source: Path, partial: Path, target: Path) -> None:
    """Copy into `partial`, make it one self-contained file (no -wal beside it), then rename it into place."""
    key = _key_for(source)
    partial.unlink(missing_ok=True)
    copy_database(source, key, partial, key)
    conn = encryption.connect_raw(partial, key, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=DELETE")
        try:
            verdict = conn.execute("PRAGMA quick_check").fetchone()[0]  # on the copy: ~0.25 s for 230 MB
        except Exception as exc:  # noqa: BLE001 - sqlite3's or SQLCipher's DatabaseError: too damaged to check
            verdict = str(exc)
    finally:
        conn.close()
    if verdict != "ok":  # a damaged database must not push the good backups out of the rotation
        partial.unlink(missing_ok=True)
        raise DatabaseFileError(
            f"The database {source} is damaged (SQLite's check says: {verdict}), so no backup was taken and the "
            "older backups are all kept. Restore one of them (Settings → Backups, or medshare restore).",
            str(source),
        )
    with open(partial, "rb") as handle:  # the copy, closed in SQLite above: never the live database
        os.fsync(handle.fileno())
    os.replace(partial, target)


def create_backup(db_file: str | Path, folder: Path, reason: str) -> Path:
    """A consistent copy of the (possibly open) database; returns its path. Rotates old backups."""
    source = Path(db_file)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{source.stem}-{stamp}-{reason}.db"
    _write(source, target.with_name(target.name + ".partial"), target)
    rotate(folder, source.stem)
    log.info("backup written: %s", target.name)
    return target


def rotate(folder: Path, stem: str) -> list[Path]:
    """Delete the oldest backups beyond KEEP per kind; returns what was deleted."""
    removed: list[Path] = []
    by_kind: dict[str, list[BackupFile]] = {}
    for backup in list_backups(folder, stem):
        by_kind.setdefault(backup.kind, []).append(backup)
    for kind, backups in by_kind.items():
        for old in backups[KEEP.get(kind, 10) :]:
            old.path.unlink(missing_ok=True)
            removed.append(old.path)
    return removed


def backup_to(db_file: Path, target: Path) -> Path:
    """A backup at a path the user chose (`medshare backup --to`); encrypted like the database."""
    if target.is_dir():
        target = target / f"{db_file.stem}-{datetime.now(UTC):%Y%m%dT%H%M%S}.db"
    if target.resolve() == db_file.resolve():
        raise DatabaseError("The backup cannot overwrite the database itself; choose another file.")
    partial = target.with_name(target.name + ".partial")
    try:
        _write(db_file, partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise DatabaseError(f"{target}: cannot be written ({exc.strerror})") from exc
    return target


def encrypt_backups(folder: Path, db_file: Path, key: str) -> int:
    """Re-write the database's plain backups encrypted with its key (after `medshare encrypt`)."""
    converted = 0
    for backup in list_backups(folder, db_file.stem):
        if encryption.is_encrypted(backup.path):
            continue
        temporary = backup.path.with_name(backup.path.name + ".encrypting")
        encryption.export_copy(backup.path, None, temporary, key)
        os.replace(temporary, backup.path)
        converted += 1
    return converted


def daily_backup_if_due(db_url: str, folder: Path | None = None, now: datetime | None = None) -> Path | None:
    """Take the day's backup at start-up when the newest daily one is older than 24 h (None: not due)."""
    from medshare_desktop.storage.database import sqlite_file

    db_file = sqlite_file(db_url)
    if db_file is None or not Path(db_file).exists():
        return None
    if folder is None:
        from medshare_desktop.paths import backup_dir

        folder = backup_dir()
    dailies = [b for b in list_backups(folder, Path(db_file).stem) if b.kind == "daily"]
    if dailies and (now or datetime.now(UTC)) - dailies[0].created < DAILY_EVERY:
        return None
    return create_backup(db_file, folder, "daily")


def read_only_connection(path: Path, key: str | None) -> Any:
    """Opens a file read-only, without writing beside it (no -shm) unless it has a -wal to read too."""
    has_wal = Path(f"{path}-wal").exists()
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("" if has_wal else "&immutable=1")
    if key is None:
        import sqlite3

        return sqlite3.connect(uri, uri=True)
    return encryption.connect_raw(uri, key, uri=True)


def open_backup(path: Path, live_db: Path) -> Any:
    """A read-only connection to a backup; encrypted backups use the live database's key."""
    if not path.is_file():
        raise DatabaseError(f"{path}: no such backup file")
    unusable = f"{path.name} is not a MedShare database backup (or it is damaged)."
    key = None
    if encryption.is_encrypted(path):
        key = encryption.stored_key(live_db) if encryption.sqlcipher_module() else None
        if key is None:
            raise DatabaseError(
                f"{unusable[:-1]}, or it is encrypted with a key this computer's keyring does not have."
            )
    try:
        conn = read_only_connection(path, key)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as exc:  # noqa: BLE001 - the driver's own error says little to a user
        raise DatabaseError(unusable) from exc
    return conn


def _scalar(conn: Any, sql: str) -> Any:
    try:
        return conn.execute(sql).fetchone()[0]
    except Exception:  # noqa: BLE001 - an older schema may lack the table: nothing of that kind
        return None


def describe(conn: Any) -> dict[str, Any]:
    """What a database holds, read with plain SQL (works for any schema revision)."""
    by_state: dict[str, int] = {}
    try:
        by_state = dict(conn.execute("SELECT state, count(*) FROM post GROUP BY state").fetchall())
    except Exception:  # noqa: BLE001
        by_state = {}
    return {
        "revision": _scalar(conn, "SELECT version_num FROM alembic_version"),
        "people": _scalar(conn, "SELECT count(*) FROM person") or 0,
        "posts_by_state": by_state,
        "consents": _scalar(conn, "SELECT count(*) FROM consent_record") or 0,
        "scheduled_shares": _scalar(conn, "SELECT count(*) FROM scheduled_share") or 0,
        "audit_events": _scalar(conn, "SELECT count(*) FROM audit_event") or 0,
        "newest_audit_event": _scalar(conn, "SELECT max(at) FROM audit_event"),
    }


def inspect_file(path: Path, live_db: Path) -> BackupPreview:
    conn = open_backup(path, live_db)
    try:
        return BackupPreview(**describe(conn))
    finally:
        conn.close()


def check_backup(path: Path, live_db: Path) -> dict[str, Any]:
    """The backup's contents after integrity and schema checks; DatabaseError says why it cannot be used."""
    from medshare_desktop.storage.migrate import known_revisions

    conn = open_backup(path, live_db)
    try:
        result = _scalar(conn, "PRAGMA integrity_check")
        if result != "ok":
            raise DatabaseError(f"{path.name} is damaged (integrity check: {result}); choose another backup.")
        facts = describe(conn)
    finally:
        conn.close()
    if facts["revision"] is None:
        raise DatabaseError(f"{path.name} is not a MedShare database backup (no schema version).")
    if facts["revision"] not in known_revisions():
        raise DatabaseError(
            f"{path.name} was made by a newer version of MedShare Desktop (schema {facts['revision']}); "
            "update the app before restoring it."
        )
    return facts


def restore_file(backup: Path, db_file: Path, folder: Path) -> tuple[dict[str, Any], Path | None]:
    """Replace the database's content with a backup's (every connection to it must be closed).

    Checks the backup first, backs the current database up, then copies with the backup API in one
    transaction on the live file. Returns the restored contents and the safety backup's path.
    """
    facts = check_backup(backup, db_file)
    exists = db_file.exists() and db_file.stat().st_size > 0
    safety: Path | None = None
    if exists and _unusable(db_file):
        safety, exists = set_aside(db_file), False
    live_key = _key_for(db_file) if exists else None
    backup_key = encryption.required_key(db_file) if encryption.is_encrypted(backup) else None
    if exists:
        try:
            safety = create_backup(db_file, folder, "before-restore")
        except (sqlite3.DatabaseError, DatabaseFileError):  # too damaged to copy or to pass a check: kept whole, beside it
            safety, exists = set_aside(db_file), False
    if not exists:
        live_key = backup_key
    copy_database(backup, backup_key, db_file, live_key)
    encryption.reread(db_file)  # every connection to it is closed: the restore's caller disposed them
    check = encryption.connect_raw(db_file, live_key)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DatabaseError(f"The restore did not complete; the previous database is in {safety}.")
    finally:
        check.close()
    log.info("database restored from %s (safety copy %s)", backup.name, safety.name if safety else "none")
    return facts, safety


def _unusable(db_file: Path) -> bool:
    """True when the file is not a database this computer can open (foreign, damaged, key missing)."""
    from medshare_desktop.storage.file_check import check_database_file

    try:
        check_database_file(f"sqlite:///{db_file}", search_backups=False)
    except DatabaseFileError:
        return True
    return False


def set_aside(db_file: Path) -> Path:
    """Rename an unusable database file (and its -wal/-shm) out of the way, never deleting it; returns its new path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = db_file.with_name(f"{db_file.name}.unusable-{stamp}")
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{db_file}{suffix}")
        if companion.exists():
            os.replace(companion, Path(f"{kept}{suffix}"))
    os.replace(db_file, kept)
    log.warning("unusable database file set aside as %s", kept.name)
    return kept


class SqliteBackupStore:
    """The core's BackupStore port over one SQLite database file and a backup folder."""

    def __init__(self, database: Any, folder: Path) -> None:
        from medshare_desktop.storage.database import sqlite_file

        db_file = sqlite_file(database.url)
        if db_file is None:
            raise DatabaseError("Backups need a database file (this one is in memory or on a server).")
        self._database = database
        self._file = Path(db_file)
        self._folder = folder

    def location(self) -> str:
        return str(self._folder)

    def list_backups(self) -> list[BackupInfo]:
        return [
            BackupInfo(str(b.path), b.created, b.size_bytes, b.reason)
            for b in list_backups(self._folder, self._file.stem)
        ]

    def preview(self, path: str) -> BackupPreview:
        return inspect_file(Path(path), self._file)

    def back_up(self, reason: str) -> BackupInfo:
        made = _parse(create_backup(self._file, self._folder, reason))
        assert made is not None
        return BackupInfo(str(made.path), made.created, made.size_bytes, made.reason)

    def restore(self, path: str) -> tuple[BackupPreview, str | None]:
        from medshare_desktop.storage.migrate import upgrade_to_head

        check_backup(Path(path), self._file)  # refuse before touching anything
        self._database.dispose()
        try:
            facts, safety = restore_file(Path(path), self._file, self._folder)
        finally:
            self._database.reopen()
        upgrade_to_head(self._database.engine, self._database.url, self._folder)
        return BackupPreview(**facts), str(safety) if safety else None
