"""Benchmark: start-up to the first window, the built program vs. the source, measured in the same run.

    python tests/benchmarks/bench_frozen.py dist/medshare/medshare [--runs 5] [--baseline OLD/medshare]

Needs an X display (DISPLAY, e.g. `Xvfb :98 &` then DISPLAY=:98) and xdotool: each run starts the
program with the demo database and polls the X server until a MedShare window is mapped, the same way
for both, alternating source and frozen runs so that machine load hits both alike. Prints one JSON
object per line, {"name", "value", "unit"}, like bench.py (medians over the runs). --baseline: a copy
of an earlier build, started in the same alternation, to see what a packaging change did to start-up.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))
sys.path.insert(0, str(ROOT))

from smoke_test import PrivateSecretService  # noqa: E402


def emit(name: str, value: float, unit: str) -> None:
    print(json.dumps({"name": name, "value": round(value, 4), "unit": unit}), flush=True)


def _window_mapped() -> bool:
    found = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "MedShare Desktop"],
                           capture_output=True, text=True)
    return bool(found.stdout.strip())


def first_window(command: list[str], env: dict[str, str], timeout: float = 120) -> float:
    if _window_mapped():
        raise SystemExit("a MedShare window is already open on this display: close it first")
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while not _window_mapped():
            if process.poll() is not None:
                raise SystemExit(f"{command[0]} ended (exit {process.returncode}) before showing a window: "
                                 f"{process.stderr.read()[-1500:] if process.stderr else ''}")
            if time.monotonic() - started > timeout:
                raise SystemExit(f"{command[0]}: no window after {timeout:.0f} s")
            time.sleep(0.05)  # each poll is one X connection: gentle on a loaded Xvfb
        return time.monotonic() - started
    finally:
        process.terminate()
        process.wait(timeout=30)
        while _window_mapped():
            time.sleep(0.05)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executable", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="an earlier build's executable, measured alongside")
    args = parser.parse_args(argv)
    if not os.environ.get("DISPLAY") or shutil.which("xdotool") is None:
        raise SystemExit("needs an X display (DISPLAY) and xdotool")
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.demo_data import seed_demo

    with tempfile.TemporaryDirectory(prefix="medshare-bench-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDSHARE_", "PYTHON_KEYRING", "QT_QPA"))}
        env["MEDSHARE_DATA_DIR"] = str(work / "data")
        secrets = PrivateSecretService(work)  # the audit key goes there, not into a real keyring
        env["DBUS_SESSION_BUS_ADDRESS"] = secrets.address
        try:
            os.environ.update(MEDSHARE_DATA_DIR=env["MEDSHARE_DATA_DIR"], DBUS_SESSION_BUS_ADDRESS=secrets.address)
            os.environ.pop("PYTHON_KEYRING_BACKEND", None)
            db = work / "demo.db"
            services = build_services(str(db))
            seed_demo(services)
            services.close()
            source_cmd = [sys.executable, "-m", "medshare_desktop", "--db", str(db)]
            frozen_cmd = [str(args.executable.resolve()), "--db", str(db)]
            baseline_cmd = [str(args.baseline.resolve()), "--db", str(db)] if args.baseline else None
            first_window(frozen_cmd, env)  # warm the file cache for both
            first_window(source_cmd, env)
            if baseline_cmd:
                first_window(baseline_cmd, env)
            source, frozen, baseline = [], [], []
            for _ in range(args.runs):
                source.append(first_window(source_cmd, env))
                frozen.append(first_window(frozen_cmd, env))
                if baseline_cmd:
                    baseline.append(first_window(baseline_cmd, env))
        finally:
            secrets.stop()
    emit("startup.source_first_window_demo_db_s", statistics.median(source), "s")
    emit("startup.frozen_first_window_demo_db_s", statistics.median(frozen), "s")
    if baseline:
        emit("startup.baseline_frozen_first_window_demo_db_s", statistics.median(baseline), "s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
