"""The command line with a database it cannot use, `--db` where users type it, outputs in missing folders.

Each problem is one line on stderr and exit 2 (never a traceback), and nothing is created or changed.
"""

from __future__ import annotations

import importlib.util
import os
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
POSTS = ROOT / "tests" / "data" / "imports" / "generic" / "posts.csv"


def medshare(tmp_path: Path, *args: str, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MEDSHARE_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}
    env.pop("MEDSHARE_DB", None)
    if db is not None:
        env["MEDSHARE_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "medshare_desktop", *args],
        capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL, cwd=ROOT,
    )


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("medshare: error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def _people(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM person")]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 20, "it looks like a JPEG image"),
        (b"Dear team,\nthe rota for December is attached.\n" * 10, "it looks like a text file"),
        (bytes(range(7, 250)) * 33, "its content is not in any format MedShare knows"),
    ],
    ids=["jpeg", "text", "random-bytes"],
)
def test_a_foreign_file_as_the_database_is_one_line_naming_what_it_looks_like(
    tmp_path: Path, content: bytes, says: str
) -> None:
    db = tmp_path / "medshare.db"
    db.write_bytes(content)
    line = _one_line_error(medshare(tmp_path, "--db", str(db), "audit", "verify"))
    assert says in line and "keyring" not in line and "No usable backup of it was found." in line
    assert db.read_bytes() == content


def test_a_damaged_database_names_the_newest_backup_and_the_command_that_restores_it(tmp_path: Path) -> None:
    db = tmp_path / "medshare.db"
    assert medshare(tmp_path, "--db", str(db), "import", str(POSTS)).returncode == 0
    assert medshare(tmp_path, "--db", str(db), "backup").returncode == 0
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])  # a copy that did not finish
    line = _one_line_error(medshare(tmp_path, "import", str(POSTS), "--db", str(db)))
    assert "is a damaged SQLite database" in line and "The newest usable backup is " in line
    command = line.split("To restore it: ", 1)[1]
    assert command.startswith(f"medshare --db {db} restore ") and "-manual.db" in command
    restored = medshare(tmp_path, *shlex.split(command)[1:])
    assert restored.returncode == 0, restored.stderr
    assert "The previous database was saved as" in restored.stdout
    assert len(list(tmp_path.glob("medshare.db.unusable-*"))) == 1
    verified = medshare(tmp_path, "audit", "verify", "--db", str(db))
    assert verified.returncode == 0, verified.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM post").fetchone()[0] == 5


def test_a_missing_folder_or_a_folder_as_the_database_is_one_line_and_nothing_is_created(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "medshare.db"
    line = _one_line_error(medshare(tmp_path, "--db", str(missing), "import", str(POSTS)))
    assert f"The folder {missing.parent} does not exist" in line
    assert not (tmp_path / "no").exists()
    folder = tmp_path / "folder.db"
    folder.mkdir()
    assert "is a folder, not a database file" in _one_line_error(medshare(tmp_path, "--db", str(folder), "backup"))
    assert "is a folder, not a database file" in _one_line_error(
        medshare(tmp_path, "--db", str(folder), "restore", str(POSTS))
    )


@pytest.mark.parametrize(
    ("url", "package"), [("postgresql+psycopg://comms:pw@localhost/medshare", "psycopg"), ("mysql://localhost/m", "MySQLdb")]
)
def test_a_server_address_without_its_driver_is_one_line(tmp_path: Path, url: str, package: str) -> None:
    if importlib.util.find_spec(package) is not None:
        pytest.skip(f"{package} is installed here")
    line = _one_line_error(medshare(tmp_path, "--db", url, "audit", "verify"))
    assert f"needs the Python package '{package}'" in line and ":pw@" not in line


def test_db_is_accepted_after_the_subcommand_too_and_medshare_db_still_applies(tmp_path: Path) -> None:
    after, before, env_db = tmp_path / "after.db", tmp_path / "before.db", tmp_path / "env.db"
    result = medshare(tmp_path, "import", str(POSTS), "--db", str(after), db=env_db)
    assert result.returncode == 0, result.stderr
    assert after.exists() and not env_db.exists()  # --db after the command wins over MEDSHARE_DB
    assert medshare(tmp_path, "audit", "verify", "--db", str(after)).returncode == 0
    assert medshare(tmp_path, "--db", str(before), "import", str(POSTS)).returncode == 0 and before.exists()
    assert medshare(tmp_path, "import", str(POSTS), db=env_db).returncode == 0 and env_db.exists()
    for db in (after, before, env_db):
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT count(*) FROM post").fetchone()[0] == 5


@pytest.mark.parametrize(
    "args",
    [
        ("calendar", "--month", "2026-12", "--pdf", "{missing}/o.pdf"),
        ("calendar", "--month", "2026-12", "--ics", "{missing}/o.ics"),
        ("backup", "--to", "{missing}/copy.db"),
    ],
    ids=["pdf", "ics", "backup-to"],
)
def test_an_output_in_a_missing_folder_is_refused_and_no_folder_is_created(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "medshare.db"
    assert medshare(tmp_path, "--db", str(db), "import", str(POSTS)).returncode == 0
    missing = tmp_path / "no" / "such" / "dir"
    line = _one_line_error(medshare(tmp_path, *(a.format(missing=missing) for a in args), db=db))
    assert f"the folder {missing} does not exist" in line
    assert not (tmp_path / "no").exists()
