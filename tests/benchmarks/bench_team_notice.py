"""How soon a desk hears of another desk's commit on a team server (LISTEN/NOTIFY), and how soon it notices
the server went away and is back. Starts a throw-away cluster (tests/pg_server.py). Prints JSON lines;
asserts nothing.

    python tests/benchmarks/bench_team_notice.py
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _figure(name: str, value: float, unit: str) -> None:
    print(json.dumps({"name": name, "value": round(value, 2), "unit": unit}))  # noqa: T201 - a benchmark prints


def main() -> None:
    import psycopg

    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.models import Person
    from tests import pg_server

    folder = Path(tempfile.mkdtemp(prefix="bench-notice-"))
    cluster = pg_server.start(folder)
    try:
        with psycopg.connect(cluster.url().replace("postgresql+psycopg", "postgresql"), autocommit=True) as c:
            c.execute("CREATE DATABASE medshare")
        url = cluster.url("medshare")
        opened = {"backup_folder": folder / "b", "evidence_folder": folder / "e", "models_folder": folder / "m"}
        here = build_services(url, actor="here", **opened)
        there = build_services(url, actor="there", **opened)
        heard, reach = threading.Event(), threading.Event()
        states: list[bool] = []
        here.change_feed.listen(lambda _c: heard.set(), lambda ok: (states.append(ok), reach.set()))
        here.change_feed.listening.wait(10)
        delays = []
        for n in range(50):
            heard.clear()
            there.people.add_person(Person(None, f"Bench Person {n}"))
            committed = time.perf_counter()
            heard.wait(5)
            delays.append((time.perf_counter() - committed) * 1e3)
        delays.sort()
        _figure("team notice after another desk's commit, median", statistics.median(delays), "ms")
        _figure("team notice after another desk's commit, p95", delays[int(len(delays) * 0.95) - 1], "ms")
        with psycopg.connect(url.replace("postgresql+psycopg", "postgresql"), autocommit=True) as c:
            c.execute("CHECKPOINT")
        reach.clear()
        stopping = time.perf_counter()
        cluster.stop()  # pg_ctl stop -m immediate -w: returns once the server is down
        reach.wait(30)
        _figure("server stop asked to 'cannot be reached' reported", (time.perf_counter() - stopping) * 1e3, "ms")
        time.sleep(3)  # an outage of a few seconds: the feed is in its backoff
        reach.clear()
        cluster.start_again()
        started = time.perf_counter()
        reach.wait(30)
        _figure("server accepting again to 'back' reported (after a 3 s outage)", (time.perf_counter() - started) * 1e3, "ms")
        here.close()
        there.close()
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
