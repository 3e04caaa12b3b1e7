"""Asking what a database file is never releases this process's SQLite locks on it.

On POSIX, closing any descriptor of a file drops every fcntl lock the process holds on it; SQLite's
shared lock is what tells another process, closing its own connection, that it is not alone and must
leave the -wal and -shm in place.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from medshare_desktop.storage import encryption
from medshare_desktop.storage.database import Database

OTHER_PROCESS = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT 1 FROM t').fetchall(); c.close()"


def test_a_live_database_keeps_its_write_ahead_log_when_asked_whether_it_is_encrypted(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    database = Database(f"sqlite:///{db}")  # as the app opens it (WAL, a pooled connection kept open)
    with database.begin() as session:
        session.execute(text("CREATE TABLE t (x)"))
        session.execute(text("INSERT INTO t VALUES (1)"))
    try:
        for _ in range(3):
            assert not encryption.is_encrypted(db)  # the status box and the daily backup ask again and again
            subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(db)], check=True, timeout=60)
            assert Path(f"{db}-wal").exists(), "another process deleted the -wal of a database open here"
        with database.begin() as session:
            session.execute(text("INSERT INTO t VALUES (2)"))
    finally:
        database.dispose()
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM t").fetchone()[0] == 2
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_file_replaced_by_another_program_is_read_again_even_on_a_reused_inode(tmp_path: Path) -> None:
    db = tmp_path / "reused.db"
    database = Database(f"sqlite:///{db}")
    with database.begin() as session:
        session.execute(text("CREATE TABLE t (x)"))
    database.dispose()  # opened and closed here: nothing of this process holds it now
    assert not encryption.is_encrypted(db)
    db.unlink()  # deleted, and a photo saved under its name: the file system may hand out the same inode
    db.write_bytes(b"\xff\xd8\xff\xe0" + bytes(2000))
    assert encryption.is_encrypted(db) and encryption.file_header(db).startswith(b"\xff\xd8\xff")


def test_a_file_replaced_by_another_process_is_read_again(tmp_path: Path) -> None:
    db = tmp_path / "swapped.db"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
    assert not encryption.is_encrypted(db)
    replacement = tmp_path / "other"
    replacement.write_bytes(b"\x8f" * 4096)  # what an encrypted copy swapped in with os.replace looks like
    replacement.replace(db)
    assert encryption.is_encrypted(db)
