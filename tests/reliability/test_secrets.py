"""Secrets stay in the keyring: after a session in which an API token is saved through the app's token
service (the one Settings → API tokens uses) and the database is encrypted, neither the token nor the
database key appears in the database, its -wal, the backups, the data/config folder or the logs."""

from __future__ import annotations

import logging
from pathlib import Path

import keyring
import pytest

from medshare_desktop.bootstrap import build_services
from medshare_desktop.cli import parse_args, run
from medshare_desktop.core.models import Person
from medshare_desktop.logging_setup import configure_logging
from medshare_desktop.storage.backup import daily_backup_if_due
from medshare_desktop.storage.encryption import KEYRING_SERVICE, key_name, sqlcipher_module
from tests.conftest import make_imported

TOKEN = "tok-SECRET-123"


def _files(*roots: Path) -> list[Path]:
    found: list[Path] = []
    for root in roots:
        found.extend(p for p in root.rglob("*") if p.is_file())
    return found


def _leaks(paths: list[Path], needles: list[bytes]) -> list[str]:
    leaks = []
    for path in paths:
        data = path.read_bytes()
        leaks.extend(f"{path}: {needle[:6]!r}…" for needle in needles if needle in data)
    return leaks


def test_no_secret_reaches_the_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("MEDSHARE_DATA_DIR", str(data_dir))
    db = data_dir / "medshare.db"
    configure_logging(verbose=True)
    logging.getLogger().setLevel(logging.DEBUG)

    services = build_services(str(db), actor="ann")
    services.tokens.set("token:mastodon:example.social", TOKEN)
    services.people.add_person(Person(None, "Dr. Ada Lovelace"))
    services.posts.store_imported(make_imported(20), [], "test")
    services.close()
    assert daily_backup_if_due(f"sqlite:///{db}") is not None
    encrypted = sqlcipher_module() is not None
    if encrypted:
        assert run(parse_args(["--db", str(db), "--verbose", "encrypt"])) == 0
    assert run(parse_args(["--db", str(db), "--verbose", "backup"])) == 0
    services = build_services(str(db), actor="ann")
    services.people.add_person(Person(None, "Dr. Grace Hopper"))  # leaves pages in the WAL
    assert services.tokens.get("token:mastodon:example.social") == TOKEN
    assert services.tokens.keys() == ["token:mastodon:example.social"]

    needles = [TOKEN.encode(), TOKEN.encode("utf-16-le")]
    key = keyring.get_password(KEYRING_SERVICE, key_name(db))
    if encrypted:
        assert key
        needles += [key.encode(), key.upper().encode(), bytes.fromhex(key), key.encode("utf-16-le")]
    for handler in logging.getLogger().handlers:
        handler.flush()
    logs = [Path(h.baseFilename) for h in logging.getLogger().handlers if getattr(h, "_medshare", False)]
    files = _files(data_dir, tmp_path) + [p for log in logs for p in log.parent.glob(log.name + "*")]
    assert db in files and logs and all(log.exists() for log in logs)
    assert _leaks(files, needles) == []
    services.close()
    assert _leaks(_files(data_dir, tmp_path), needles) == []
