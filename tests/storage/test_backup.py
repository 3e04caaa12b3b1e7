"""Backups: online copies, rotation, the daily backup, previews without opening, and safe restores."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.core.models import Person
from medshare_desktop.core.services.backup_service import BackupService
from medshare_desktop.storage import unit_of_work_factory
from medshare_desktop.storage.backup import (
    SqliteBackupStore,
    create_backup,
    daily_backup_if_due,
    list_backups,
    rotate,
)
from tests.conftest import make_imported

# Backups here are copies of the SQLite file; on a team server they are the server's job
# (test_server_backups_and_encryption.py checks that the app says so).
pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def backups(services, tmp_path: Path) -> BackupService:  # type: ignore[no-untyped-def]
    store = SqliteBackupStore(services.database, tmp_path / "backups")
    return BackupService(store, unit_of_work_factory(services.database), services.audit)


def _db_file(services) -> Path:  # type: ignore[no-untyped-def]
    return Path(services.database_url.removeprefix("sqlite:///"))


def test_a_backup_is_one_consistent_self_contained_file_with_a_preview(services, backups, tmp_path: Path) -> None:
    services.people.add_person(Person(None, "Dr. Ada Byron"))
    services.posts.store_imported(make_imported(5), [], "test")
    info = backups.back_up_now()
    path = Path(info.path)
    assert path.exists() and info.reason == "manual" and info.size_bytes == path.stat().st_size
    assert not Path(f"{path}-wal").exists() and not list(path.parent.glob("*.partial"))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    preview = backups.preview(info)
    assert preview.people == 1 and preview.posts_by_state == {"new": 5} and preview.audit_events == 2
    assert preview.revision is not None and preview.newest_audit_event
    assert "1 people, 5 posts" in preview.summary()
    assert backups.list_backups() == [info]
    assert not list(path.parent.glob("*-shm")) and not list(path.parent.glob("*-wal"))  # preview wrote nothing


def test_rotation_keeps_seven_daily_and_five_pre_migration_backups(tmp_path: Path) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(10):
        stamp = (start + timedelta(days=i)).strftime("%Y%m%dT%H%M%S%fZ")
        (tmp_path / f"medshare-{stamp}-daily.db").write_bytes(b"x")
        (tmp_path / f"medshare-{stamp}-before-migration-to-000{i}.db").write_bytes(b"x")
        (tmp_path / f"other-{stamp}-daily.db").write_bytes(b"x")
    removed = rotate(tmp_path, "medshare")
    kept = list_backups(tmp_path, "medshare")
    assert len(removed) == 3 + 5
    assert sum(b.kind == "daily" for b in kept) == 7 and sum(b.kind == "before-migration" for b in kept) == 5
    assert min(b.created for b in kept if b.kind == "daily") == start + timedelta(days=3)
    assert len(list_backups(tmp_path, "other")) == 10  # another database's backups are not touched


def test_the_daily_backup_is_taken_once_a_day(services, tmp_path: Path) -> None:
    folder = tmp_path / "daily"
    first = daily_backup_if_due(services.database_url, folder)
    assert first is not None and first.exists()
    assert daily_backup_if_due(services.database_url, folder) is None
    later = datetime.now(UTC) + timedelta(hours=25)
    assert daily_backup_if_due(services.database_url, folder, now=later) is not None
    assert daily_backup_if_due(f"sqlite:///{tmp_path}/missing.db", folder) is None


def test_restore_backs_up_the_current_database_then_brings_the_backup_back(services, backups) -> None:
    services.people.add_person(Person(None, "Dr. Before"))
    info = backups.back_up_now()
    services.people.add_person(Person(None, "Dr. After"))
    report = backups.restore(info)
    assert [p.name for p in services.people.list_people()] == ["Dr. Before"]
    assert report.safety_backup and "Restored" in report.summary()
    with sqlite3.connect(report.safety_backup) as old:
        assert {r[0] for r in old.execute("SELECT name FROM person")} == {"Dr. Before", "Dr. After"}
    assert services.audit.verify() == []
    with services.database.engine.connect() as conn:
        last = conn.exec_driver_sql("SELECT action, after FROM audit_event ORDER BY id DESC LIMIT 1").one()
    assert last[0] == "database.restored" and Path(info.path).name in last[1]
    services.people.add_person(Person(None, "Dr. Later"))  # the reopened engine writes normally


def _refused(backups, services, path: Path, match: str) -> None:  # type: ignore[no-untyped-def]
    if not services.people.list_people():
        services.people.add_person(Person(None, "Dr. Keep"))
    before = len(backups.list_backups())
    with pytest.raises(DatabaseError, match=match):
        backups.restore(str(path))
    assert [p.name for p in services.people.list_people()] == ["Dr. Keep"]
    assert len(backups.list_backups()) == before  # refused before anything was touched


def test_restore_refuses_a_file_that_is_not_a_database(services, backups, tmp_path: Path) -> None:
    bad = tmp_path / "notes.db"
    bad.write_bytes(b"These are not the pages you are looking for." * 100)
    _refused(backups, services, bad, "not a MedShare database backup")
    _refused(backups, services, tmp_path / "missing.db", "no such backup")


def test_restore_refuses_a_damaged_backup(services, backups, tmp_path: Path) -> None:
    services.posts.store_imported(make_imported(200), [], "test")
    path = Path(backups.back_up_now().path)
    data = bytearray(path.read_bytes())
    for offset in range(4096 * 3, len(data) - 4096, 4096):  # scribble over the middle of b-tree pages
        data[offset + 100 : offset + 140] = b"\xff" * 40
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="damaged|not a MedShare"):
        backups.restore(str(damaged))


def test_restore_refuses_a_backup_from_a_newer_version_of_the_app(services, backups, tmp_path: Path) -> None:
    path = Path(backups.back_up_now().path)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    _refused(backups, services, path, "newer version")


def test_backups_of_the_live_database_are_listed_but_not_other_files(services, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    create_backup(_db_file(services), folder, "manual")
    (folder / "README.txt").write_text("not a backup")
    (folder / "medshare-notastamp-daily.db").write_bytes(b"")
    assert [b.reason for b in list_backups(folder, "medshare")] == ["manual"]


def test_the_service_takes_the_daily_backup_at_start_up_at_most_once_a_day(backups) -> None:  # type: ignore[no-untyped-def]
    first = backups.daily_backup_if_due()
    assert first is not None and first.reason == "daily" and Path(first.path).exists()
    assert backups.daily_backup_if_due() is None
    assert backups.daily_backup_if_due(now=datetime.now(UTC) + timedelta(hours=25)) is not None
    assert [b.reason for b in backups.list_backups()] == ["daily", "daily"]
