"""The app started on a database it cannot open: a dialog says why before any window, and offers the backup.

Driven as a user would: the real start-up function (app.open_services_or_recover) and the real
dialog, whose buttons are clicked once it is on screen.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

from medshare_desktop.app import open_services_or_recover
from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.models import Person
from tests.database_problem import answer_when_shown, start_args

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + bytes(range(256)) * 30


def _with_a_backup_then_replaced_by_a_jpeg(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "medshare.db"
    services = build_services(str(db), actor="tester", backup_folder=tmp_path / "backups")
    try:
        services.people.add_person(Person(None, "Dr. From The Backup"))
        assert services.backups is not None
        backup = Path(services.backups.back_up_now().path)
    finally:
        services.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    (tmp_path / "photo.jpg").write_bytes(JPEG)
    os.replace(tmp_path / "photo.jpg", db)  # the database overwritten by a photo with the same name
    return db, backup


def test_a_jpeg_as_the_database_shows_the_problem_and_restores_the_newest_backup(qtbot, tmp_path: Path) -> None:
    db, backup = _with_a_backup_then_replaced_by_a_jpeg(tmp_path)
    seen: dict[str, object] = {}
    answer_when_shown("restore", seen)
    opened = open_services_or_recover(start_args(str(db)))
    assert opened is not None
    services, guard, notice = opened
    try:
        assert "it looks like a JPEG image" in str(seen["text"]) and str(backup) in str(seen["text"])
        assert "keyring" not in str(seen["text"])
        assert seen["buttons"] == ["Restore newest backup", "Quit"] and "not deleted" in str(seen["note"])
        assert seen["windows"] == []  # asked before any main window
        assert [p.name for p in services.people.list_people()] == ["Dr. From The Backup"]
        assert notice.startswith(f"Restored {backup.name}") and ".unusable-" in notice
        kept = [p for p in tmp_path.glob("medshare.db.unusable-*") if not p.name.endswith(("-wal", "-shm"))]
        assert [p.read_bytes() for p in kept] == [JPEG]
    finally:
        services.close()
        if guard is not None:
            guard.release()


def test_quit_leaves_the_file_as_it_was(qtbot, tmp_path: Path) -> None:
    db, _backup = _with_a_backup_then_replaced_by_a_jpeg(tmp_path)
    seen: dict[str, object] = {}
    answer_when_shown("quit", seen)
    assert open_services_or_recover(start_args(str(db))) is None
    assert db.read_bytes() == JPEG and not list(tmp_path.glob("medshare.db.unusable-*"))


def test_a_missing_folder_shows_only_quit_and_creates_nothing(qtbot, tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "medshare.db"
    seen: dict[str, object] = {}
    answer_when_shown("quit", seen)
    assert open_services_or_recover(start_args(str(db))) is None
    assert "does not exist" in str(seen["text"]) and seen["buttons"] == ["Quit"]
    assert not (tmp_path / "no").exists()


def test_a_server_without_its_driver_shows_only_quit(qtbot) -> None:
    if importlib.util.find_spec("psycopg") is not None:
        pytest.skip("psycopg is installed here")
    seen: dict[str, object] = {}
    answer_when_shown("quit", seen)
    assert open_services_or_recover(start_args("postgresql+psycopg://comms:pw@localhost/medshare")) is None
    assert "needs the Python package 'psycopg'" in str(seen["text"]) and seen["buttons"] == ["Quit"]
