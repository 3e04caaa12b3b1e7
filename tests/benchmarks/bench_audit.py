"""Audit trail benchmark: what sealing costs per write, and how long `audit verify` takes.

    python tests/benchmarks/bench_audit.py [--quick]

Uses an in-memory keyring (nothing reaches the real one) and prints one JSON object per line:
{"name", "value", "unit"}. Compares, on the same machine and file system, one audit event per change
(PeopleService.add_person: the person row and its event in one transaction) written
  - sealed: HMAC under the keyring key + the head witness file (temp, fsync, os.replace) = the app,
  - plain: the old unkeyed SHA-256 chain and no witness (AuditService without key store or witness).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script from anywhere
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.keyring_memory.MemoryKeyring")
os.environ.pop("MEDSHARE_TEST_KEYRING_FILE", None)

from medshare_desktop.bootstrap import build_services  # noqa: E402
from medshare_desktop.core.models import Person  # noqa: E402
from medshare_desktop.core.services.audit_service import AuditService  # noqa: E402
from medshare_desktop.core.services.people_service import PeopleService  # noqa: E402
from medshare_desktop.storage import unit_of_work_factory  # noqa: E402


def _emit(name: str, value: float, unit: str) -> None:
    sys.stdout.write(json.dumps({"name": name, "value": round(value, 3), "unit": unit}) + "\n")


def _per_write(people: PeopleService, n: int, tag: str) -> list[float]:
    times = []
    for i in range(n):
        start = time.perf_counter()
        people.add_person(Person(None, f"Dr. {tag} {i}"))
        times.append((time.perf_counter() - start) * 1000)
    return times


def main(quick: bool) -> None:
    n, trail = (100, 2_000) if quick else (400, 20_000)
    with tempfile.TemporaryDirectory() as folder:
        services = build_services(str(Path(folder) / "bench.db"), actor="bench", backup_folder=Path(folder))
        try:
            uow = unit_of_work_factory(services.database)
            plain = PeopleService(uow, AuditService(uow, "bench"))  # no keys, no witness: the old cost
            sealed = services.people
            for label, people in (("plain", plain), ("sealed", sealed), ("plain", plain), ("sealed", sealed)):
                times = _per_write(people, n, label)  # interleaved twice: both see the same machine load
                _emit(f"audit.write.{label}.median", statistics.median(times), "ms")
                _emit(f"audit.write.{label}.p95", sorted(times)[int(len(times) * 0.95)], "ms")
            _per_write(sealed, trail - 4 * n, "fill")
            start = time.perf_counter()
            report = services.audit.check()
            _emit("audit.verify.events", report.events, "events")
            _emit("audit.verify.seconds", time.perf_counter() - start, "s")
            times = _per_write(sealed, 50, "late")  # appending to a long trail costs the same
            _emit(f"audit.write.sealed.median_after_{report.events}_events", statistics.median(times), "ms")
        finally:
            services.close()


if __name__ == "__main__":
    main("--quick" in sys.argv)
