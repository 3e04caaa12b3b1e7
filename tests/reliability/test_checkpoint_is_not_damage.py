"""A database another process is writing is never called damaged; one that is really cut short still is.

While another MedShare process writes, SQLite's checkpoint copies pages from the write-ahead log into the
file: page 1, with the new page count, first, then the pages that lengthen the file. Read raw at that
moment the file looks shorter than its header says. Before the fix, a CLI import started while the app
was writing was refused one time in fifty with "it is cut short" and told to restore a backup.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.errors import DatabaseFileError
from medshare_desktop.core.models import Person
from medshare_desktop.storage.file_check import check_database_file
from tests.reliability.cli_imports import ROOT

WRITE_SECONDS = 4


def test_a_database_another_process_is_writing_is_never_called_damaged(tmp_path: Path) -> None:
    db = tmp_path / "medshare.db"
    build_services(str(db), actor="setup").close()
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.writer_process", str(db), str(WRITE_SECONDS), "w"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    checks, refusals = 0, []
    try:
        while writer.poll() is None:
            try:
                check_database_file(f"sqlite:///{db}", search_backups=False)  # what `medshare` does first
            except DatabaseFileError as exc:
                refusals.append(str(exc))
            checks += 1
    finally:
        out, _ = writer.communicate(timeout=120)
    report = json.loads(out)
    assert report["errors"] == [] and report["operations"] > 0
    assert checks > 100, "the checks did not overlap the writes"
    assert refusals == [], f"{len(refusals)} of {checks} checks refused a healthy database: {refusals[0]}"


def test_a_file_cut_short_with_a_write_ahead_log_beside_it_is_still_named(tmp_path: Path) -> None:
    db = tmp_path / "medshare.db"
    services = build_services(str(db), actor="setup")
    for i in range(200):
        services.people.add_person(Person(None, f"Dr. Page Filler {i}"))
    services.close()
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])  # a sync that stopped half way
    Path(f"{db}-wal").write_bytes(b"")  # and the empty log a closed app leaves on some systems
    started = time.monotonic()
    with pytest.raises(DatabaseFileError) as caught:
        check_database_file(f"sqlite:///{db}", search_backups=False)
    assert "is a damaged SQLite database: it is cut short" in str(caught.value)
    assert time.monotonic() - started < 5
