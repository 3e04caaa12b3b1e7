"""The app open and `medshare import` on the same database at the same time: nothing is lost.

The GUI side is built as app.py builds it (instance lock, build_services, the start-up encryption
status and daily backup) in this process; the CLI side is a real `python -m medshare_desktop import`
process. Before the fix, reading the database header with Python's open()/close() in the GUI process
dropped that process's POSIX locks on the file: the CLI, closing its connection, believed it was
alone and deleted the -wal/-shm under the app, and the app's later writes were lost.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.models import Person
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.storage.instance_guard import acquire_instance
from tests.reliability.cli_imports import POSTS_PER_FILE, ROUNDS, every_external_id, round_csv, start_cli_import


def test_an_import_from_the_command_line_while_the_app_is_open_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "medshare.db"
    backups = tmp_path / "backups"
    guard = acquire_instance(db)
    services = build_services(str(db), actor="gui", backup_folder=backups)
    people_added: list[str] = []
    try:
        assert not guard.read_only
        services.encryption.status()  # the Settings box asks at start-up
        assert services.backups is not None
        assert services.backups.daily_backup_if_due() is not None  # the start-up daily backup
        for round_no in range(ROUNDS):
            cli = start_cli_import(tmp_path, str(db), round_csv(tmp_path / f"round{round_no}.csv", round_no))
            while cli.poll() is None:  # the app keeps working while the import runs
                name = f"Dr. Gui {round_no}-{len(people_added)}"
                services.people.add_person(Person(None, name))
                people_added.append(name)
                services.encryption.status()
                services.backups.list_backups()
            out, err = cli.communicate(timeout=120)
            assert cli.returncode == 0, err
            assert f"{POSTS_PER_FILE} new" in out
            services.people.add_person(Person(None, f"Dr. Gui after {round_no}"))
            people_added.append(f"Dr. Gui after {round_no}")
            services.backups.back_up_now()  # Settings → Back up now, between imports
            assert (tmp_path / "medshare.db-wal").exists(), "the app's write-ahead log was deleted under it"
            # what the app sees now is what another process sees
            assert services.posts.count(PostFilter()) == POSTS_PER_FILE * (round_no + 1)
            with sqlite3.connect(db) as other:
                seen = {r[0] for r in other.execute("SELECT name FROM person")}
            assert set(people_added) <= seen, "a person added in the app is invisible to other processes"
    finally:
        services.close()
        guard.release()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = {r[0] for r in conn.execute("SELECT name FROM person")}
        external = {r[0] for r in conn.execute("SELECT external_id FROM post")}
    assert set(people_added) <= names
    assert external == every_external_id()
    reopened = build_services(str(db), actor="check", backup_folder=backups)
    try:
        assert reopened.audit.verify() == []
    finally:
        reopened.close()
