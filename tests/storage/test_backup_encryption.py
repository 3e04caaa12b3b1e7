"""Encryption at rest (SQLCipher): the key in the keyring, never a silent empty database, encrypted backups."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import keyring
import pytest

from medshare_desktop.bootstrap import build_services
from medshare_desktop.cli import parse_args, run
from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.core.models import Person
from medshare_desktop.core.services.backup_service import BackupService
from medshare_desktop.storage import unit_of_work_factory
from medshare_desktop.storage.backup import SqliteBackupStore
from medshare_desktop.storage.encryption import KEYRING_SERVICE, encrypt_database, is_encrypted, key_name

pytest.importorskip("sqlcipher3")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "medshare.db"
    services = build_services(str(path), actor="tester")
    services.people.add_person(Person(None, "Dr. Grace Hopper"))
    services.close()
    return path


def test_encrypting_keeps_the_data_and_stores_a_random_key_in_the_keyring(db: Path) -> None:
    entry = encrypt_database(db)
    key = keyring.get_password(KEYRING_SERVICE, entry)
    assert entry == key_name(db) and key and len(key) == 64
    assert is_encrypted(db) and b"Grace Hopper" not in db.read_bytes()
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(db).execute("SELECT * FROM person").fetchall()
    services = build_services(str(db), actor="tester")
    try:
        assert [p.name for p in services.people.list_people()] == ["Dr. Grace Hopper"]
        services.people.add_person(Person(None, "Dr. Katherine Johnson"))  # writes work (WAL, encrypted)
        with services.database.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert services.audit.verify() == []
    finally:
        services.close()
    wal = Path(f"{db}-wal")
    assert b"Katherine" not in db.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def test_a_missing_key_is_an_error_never_a_new_empty_database(db: Path) -> None:
    encrypt_database(db)
    keyring.delete_password(KEYRING_SERVICE, key_name(db))
    size = db.stat().st_size
    with pytest.raises(DatabaseError, match="looks like an encrypted .SQLCipher. database, but its key is not in this computer's keyring"):
        build_services(str(db))
    assert db.stat().st_size == size


def test_backups_and_restores_of_an_encrypted_database_stay_encrypted(db: Path, tmp_path: Path) -> None:
    encrypt_database(db)
    services = build_services(str(db), actor="tester")
    try:
        backups = BackupService(
            SqliteBackupStore(services.database, tmp_path / "backups"),
            unit_of_work_factory(services.database),
            services.audit,
        )
        info = backups.back_up_now()
        assert is_encrypted(info.path) and b"Grace Hopper" not in Path(info.path).read_bytes()
        assert backups.preview(info).people == 1
        services.people.add_person(Person(None, "Dr. Later"))
        backups.restore(info)
        assert [p.name for p in services.people.list_people()] == ["Dr. Grace Hopper"]
        assert is_encrypted(db)
    finally:
        services.close()


def test_the_encrypt_command_encrypts_the_database_and_its_backups(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MEDSHARE_DATA_DIR", str(tmp_path / "data"))
    assert run(parse_args(["--db", str(db), "backup"])) == 0
    assert run(parse_args(["--db", str(db), "encrypt"])) == 0
    out = capsys.readouterr().out
    assert "encrypted with SQLCipher" in out and "1 backup(s) encrypted" in out
    assert is_encrypted(db)
    assert run(parse_args(["--db", str(db), "encrypt"])) == 2
    assert "already encrypted" in capsys.readouterr().err
    services = build_services(str(db), actor="tester")  # opens with the key from the keyring
    try:
        with services.database.engine.connect() as connection:
            actions = [row[0] for row in connection.exec_driver_sql("SELECT action FROM audit_event")]
    finally:
        services.close()
    assert actions.count("database.encrypted") == 1  # the command line goes through the audited service


def test_the_settings_opt_in_encrypts_the_open_database_and_keeps_working(db: Path) -> None:
    services = build_services(str(db), actor="tester")
    try:
        before = services.encryption.status()
        assert before.available and not before.encrypted and before.can_encrypt
        summary = services.encryption.encrypt()
        assert "now encrypted" in summary and is_encrypted(db)
        after = services.encryption.status()
        assert after.encrypted and not after.can_encrypt and key_name(db) in after.summary()
        services.people.add_person(Person(None, "Dr. After Encryption"))  # the reopened engine uses the key
        assert len(services.people.list_people()) == 2
        assert services.audit.verify() == []
        with pytest.raises(DatabaseError, match="already encrypted"):
            services.encryption.encrypt()
    finally:
        services.close()
