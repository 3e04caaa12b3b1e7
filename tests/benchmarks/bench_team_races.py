"""Races between desks, as real processes, on both engines: how many rounds ran and how many broke a rule
that spans desks (the monthly limit, one current consent record, one saved post edit, an intact audit chain).

    python tests/benchmarks/bench_team_races.py [--rounds 50] [--desks 4] [--engines sqlite,postgresql]
                                               [--races cadence,consent,post_edit,audit]

PostgreSQL: MEDSHARE_TEST_PG_URL (a role that may create databases), else a throw-away cluster started
here (tests/pg_server.py). Prints one JSON object per line: {"name", "value", "unit"}, and per race and
engine the rounds run and broken, then three desks opening one empty PostgreSQL database together.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script from anywhere
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.keyring_memory.MemoryKeyring"
# one keyring shared by the desk processes, as one team shares the audit key (setdefault: the desks, started
# with "spawn", run this module's top again and must keep the parent's file)
os.environ.setdefault("MEDSHARE_TEST_KEYRING_FILE", os.path.join(tempfile.mkdtemp(prefix="medshare-keyring-"), "keyring.json"))
os.environ.setdefault("MEDSHARE_DATA_DIR", tempfile.mkdtemp(prefix="medshare-bench-"))

from tests.reliability.team_races import RACES, run_races, start_together  # noqa: E402


def _emit(name: str, value: float, unit: str) -> None:
    sys.stdout.write(json.dumps({"name": name, "value": value, "unit": unit}) + "\n")
    sys.stdout.flush()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--desks", type=int, default=4)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--races", default=",".join(RACES))
    parser.add_argument("--starts", type=int, default=5, help="empty-server starts of three desks")
    args = parser.parse_args()
    engines = args.engines.split(",")
    folder = Path(tempfile.mkdtemp(prefix="medshare-races-"))
    server = None
    if "postgresql" in engines:
        from tests.pg_databases import PgServer

        given = os.environ.get("MEDSHARE_TEST_PG_URL")
        if given:
            server = PgServer(given)
        else:
            from tests import pg_server

            cluster = pg_server.start(Path(tempfile.mkdtemp(prefix="medshare-pg-")))
            server = PgServer(cluster.url(), cluster=cluster)
    try:
        races = args.races.split(",")
        for engine in engines:
            if engine == "sqlite":
                url = f"sqlite:///{folder}/races.db"
            else:
                assert server is not None
                url = server.url_for(server.new_database())
            for race, tally in run_races(races, url, engine, args.rounds, args.desks).items():
                _emit(f"{race} race rounds run ({engine})", tally.rounds, "rounds")
                _emit(f"{race} race rounds broken ({engine})", tally.broken, "rounds")
                for note in (tally.notes or [])[:2]:
                    sys.stderr.write(f"{race}/{engine}: {note}\n")
        if server is not None and args.starts:
            failed = 0
            for _ in range(args.starts):
                said = start_together(server.url_for(server.new_database(migrated=False)), 3)
                if any(outcome != "opened" for _, outcome, _ in said):
                    failed += 1
                    sys.stderr.write(f"start: {said}\n")
            _emit("three desks starting on an empty server: rounds run (postgresql)", args.starts, "rounds")
            _emit("three desks starting on an empty server: rounds broken (postgresql)", failed, "rounds")
    finally:
        if server is not None:
            server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
