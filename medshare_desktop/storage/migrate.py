"""Bring a database to the newest schema with Alembic, taking a backup of the file first."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text

from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.storage.database import make_engine, sqlite_file

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def backup_sqlite(db_file: str, backup_folder: Path, reason: str) -> Path:
    """Copy a SQLite database with the online backup API (consistent even while it is open).

    Encrypted databases are copied encrypted with the same key; old pre-migration copies are rotated.
    """
    from medshare_desktop.storage.backup import create_backup

    return create_backup(db_file, backup_folder, reason)


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
    config = alembic_config(url)
    # pysqlite's default (legacy) transaction handling runs DDL in autocommit, so a crash mid-migration
    # would leave half a schema. Migrate on our own engine with the driver's autocommit off and an explicit
    # BEGIN IMMEDIATE: every step, and alembic_version, commit together or not at all.
    migrating = make_engine(url, explicit_transactions=True) if db_file else engine
    try:
        with migrating.begin() as conn:
            config.attributes["connection"] = conn
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
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {script.revision for script in scripts.walk_revisions()}
