"""The command line's side of the 'window and `medshare import` at the same time' tests, on a SQLite file
(test_gui_and_cli_together.py) and on a team server (test_gui_and_cli_together_on_server.py): ROUNDS
imports of POSTS_PER_FILE posts, each a real `python -m medshare_desktop import` process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("MEDSHARE_GUI_CLI_ROUNDS", "6"))
POSTS_PER_FILE = 5


def round_csv(path: Path, round_no: int) -> Path:
    """Write round `round_no`'s posts (external ids cli-ROUND-I) to `path`."""
    lines = ["text,posted_at,author,external_id"]
    lines += [
        f'"Round {round_no} post {i}: thank you to the night shift team",2026-10-{1 + i:02d},Dr. Cli,cli-{round_no}-{i}'
        for i in range(POSTS_PER_FILE)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def every_external_id() -> set[str]:
    """The external ids of every post all the rounds import."""
    return {f"cli-{r}-{i}" for r in range(ROUNDS) for i in range(POSTS_PER_FILE)}


def start_cli_import(tmp_path: Path, db: str, file: Path) -> subprocess.Popen[str]:
    """Start `medshare --db DB import FILE` in its own process, with a data folder of its own."""
    env = {**os.environ, "MEDSHARE_DATA_DIR": str(tmp_path / "cli-data"), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "medshare_desktop", "--db", db, "import", str(file)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
    )
