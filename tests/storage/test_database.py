from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError as SADatabaseError

from medshare_desktop.storage import Database, open_database
from medshare_desktop.storage.migrate import current_revision, head_revision, upgrade_to_head


def test_a_new_database_is_created_by_the_migrations_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/new.db"
    database = open_database(url, tmp_path / "backups")
    assert current_revision(database.engine) == head_revision()
    with database.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        tables = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars())
    assert {"person", "post", "finding", "consent_record", "scheduled_share", "audit_event", "setting"} <= tables
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())
    database.dispose()


def test_opening_an_up_to_date_database_takes_no_backup(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/db.db"
    open_database(url, tmp_path / "backups").dispose()
    open_database(url, tmp_path / "backups").dispose()
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_upgrading_an_older_database_takes_a_backup_first_and_keeps_the_data(tmp_path: Path) -> None:
    if head_revision() == "0001":
        pytest.skip("only one schema revision exists so far")
    url = f"sqlite:///{tmp_path}/old.db"
    database = Database(url)
    upgrade_to_head(database.engine, url, None, revision="0001")
    with database.engine.begin() as conn:
        conn.execute(text("INSERT INTO person (name, role, department, email, active, aliases) "
                          "VALUES ('Dr. Old', 'physician', '', '', 1, '')"))
    backup = upgrade_to_head(database.engine, url, tmp_path / "backups")
    assert backup is not None and backup.exists()
    with sqlite3.connect(backup) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert old.execute("SELECT name FROM person").fetchall() == [("Dr. Old",)]
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM person")).scalars().all() == ["Dr. Old"]
    database.dispose()


def test_the_audit_table_refuses_updates_and_deletes(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path}/a.db")
    with database.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_event (at, actor, action, entity, before, after, prev_hash, hash) "
                          "VALUES ('2026-11-01 10:00:00', 'ann', 'x', 'post', '', '', '', 'h')"))
    for statement in ("UPDATE audit_event SET actor='mallory'", "DELETE FROM audit_event"):
        with pytest.raises(SADatabaseError, match="append-only"), database.engine.begin() as conn:
            conn.execute(text(statement))
    database.dispose()
