"""Without the SQLCipher driver: the status says encryption is unavailable, nothing is encrypted, the
database keeps working unencrypted; an encrypted file is refused with a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.core.models import Person
from medshare_desktop.storage import encryption


@pytest.fixture
def no_sqlcipher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encryption, "sqlcipher_module", lambda: None)


@pytest.mark.sqlite_only  # SQLCipher encrypts the file; on a server: test_server_backups_and_encryption.py
def test_the_status_says_encryption_is_unavailable_and_the_database_stays_plain(no_sqlcipher, db_url: str) -> None:  # type: ignore[no-untyped-def]
    services = build_services(db_url, actor="tester")
    try:
        status = services.encryption.status()
        assert not status.available and not status.encrypted and not status.can_encrypt
        assert "not available on this computer" in status.summary() and "unencrypted" in status.summary()
        with pytest.raises(DatabaseError, match="not available"):
            services.encryption.encrypt()
        services.people.add_person(Person(None, "Dr. Plain"))
    finally:
        services.close()
    assert Path(db_url.removeprefix("sqlite:///")).read_bytes().startswith(encryption.SQLITE_HEADER)


def test_an_encrypted_file_without_the_driver_is_refused_not_replaced(no_sqlcipher, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "medshare.db"
    db.write_bytes(b"\x8a\x13" * 4096)  # what an encrypted database looks like to plain SQLite
    with pytest.raises(DatabaseError, match="encrypted .SQLCipher. database, but SQLCipher support"):
        build_services(str(db))
    assert db.read_bytes() == b"\x8a\x13" * 4096


def test_an_in_memory_database_has_no_encryption_or_backups() -> None:
    services = build_services("sqlite://", actor="tester")
    try:
        assert services.backups is None
        assert not services.encryption.status().applicable
    finally:
        services.close()
