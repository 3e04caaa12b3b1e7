"""Bring a database to the newest schema with Alembic, taking a backup of the file first.

Alembic (and its many imports) loads only when a migration is actually due: the schema version is
read with one query of `alembic_version` and compared with the newest revision, which is read from
the migration files' `revision = "…"` / `down_revision = "…"` lines without importing them.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.storage.database import make_engine, sqlite_file
from medshare_desktop.storage.team_roles import prepare_migration

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION_LINE = re.compile(r'^(revision|down_revision)\s*(?::[^=]*)?=\s*(?:"([^"]*)"|\'([^\']*)\'|None)', re.M)


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@lru_cache(maxsize=1)
def revision_graph() -> dict[str, str | None]:
    """revision → down_revision, read from the migration files as text (no Alembic import)."""
    graph: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found: dict[str, str | None] = {}
        for match in _REVISION_LINE.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(1), match.group(2) or match.group(3) or None)
        if found.get("revision"):
            graph[found["revision"]] = found.get("down_revision")  # type: ignore[index]
    return graph


def head_revision() -> str:
    graph = revision_graph()
    heads = set(graph) - {down for down in graph.values() if down}
    if len(heads) != 1:
        raise DatabaseError(f"The app's migrations have {len(heads)} newest revisions instead of one: {sorted(heads)}.")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision (None for a new, empty database): one query, no Alembic."""
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except (OperationalError, ProgrammingError):  # no alembic_version table: never migrated
            return None
    if len(rows) > 1:
        raise DatabaseError(f"The database names {len(rows)} schema versions at once; it cannot be opened safely.")
    return str(rows[0]) if rows else None


def backup_sqlite(db_file: str, backup_folder: Path, reason: str) -> Path:
    """Copy a SQLite database with the online backup API (consistent even while it is open).

    Encrypted databases are copied encrypted with the same key; old pre-migration copies are rotated.
    """
    from medshare_desktop.storage.backup import create_backup

    return create_backup(db_file, backup_folder, reason)


# PostgreSQL advisory lock key of "upgrading the schema" (any fixed 64-bit number, the same on every desk)
MIGRATION_LOCK = 0x4D45_4453_4D49_4731  # "MEDSMIG1"


def _still_due(conn: Connection, target: str) -> bool:
    """On a server, wait until no other desk is upgrading (a lock held to the end of this transaction), then
    read the revision again: several desks starting together on an empty database upgrade it once, the
    others find it done. SQLite needs no such step (BEGIN IMMEDIATE already waits for the other writer,
    and the second upgrade then has nothing left to do)."""
    if conn.dialect.name != "postgresql":
        return True
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    if not conn.execute(text("SELECT to_regclass('alembic_version') IS NOT NULL")).scalar():
        return True
    return conn.execute(text("SELECT max(version_num) FROM alembic_version")).scalar() != target


def upgrade_to_head(engine: Engine, url: str, backup_folder: Path | None = None, revision: str = "head") -> Path | None:
    """Upgrade the schema; returns the backup taken before migrating an existing database, if any."""
    current = current_revision(engine)
    target = head_revision() if revision == "head" else revision
    if current == target:
        return None
    backup: Path | None = None
    db_file = sqlite_file(url)
    if current is not None and db_file and backup_folder is not None and Path(db_file).exists():
        backup = backup_sqlite(db_file, backup_folder, f"before-migration-to-{target}")
        log.info("backup before migration %s -> %s written to %s", current, target, backup)
    from alembic import command

    config = alembic_config(url)
    # pysqlite's default (legacy) transaction handling runs DDL in autocommit, so a crash mid-migration
    # would leave half a schema. Migrate on our own engine with the driver's autocommit off and an explicit
    # BEGIN IMMEDIATE: every step, and alembic_version, commit together or not at all.
    migrating = make_engine(url, explicit_transactions=True) if db_file else engine
    try:
        with migrating.begin() as conn:
            if not _still_due(conn, target):
                log.info("database upgraded to %s by another desk meanwhile", target)
                return None
            config.attributes["connection"] = conn
            prepare_migration(conn)  # on a server: as the schema's owner, so that it keeps owning every table
            command.upgrade(config, revision)
            if conn.dialect.name == "sqlite":
                broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
                if broken:
                    raise DatabaseError(f"the migration left {len(broken)} row(s) pointing at missing rows")
    except Exception as exc:  # noqa: BLE001 - reported to the user with the backup's location
        log.exception("migration failed")
        where = f" A backup of the database before the attempt is at {backup}." if backup else ""
        raise DatabaseError(f"The database could not be upgraded to the current version: {exc}.{where}") from exc
    finally:
        if migrating is not engine:
            migrating.dispose()
    log.info("database migrated from %s to %s", current, target)
    return backup


def known_revisions() -> set[str]:
    """Every schema revision this version of the app can open (and upgrade)."""
    return set(revision_graph())
