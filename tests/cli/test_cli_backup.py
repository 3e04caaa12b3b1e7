"""`medshare backup`, `restore` and `encrypt` as users' scripts run them (subprocesses, no questions asked)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def medshare(tmp_path: Path, *args: str, extra_path: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MEDSHARE_DATA_DIR": str(tmp_path / "data"), "MEDSHARE_DB": str(tmp_path / "medshare.db")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(extra_path or ""), str(ROOT)) if p)
    return subprocess.run(
        [sys.executable, "-m", "medshare_desktop", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
        cwd=ROOT,
    )


@pytest.fixture
def database(tmp_path: Path) -> Path:
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.models import Person

    services = build_services(str(tmp_path / "medshare.db"), actor="tester")
    services.people.add_person(Person(None, "Dr. Backed Up"))
    services.close()
    return tmp_path / "medshare.db"


def _people(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM person ORDER BY id")]


def test_backup_writes_a_copy_to_the_backups_folder_or_a_chosen_file(tmp_path: Path, database: Path) -> None:
    result = medshare(tmp_path, "backup")
    assert result.returncode == 0, result.stderr
    made = list((tmp_path / "data" / "backups").glob("medshare-*-manual.db"))
    assert len(made) == 1 and str(made[0]) in result.stdout and "1 people" in result.stdout
    chosen = tmp_path / "copy.db"
    result = medshare(tmp_path, "backup", "--to", str(chosen))
    assert result.returncode == 0, result.stderr
    assert _people(chosen) == ["Dr. Backed Up"]


def test_restore_replaces_the_database_and_says_what_was_restored(tmp_path: Path, database: Path) -> None:
    copy = tmp_path / "copy.db"
    assert medshare(tmp_path, "backup", "--to", str(copy)).returncode == 0
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE person SET name = 'Dr. Changed'")
    result = medshare(tmp_path, "restore", str(copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Restored copy.db: 1 people") and "previous database was saved" in result.stdout
    assert _people(database) == ["Dr. Backed Up"]
    before = list((tmp_path / "data" / "backups").glob("*-before-restore.db"))
    assert len(before) == 1 and _people(before[0]) == ["Dr. Changed"]
    assert medshare(tmp_path, "audit", "verify").returncode == 0


@pytest.mark.parametrize("problem", ["missing", "not-a-database", "newer-schema"])
def test_restore_of_a_bad_file_exits_2_with_one_clear_line(tmp_path: Path, database: Path, problem: str) -> None:
    path = tmp_path / f"{problem}.db"
    if problem == "not-a-database":
        path.write_text("hello, I am a text file\n" * 200)
    elif problem == "newer-schema":
        assert medshare(tmp_path, "backup", "--to", str(path)).returncode == 0
        with sqlite3.connect(path) as conn:
            conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    result = medshare(tmp_path, "restore", str(path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and path.name in result.stderr, result.stderr
    assert {"missing": "no such", "not-a-database": "not a MedShare", "newer-schema": "newer version"}[problem] in (
        result.stderr
    )
    assert _people(database) == ["Dr. Backed Up"]


def test_backup_of_a_missing_database_exits_2(tmp_path: Path) -> None:
    result = medshare(tmp_path, "backup")
    assert result.returncode == 2 and "no such database" in result.stderr


def test_encrypt_without_sqlcipher_says_so_and_exits_2(tmp_path: Path, database: Path) -> None:
    blocker = tmp_path / "no_sqlcipher"
    blocker.mkdir()
    (blocker / "sqlcipher3.py").write_text("raise ImportError('SQLCipher is not available on this platform')\n")
    result = medshare(tmp_path, "encrypt", extra_path=blocker)
    assert result.returncode == 2
    assert "needs SQLCipher" in result.stderr and "stays unencrypted" in result.stderr
    assert database.read_bytes().startswith(b"SQLite format 3\x00")
