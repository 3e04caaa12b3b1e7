"""What the change poll costs: the data-version pragma the GUI thread runs every second, and a look at
the audit events after another process changed something. Prints figures; asserts nothing.

    python tests/benchmarks/bench_change_poll.py
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.models import Person
    from medshare_desktop.core.services.change_watch import ChangeWatch
    from medshare_desktop.demo_data import seed_demo

    folder = Path(tempfile.mkdtemp(prefix="bench-poll-"))
    url = f"sqlite:///{folder}/poll.db"
    here = build_services(url, actor="here", backup_folder=folder, evidence_folder=folder / "e")
    seed_demo(here)
    there = build_services(url, actor="there", backup_folder=folder, evidence_folder=folder / "e")
    watch = ChangeWatch(here.change_feed, here.audit)  # type: ignore[arg-type]
    watch.start()
    watch.version()
    rounds = 10_000
    started = time.perf_counter()
    for _ in range(rounds):
        watch.version()
    per_poll = (time.perf_counter() - started) / rounds
    print(f"PRAGMA data_version (the GUI thread's share of a poll): {per_poll * 1e6:.1f} µs")
    for count in (1, 100):
        for n in range(count):
            there.people.add_person(Person(None, f"Bench Person {count}-{n}"))
        started = time.perf_counter()
        changes = watch.look()
        took = time.perf_counter() - started
        print(f"look() after {count} change(s) elsewhere (worker thread): {took * 1e3:.1f} ms, "
              f"{len(changes.people)} people named")
    for n in range(100):
        here.people.add_person(Person(None, f"Own Person {n}"))
    watch.version()
    started = time.perf_counter()
    changes = watch.look()
    print(f"look() after 100 own changes: {(time.perf_counter() - started) * 1e3:.1f} ms, empty={changes.empty}")
    here.close()
    there.close()


if __name__ == "__main__":
    main()
