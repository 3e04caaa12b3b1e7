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

from medshare_desktop.storage import encryption

OTHER_PROCESS = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('SELECT 1 FROM t').fetchall(); c.close()"


def test_a_live_database_keeps_its_write_ahead_log_when_asked_whether_it_is_encrypted(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    assert not encryption.is_encrypted(db)  # asked before the first connection, as make_engine does
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (1)")
    conn.commit()
    try:
        for _ in range(3):
            assert not encryption.is_encrypted(db)  # the status box and the daily backup ask again and again
            subprocess.run([sys.executable, "-c", OTHER_PROCESS, str(db)], check=True, timeout=60)
            assert Path(f"{db}-wal").exists(), "another process deleted the -wal of a database open here"
        conn.execute("INSERT INTO t VALUES (2)")
        conn.commit()
    finally:
        conn.close()
    with sqlite3.connect(db) as check:
        assert check.execute("SELECT count(*) FROM t").fetchone()[0] == 2
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_file_replaced_by_another_process_is_read_again(tmp_path: Path) -> None:
    db = tmp_path / "swapped.db"
    sqlite3.connect(db).execute("CREATE TABLE t (x)").connection.close()
    assert not encryption.is_encrypted(db)
    replacement = tmp_path / "other"
    replacement.write_bytes(b"\x8f" * 4096)  # what an encrypted copy swapped in with os.replace looks like
    replacement.replace(db)
    assert encryption.is_encrypted(db)
