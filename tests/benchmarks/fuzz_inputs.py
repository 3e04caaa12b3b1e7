"""Bad-input fuzzing of `medshare scan` and every importer, with figures.

    python tests/benchmarks/fuzz_inputs.py [--per-target N] [--seed S]

Each target gets N inputs derived from a valid sample (random bytes, truncations, flipped and inserted
bytes, other encodings, odd Unicode, duplicates, files of 3 MB; 300 KB for scan). An input may take
30 s plus 30 s per MB before it counts as a hang. Imports go through the services
into one database, and the post count before/after proves all-or-nothing. An outcome other than a
clean result or a MedshareError — another exception, a time-out (hang) or a partial write — is a
failure. Prints one JSON object per line: {"name", "value", "unit"}.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

if __package__ in (None, ""):  # run as a script from anywhere
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.reliability.fuzz_cases import (  # noqa: E402
    IMPORT_TARGETS,
    TimeLimit,
    check_import,
    check_scan,
    limit_for,
    mutate,
    sample_bytes,
    target_id,
    time_limit,
)

SCAN_SAMPLE = (
    b"Call the family at 617-555-0142 or email jane.doe@example.com about room 412. Mrs. Alvarez (92) was "
    b"discharged on 03/14 after her MRN 44556677 was updated. So tired after a 30-hour shift, we made a mistake."
)


def _attempt(check, data: bytes, *args) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    try:
        with time_limit(limit_for(data)):
            return check(data, *args), ""
    except TimeLimit as exc:
        return "hang", str(exc)
    except AssertionError as exc:
        return "partial-or-contract", str(exc) or traceback.format_exc(limit=2)
    except Exception as exc:  # noqa: BLE001 - any other exception is a finding
        return "crash", f"{type(exc).__name__}: {exc}"


def _import(data: bytes, services, fmt: str, name: str, folder: Path) -> str:  # type: ignore[no-untyped-def]
    return check_import(services, data, fmt, name, folder)


def run(per_target: int = 150, seed: int = 1) -> tuple[list[dict], list[str]]:
    import os

    rows: list[dict] = []
    found: list[str] = []
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(prefix="medshare-fuzz-") as folder:
        os.environ["MEDSHARE_DATA_DIR"] = folder
        from medshare_desktop.bootstrap import build_services

        services = build_services(f"sqlite:///{folder}/fuzz.db", actor="fuzz")
        targets = [("scan", "", "", SCAN_SAMPLE)] + [(target_id(t), t[0], t[1], sample_bytes(t)) for t in IMPORT_TARGETS]
        try:
            for label, fmt, name, sample in targets:
                outcomes: dict[str, int] = {}
                started = time.perf_counter()
                for _ in range(per_target):
                    if label == "scan":  # a post is a few KB: 300 KB stands for "huge" (the engine reads ~100 KB/s)
                        kind, data = mutate(sample, rng, huge_size=300_000)
                        outcome, detail = _attempt(check_scan, data, Path(folder))
                    else:
                        kind, data = mutate(sample, rng)
                        outcome, detail = _attempt(_import, data, services, fmt, name, Path(folder))
                    outcomes[outcome] = outcomes.get(outcome, 0) + 1
                    if detail:
                        found.append(f"{label}/{kind}: {outcome}: {detail[:300]}")
                failures = sum(n for o, n in outcomes.items() if o not in ("clean", "refused"))
                rows += [
                    {"name": f"fuzz.{label}.inputs", "value": per_target, "unit": "count"},
                    {"name": f"fuzz.{label}.clean", "value": outcomes.get("clean", 0), "unit": "count"},
                    {
                        "name": f"fuzz.{label}.refused_with_message",
                        "value": outcomes.get("refused", 0),
                        "unit": "count",
                    },
                    {"name": f"fuzz.{label}.failures", "value": failures, "unit": "count"},
                    {"name": f"fuzz.{label}.seconds", "value": round(time.perf_counter() - started, 1), "unit": "s"},
                ]
        finally:
            services.close()
    total = sum(r["value"] for r in rows if r["name"].endswith(".inputs"))
    rows.append({"name": "fuzz.total.inputs", "value": total, "unit": "count"})
    rows.append({"name": "fuzz.total.failures", "value": len(found), "unit": "count"})
    return rows, found


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-target", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rows, found = run(args.per_target, args.seed)
    for row in rows:
        sys.stdout.write(json.dumps(row) + "\n")
    for line in found:
        sys.stderr.write(line + "\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
