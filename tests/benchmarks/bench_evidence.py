"""Evidence at approval benchmark: what keeping the snapshot adds to an approval, and what an export costs.

    python tests/benchmarks/bench_evidence.py [--quick]

Uses an in-memory keyring and prints one JSON object per line: {"name", "value", "unit"}.
  - approve: PostService.approve (state change + snapshot built from the findings and consent + sealed
    event + snapshot row, one transaction), against start_review (state change + sealed event only) on the
    same posts: the difference is the snapshot's cost;
  - export: package (snapshot read, checked against its event and the whole audit chain) + PDF summary +
    zip, with the trail as long as the run made it (about 3 events per post).
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
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from medshare_desktop.bootstrap import build_services  # noqa: E402
from medshare_desktop.core.models import (  # noqa: E402
    Channel,
    ConsentRecord,
    ConsentScope,
    Finding,
    Person,
    Resolution,
    RiskCategory,
    Severity,
)
from medshare_desktop.core.ports import PostFilter  # noqa: E402
from medshare_desktop.core.services.evidence_service import export_zip  # noqa: E402
from tests.conftest import make_imported  # noqa: E402


def _emit(name: str, value: float, unit: str) -> None:
    sys.stdout.write(json.dumps({"name": name, "value": round(value, 3), "unit": unit}) + "\n")


def main() -> None:
    n = 40 if "--quick" in sys.argv else 300
    folder = Path(tempfile.mkdtemp(prefix="bench-evidence-"))
    os.environ["MEDSHARE_DATA_DIR"] = str(folder / "data")
    services = build_services(f"sqlite:///{folder}/bench.db", actor="bench", evidence_folder=folder / "evidence")
    person = services.people.add_person(Person(None, "Dr. Bench"))
    services.consent.add_record(ConsentRecord(
        None, person.id, frozenset({ConsentScope.NAME}), frozenset({Channel.PUBLIC_SOCIAL}), services.consent.today(),
    ))
    services.posts.store_imported(make_imported(n), [], "bench", person_id=person.id)
    ids = sorted(r.id for r in services.posts.query(PostFilter(), 0, n))
    review, approve = [], []
    for post_id in ids:
        post = services.posts.get(post_id)
        start = time.perf_counter()
        post = services.posts.start_review(post)
        review.append(time.perf_counter() - start)
        [found] = services.posts.store_findings(post_id, [
            Finding(0, 4, post.text[:4], RiskCategory.PHI, "name", Severity.HIGH, "bench", "bench"),
        ])
        services.posts.resolve_finding(found.id, Resolution.ACCEPTED, "Benchmark.")
        post = services.posts.get(post_id)
        start = time.perf_counter()
        services.posts.approve(post)
        approve.append(time.perf_counter() - start)
    _emit("start_review median (no snapshot)", statistics.median(review) * 1000, "ms")
    _emit("approve median (with snapshot)", statistics.median(approve) * 1000, "ms")
    _emit("approve minus start_review (snapshot + approval checks)", (statistics.median(approve) - statistics.median(review)) * 1000, "ms")

    from PySide6.QtGui import QGuiApplication

    from medshare_desktop.ui.printing.evidence_summary import summary_pdf

    app = QGuiApplication.instance() or QGuiApplication([])
    events = services.audit.check().events
    start = time.perf_counter()
    package = export_zip(services.approvals, ids[-1], folder / "evidence.zip", summary_pdf)
    _emit(f"export (package + chain of {events} events + PDF + zip)", (time.perf_counter() - start) * 1000, "ms")
    assert package.check.verified, package.check.lines()
    del app
    services.close()


if __name__ == "__main__":
    main()
