"""A damaged or foreign file, a folder or a missing folder given as the database, a server without its driver.

Each is refused before anything is written, with one sentence that says what the file looks like and
names the newest usable backup; restoring that backup sets the unusable file aside, never deletes it.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.errors import DatabaseError, DatabaseFileError
from medshare_desktop.core.models import Person


def _medshare_db(path: Path, backups: Path | None = None) -> Path | None:
    """A MedShare database with one person; returns the backup taken of it (in `backups`), if asked."""
    services = build_services(str(path), actor="tester", backup_folder=backups or path.parent / "unused-backups")
    try:
        services.people.add_person(Person(None, "Dr. Kept Safe"))
        return Path(services.backups.back_up_now().path) if backups is not None and services.backups else None
    finally:
        services.close()


def _written_by_another_program(path: Path, data: bytes) -> None:
    """Another program (a sync tool, a copy, a mistaken save) puts a new file in place."""
    new = path.with_name(path.name + ".new")
    new.write_bytes(data)
    os.replace(new, path)


def _jpeg(path: Path) -> None:
    _written_by_another_program(path, b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + os.urandom(6000))


def _text(path: Path) -> None:
    text = "Meeting notes — bring the flu shot schedule.\nRoom 4B at 10:00\n" * 20
    _written_by_another_program(path, text.encode("utf-8"))


def _noise(path: Path) -> None:
    _written_by_another_program(path, os.urandom(7001))


def _sqlcipher_like(path: Path) -> None:
    _written_by_another_program(path, os.urandom(4096 * 3))


def _truncated(path: Path) -> None:
    _medshare_db(path)
    data = path.read_bytes()
    _written_by_another_program(path, data[: len(data) // 2])


def _schema_page_scrambled(path: Path) -> None:
    _medshare_db(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = os.urandom(3996)  # page 1 after the header: the schema of every table
    _written_by_another_program(path, bytes(data))


def _other_program(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT, minutes INTEGER)")


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "jpeg": (_jpeg, "is not a MedShare database: it looks like a JPEG image"),
    "text": (_text, "is not a MedShare database: it looks like a text file"),
    "noise": (_noise, "its content is not in any format MedShare knows"),
    "sqlcipher-like": (_sqlcipher_like, "looks like an encrypted (SQLCipher) database, but its key is not in"),
    "truncated": (_truncated, "is a damaged SQLite database: it is cut short"),
    "scrambled": (_schema_page_scrambled, "is a damaged SQLite database"),
    "other-program": (_other_program, "is a SQLite database of another program (tables recipes)"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_an_unusable_file_is_named_for_what_it_is_and_left_untouched(tmp_path: Path, case: str) -> None:
    make, says = CASES[case]
    db = tmp_path / "medshare.db"
    make(db)
    before = db.read_bytes()
    with pytest.raises(DatabaseFileError) as caught:
        build_services(str(db), backup_folder=tmp_path / "backups")
    assert says in str(caught.value)
    assert "encrypted" not in str(caught.value) or case == "sqlcipher-like"
    assert "No usable backup of it was found." in str(caught.value) and caught.value.backup is None
    assert db.read_bytes() == before  # nothing migrated into it, nothing replaced
    assert not Path(f"{db}-wal").exists() or case in ("truncated", "scrambled")


@pytest.mark.parametrize("case", ["jpeg", "truncated", "scrambled", "sqlcipher-like"])
def test_the_newest_usable_backup_is_named_and_restoring_it_keeps_the_bad_file_aside(tmp_path: Path, case: str) -> None:
    from medshare_desktop.recovery import restore_database

    db = tmp_path / "medshare.db"
    beside = tmp_path / "backups"  # backups/ beside the database
    older = _medshare_db(db, beside)
    assert older is not None
    (beside / "medshare-20990101T000000000000Z-manual.db").write_bytes(b"not a backup at all")  # newest, unusable
    for companion in (Path(f"{db}-wal"), Path(f"{db}-shm")):
        companion.unlink(missing_ok=True)
    db.unlink()
    CASES[case][0](db)
    bad = db.read_bytes()
    with pytest.raises(DatabaseFileError) as caught:
        build_services(str(db), backup_folder=tmp_path / "elsewhere")
    assert caught.value.restorable and caught.value.backup == str(older)
    assert f"The newest usable backup is {older}" in str(caught.value)
    report = restore_database(Path(caught.value.backup), db)
    kept = [p for p in tmp_path.glob("medshare.db.unusable-*") if not p.name.endswith(("-wal", "-shm"))]
    assert [p.read_bytes() for p in kept] == [bad]  # set aside whole, not deleted
    assert report.safety_backup is not None and report.safety_backup.startswith(str(db) + ".unusable-")
    services = build_services(str(db), backup_folder=beside)
    try:
        assert [p.name for p in services.people.list_people()] == ["Dr. Kept Safe"]
        assert services.audit.verify() == []
    finally:
        services.close()


def test_a_missing_folder_is_said_and_not_created(tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "medshare.db"
    with pytest.raises(DatabaseFileError, match=r"The folder .*such does not exist") as caught:
        build_services(str(db))
    assert not caught.value.restorable
    assert not (tmp_path / "no").exists()


def test_a_folder_given_as_the_database_is_said(tmp_path: Path) -> None:
    folder = tmp_path / "medshare.db"
    folder.mkdir()
    with pytest.raises(DatabaseFileError, match="is a folder, not a database file"):
        build_services(str(folder))
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize(
    ("url", "package"),
    [("postgresql+psycopg://comms:secret@db.example/medshare", "psycopg"), ("mysql://comms@db.example/medshare", "MySQLdb")],
)
def test_a_server_whose_driver_is_not_installed_is_named_with_the_package(url: str, package: str) -> None:
    if importlib.util.find_spec(package) is not None:
        pytest.skip(f"{package} is installed here")
    with pytest.raises(DatabaseError) as caught:
        build_services(url)
    message = str(caught.value)
    assert f"needs the Python package '{package}'" in message and "not installed on this computer" in message
    assert "secret" not in message  # the password is never shown


def test_a_usable_database_opens_as_before_and_is_not_read_again_while_open(tmp_path: Path) -> None:
    db = tmp_path / "medshare.db"
    _medshare_db(db)
    services = build_services(str(db))
    try:
        assert [p.name for p in services.people.list_people()] == ["Dr. Kept Safe"]
    finally:
        services.close()


def test_a_damaged_database_is_not_backed_up_so_the_good_backups_stay(tmp_path: Path) -> None:
    from medshare_desktop.storage.backup import create_backup, list_backups, restore_file
    from tests.conftest import make_imported

    db, folder = tmp_path / "medshare.db", tmp_path / "backups"
    services = build_services(str(db), actor="tester", backup_folder=folder)
    try:
        services.posts.store_imported(make_imported(300), [], "test")
    finally:
        services.close()
    good = create_backup(db, folder, "daily")
    data = bytearray(db.read_bytes())
    page = 4096
    middle = (len(data) // page // 2) * page
    data[middle : middle + page] = os.urandom(page)  # one page of posts lost to a disk or sync fault
    _written_by_another_program(db, bytes(data))
    with pytest.raises(DatabaseFileError, match="is damaged .* no backup was taken and the older backups are all kept"):
        create_backup(db, folder, "daily")
    assert [b.path for b in list_backups(folder, "medshare")] == [good]
    assert not list(folder.glob("*.partial"))
    _facts, kept = restore_file(good, db, folder)  # the damaged file is set aside, the good backup comes back
    assert kept is not None and kept.read_bytes() == bytes(data)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM post").fetchone()[0] == 300
