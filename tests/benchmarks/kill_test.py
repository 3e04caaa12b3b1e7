"""Crash safety: SIGKILL a worker at random moments during writes, then check every database.

    python tests/benchmarks/kill_test.py [--runs N] [--posts N] [--seed S]

Scenarios (N kills each): `import` (services.imports.import_source of an N-post JSON archive),
`schedule` (schedule / move / unschedule loops through ScheduleService on the demo data set),
`migrate` (upgrade from revision 0001 to head of a database with data, incl. the pre-migration
backup) and `create` (the initial creation of an empty database). After each kill: PRAGMA
integrity_check, the audit chain, and the operation complete or absent. Prints one JSON object per
line: {"name", "value", "unit"}.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if __package__ in (None, ""):  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

from tests.reliability import crash_scenarios as worker  # noqa: E402

SCENARIOS = ("import", "schedule", "migrate", "create")


def _spawn(mode: str, db: Path, data_dir: Path, extra: str = "") -> subprocess.Popen[str]:
    env = {**os.environ, "MEDSHARE_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    env.pop("MEDSHARE_DB", None)
    command = [sys.executable, "-m", "tests.reliability.crash_scenarios", mode, str(db), extra]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_ready(proc: subprocess.Popen[str]) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if line.strip() != "ready":
        _, err = proc.communicate(timeout=30)
        raise RuntimeError(f"worker did not start: {line!r} {err[-2000:]}")


def _calibrate(mode: str, template: Path, work: Path, extra: str) -> float:
    """How long one undisturbed operation takes (after the worker's start-up)."""
    db = work / "calibrate.db"
    worker.copy_template(template, db)
    proc = _spawn(mode, db, work / "data", extra)
    _wait_ready(proc)
    started = time.perf_counter()
    if mode == "schedule":
        time.sleep(1.0)
        proc.kill()
        proc.wait()
        return 1.0
    _, err = proc.communicate(timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} worker failed: {err[-2000:]}")
    return time.perf_counter() - started


def run_scenario(mode: str, runs: int, work: Path, rng: random.Random, posts: int) -> dict[str, int]:
    template, extra, baseline = worker.prepare(mode, work, posts)
    duration = _calibrate(mode, template, work, extra)
    outcome = {"runs": 0, "kills": 0, "integrity_failures": 0, "partial_operations": 0, "completed": 0, "absent": 0}
    for i in range(runs):
        db = work / f"{mode}-{i}.db"
        worker.copy_template(template, db)
        proc = _spawn(mode, db, work / "data", extra)
        _wait_ready(proc)
        time.sleep(rng.uniform(0.0, duration * 1.05))
        outcome["runs"] += 1
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            outcome["kills"] += 1
        proc.communicate(timeout=60)
        verdict = worker.check(mode, db, baseline)
        outcome["integrity_failures"] += verdict == "integrity"
        outcome["partial_operations"] += verdict == "partial"
        outcome["completed"] += verdict == "complete"
        outcome["absent"] += verdict == "absent"
        if verdict in ("integrity", "partial"):
            keep = work.parent / f"failed-{mode}-{i}.db"
            shutil.copy(db, keep)
            sys.stderr.write(f"{mode} run {i}: {verdict}; database kept at {keep}\n")
        for path in db.parent.glob(db.name + "*"):
            path.unlink(missing_ok=True)
    return outcome


def run(runs: int = 15, posts: int = 3000, seed: int = 7, scenarios: tuple[str, ...] = SCENARIOS) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []
    totals = {"runs": 0, "kills": 0, "integrity_failures": 0, "partial_operations": 0}
    with tempfile.TemporaryDirectory(prefix="medshare-kill-") as folder:
        for mode in scenarios:
            work = Path(folder) / mode
            work.mkdir()
            outcome = run_scenario(mode, runs, work, rng, posts)
            for name, value in outcome.items():
                rows.append({"name": f"kill.{mode}.{name}", "value": value, "unit": "count"})
            for name in totals:
                totals[name] += outcome[name]
    rows.extend({"name": f"kill.total.{name}", "value": value, "unit": "count"} for name, value in totals.items())
    return rows


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="kills per scenario (4 scenarios)")
    parser.add_argument("--posts", type=int, default=3000, help="posts in the imported archive")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=SCENARIOS, action="append")
    args = parser.parse_args(argv)
    rows = run(args.runs, args.posts, args.seed, tuple(args.only or SCENARIOS))
    for row in rows:
        sys.stdout.write(json.dumps(row) + "\n")
    failures = sum(
        r["value"] for r in rows if r["name"] in ("kill.total.integrity_failures", "kill.total.partial_operations")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
