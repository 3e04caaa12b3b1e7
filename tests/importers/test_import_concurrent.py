"""Two real processes importing the same file into one SQLite database at the same moment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.ports import PostFilter

MARKER = "Kestrel-ward discharge note"  # post text that must never reach stderr or the log


def _archive(path: Path, n: int) -> Path:
    records = [
        {"text": f"{MARKER} {i}: thank you to the night team", "posted_at": "2026-10-01T09:00:00Z",
         "platform": "linkedin", "author": "Dr. A", "external_id": f"race-{i}"}
        for i in range(n)
    ]
    path.write_text(json.dumps({"posts": records}), encoding="utf-8")
    return path


def _race(tmp_path: Path, source: Path, db: str, round_no: int) -> list[subprocess.CompletedProcess[str]]:
    barrier = tmp_path / f"barrier-{round_no}"
    barrier.mkdir()
    env = dict(os.environ, MEDSHARE_DATA_DIR=str(tmp_path / "data"))
    command = [sys.executable, "-m", "tests.importers.import_process", str(barrier), "2", "--db", db, "import",
               str(source)]
    running = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
               for _ in range(2)]
    done = []
    for process in running:
        out, err = process.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(command, process.returncode, out, err))
    return done


def test_the_same_file_imported_twice_at_once_lands_once_and_the_loser_says_0_new(tmp_path) -> None:
    n = 3_000
    source = _archive(tmp_path / "posts.json", n)
    db = f"sqlite:///{tmp_path}/medshare.db"
    build_services(db).close()  # created and migrated once, as the app would have
    for round_no in range(3):
        results = _race(tmp_path, source, db, round_no)
        for result in results:
            assert result.returncode == 0, result.stderr[-2000:]
            assert "Traceback" not in result.stderr and MARKER not in result.stderr
        summaries = sorted(result.stdout.strip() for result in results)
        if round_no == 0:
            assert summaries[0].startswith(f"{source}: 0 new, {n} already present, 0 skipped")
            assert summaries[1].startswith(f"{source}: {n} new, 0 already present, 0 skipped")
        else:
            assert all(f"0 new, {n} already present" in s for s in summaries)
    services = build_services(db)
    try:
        assert services.posts.count(PostFilter()) == n
        assert services.audit.verify() == []
    finally:
        services.close()
    logs = list((tmp_path / "data" / "logs").glob("*"))
    assert all(MARKER not in log.read_text(encoding="utf-8", errors="replace") for log in logs)
