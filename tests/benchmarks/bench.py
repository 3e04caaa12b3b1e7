"""MedShare Desktop benchmarks: one JSON object per line, {"name", "value", "unit"}.

    python tests/benchmarks/bench.py [--quick]

Start-up (app with the demo database vs. a bare PySide6 window, measured in the same run), the
risk engine, importing and storing a 100,000-post archive, inbox filter/search latency over the
stored posts, printing a busy calendar month, and peak memory. `--quick` uses 10,000 posts.
Each measurement runs in a fresh process where start-up or memory matters.

    python tests/benchmarks/bench.py --search-db sqlite:////path/to/big.db

times only the hostile searches (one letter, a pasted paragraph, a word repeated 5,000 times…) on an
existing database.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PROBE = r"""
import os, sys, time
spawned = float(sys.argv[2])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
if sys.argv[1] == "bare":
    window = QMainWindow()
    window.resize(1280, 800)
    window.show()
    def shown():
        print(time.time() - spawned, flush=True)
        os._exit(0)
    QTimer.singleShot(0, shown)
else:  # what app.run() does: the window first, then the database and the screens
    from medshare_desktop.app import build_main_window, opening_window
    window = opening_window()
    window.show()
    def inbox_ready():
        inbox = window.page("inbox")
        if getattr(inbox, "model", None) is not None and inbox.model.rowCount() > 0:
            print(time.time() - spawned, flush=True)
            os._exit(0)
        QTimer.singleShot(2, inbox_ready)
    def shown():
        print(time.time() - spawned, flush=True)
        from medshare_desktop.bootstrap import build_services
        build_main_window(build_services(sys.argv[3]), window)
        inbox_ready()
    QTimer.singleShot(0, shown)
app.exec()
"""


def emit(name: str, value: float, unit: str) -> None:
    print(json.dumps({"name": name, "value": round(value, 4), "unit": unit}), flush=True)


def _probe(mode: str, db_url: str = "") -> list[float]:
    """Seconds from spawning the process: to the first window (and, for the app, to the inbox's rows)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    spawned = time.time()
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode, repr(spawned), db_url],
        capture_output=True, text=True, env=env, timeout=120, check=True,
    )
    return [float(line) for line in out.stdout.split()]


def bench_startup(folder: Path, runs: int) -> None:
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.demo_data import seed_demo

    db_url = f"sqlite:///{folder}/demo.db"
    services = build_services(db_url)
    seed_demo(services)
    services.close()
    _probe("bare")  # warm the file cache for both
    bare = statistics.median(_probe("bare")[0] for _ in range(runs))
    app = [_probe("app", db_url) for _ in range(runs)]
    emit("startup.bare_pyside6_window_s", bare, "s")
    emit("startup.app_first_window_demo_db_s", statistics.median(a[0] for a in app), "s")
    emit("startup.app_inbox_rows_shown_demo_db_s", statistics.median(a[-1] for a in app), "s")


def _spread_states_and_findings(database: object) -> None:
    """Give the imported posts the mix an inbox has after months of use: every state, and open or
    resolved findings of each severity on about one post in five (written directly, as the risk
    engine would store them, so the benchmark does not wait for spaCy)."""
    from sqlalchemy import text

    states = ("new", "new", "in_review", "approved", "rejected", "scheduled", "shared")
    with database.begin() as session:  # type: ignore[attr-defined]
        for i, state in enumerate(states):
            session.execute(text("UPDATE post SET state = :s WHERE id % :n = :i"), {"s": state, "n": len(states), "i": i})
        session.execute(text(
            "INSERT INTO finding (post_id, start, \"end\", text, category, kind, severity, rule, message, suggestion,"
            " resolution, resolution_reason, resolved_by)"
            " SELECT id, 0, 5, 'Grand', CASE id % 3 WHEN 0 THEN 'phi' WHEN 1 THEN 'discoverable' ELSE 'unprofessional' END,"
            " 'bench', CASE id % 4 WHEN 0 THEN 'high' WHEN 1 THEN 'medium' ELSE 'low' END, 'bench', 'bench', '',"
            " CASE WHEN id % 10 = 0 THEN 'fixed' END, '', '' FROM post WHERE id % 5 = 0"
        ))
        session.execute(text(
            "UPDATE post SET risk_summary = CASE id % 3 WHEN 0 THEN 'phi:1' WHEN 1 THEN 'discoverable:1'"
            " ELSE 'unprofessional:1' END WHERE id % 5 = 0"
        ))


def _inbox_ms(services: object, flt: object, runs: int = 7) -> float:
    """Median time of what the inbox asks for a filter: the first page and the capped count."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        services.posts.query(flt, 0, 200)  # type: ignore[attr-defined]
        services.posts.count(flt, 10_001)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _inbox_matrix(services: object) -> tuple[float, str]:
    """Every filter the inbox offers (alone and with a common or rare search word) under every sort,
    both directions: the slowest median and which query it was."""
    from datetime import date

    from medshare_desktop.core.models import Platform, PostState, RiskCategory
    from medshare_desktop.core.ports import PostFilter

    filters = {
        "none": PostFilter(),
        "state": PostFilter(states=frozenset({PostState.APPROVED})),
        "two_states": PostFilter(states=frozenset({PostState.NEW, PostState.IN_REVIEW})),
        "platform": PostFilter(platform=Platform.MASTODON),
        "dates": PostFilter(date_from=date(2024, 3, 1), date_to=date(2024, 3, 31)),
        "risk": PostFilter(risk_category=RiskCategory.DISCOVERABLE),
        "platform_state_risk": PostFilter(platform=Platform.X, states=frozenset({PostState.NEW}),
                                          risk_category=RiskCategory.PHI),
    }
    worst, worst_name = 0.0, ""
    for fname, base in filters.items():
        for search in ("", "sepsis", "residents 4242"):
            for sort in ("posted_at", "author", "platform", "state", "risk"):
                for descending in (True, False):
                    flt = replace(base, search=search, sort=sort, descending=descending)
                    ms = _inbox_ms(services, flt, 3)
                    if ms > worst:
                        worst, worst_name = ms, f"{fname} search={search!r} sort={sort} desc={descending}"
    return worst, worst_name


HOSTILE_SEARCHES = {
    "one_letter": "t",
    "two_letters": "th",
    "twelve_single_letters": "a b c d e f g h i j k l",
    "six_words_in_every_post": "grand rounds residents presented sepsis pathways",
    "pasted_paragraph_48_words": (
        "Grand rounds this week residents presented cases on sepsis heart failure and stroke pathways thank "
        "you to the whole team for the preparation slides are on the intranet we also discussed new protocols "
        "for the emergency department and how nurses and doctors can communicate better during handoffs"
    ),
    "word_repeated_500": "sepsis " * 500,
    "word_repeated_5000": "sepsis " * 5_000,
    "pasted_30000_characters": "Handoff notes from the night: " + "x" * 30_000,
}


def _hostile_searches(services: object) -> None:
    """Whatever is typed or pasted into the search box (rules/search.py bounds it): the median of
    first page + capped count for each, the slowest under any sort, and the memory it took."""
    import resource
    from dataclasses import replace

    from medshare_desktop.core.ports import PostFilter

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worst, worst_name = 0.0, ""
    for name, search in HOSTILE_SEARCHES.items():
        ms = _inbox_ms(services, PostFilter(search=search), 5)
        emit(f"inbox.search_{name}_median_ms", ms, "ms")
        for sort in ("posted_at", "author", "platform", "state", "risk"):
            ms = max(ms, _inbox_ms(services, replace(PostFilter(search=search), sort=sort), 3))
        if ms > worst:
            worst, worst_name = ms, name
    emit("inbox.search_hostile_worst_median_ms", worst, "ms")
    print(json.dumps({"name": "inbox.search_hostile_worst_query", "value": worst_name, "unit": ""}), flush=True)
    emit("inbox.search_hostile_memory_growth_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before, "MB")


def bench_store_and_query(folder: Path, n: int) -> None:
    """Import a generic JSON archive end to end (read + store), then time inbox queries on it."""
    import resource

    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.models import Platform, PostState, RiskCategory
    from medshare_desktop.core.ports import PostFilter
    from tests.benchmarks.bench_import import make_json_archive

    archive = make_json_archive(folder / "archive.json", n)
    services = build_services(f"sqlite:///{folder}/big.db")
    started = time.perf_counter()
    report = services.imports.import_source(str(archive), "json")
    elapsed = time.perf_counter() - started
    assert report.new == n, report.summary()
    emit("import.read_and_store_posts_per_s", n / elapsed, "posts/s")
    emit("import.read_and_store_total_s", elapsed, "s")

    _spread_states_and_findings(services.database)
    filters = {
        "first_page_all": PostFilter(),
        "state_new": PostFilter(states=frozenset({PostState.NEW})),
        "search_word": PostFilter(search="sepsis"),
        "search_two_words_rare": PostFilter(search="residents 4242"),
        "platform_and_search": PostFilter(search="stroke heart", sort="author", descending=False),
        # a platform filter with a word found in (nearly) every post
        "platform_filter_common_word": PostFilter(platform=Platform.LINKEDIN, search="sepsis"),
        "platform_filter_common_word_by_state": PostFilter(platform=Platform.LINKEDIN, search="team", sort="state"),
        "sort_by_state": PostFilter(sort="state"),
        "sort_by_state_ascending": PostFilter(sort="state", descending=False),
        "state_filter_sort_by_author": PostFilter(states=frozenset({PostState.IN_REVIEW}), sort="author"),
        "risk_category_phi": PostFilter(risk_category=RiskCategory.PHI),
        "sort_by_risk": PostFilter(sort="risk"),
        "search_word_sort_by_risk": PostFilter(search="sepsis", sort="risk"),
    }
    for name, flt in filters.items():
        emit(f"inbox.{name}_median_ms", _inbox_ms(services, flt), "ms")
    worst, worst_name = _inbox_matrix(services)
    emit("inbox.every_filter_and_sort_worst_median_ms", worst, "ms")
    print(json.dumps({"name": "inbox.every_filter_and_sort_worst_query", "value": worst_name, "unit": ""}), flush=True)
    _hostile_searches(services)
    services.close()
    emit("memory.import_process_peak_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MB")


def _optional(module: str, quick: bool) -> None:
    """Figures supplied by the feature benchmarks, when those modules exist."""
    import importlib

    try:
        bench = importlib.import_module(module)
    except ImportError as exc:
        print(json.dumps({"name": f"{module}.skipped", "value": str(exc), "unit": ""}), file=sys.stderr)
        return
    for row in bench.run(quick):
        print(json.dumps(row), flush=True)


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    with tempfile.TemporaryDirectory(prefix="medshare-bench-") as tmp:
        folder = Path(tmp)
        os.environ.setdefault("MEDSHARE_DATA_DIR", str(folder / "data"))
        bench_startup(folder, 3 if quick else 5)
        # the import and its peak memory run in a child so earlier work does not count
        subprocess.run([sys.executable, __file__, "--store-only", *(["--quick"] if quick else [])], check=True)
    for module in ("tests.benchmarks.bench_risk", "tests.benchmarks.bench_import", "tests.benchmarks.bench_calendar",
                   "tests.benchmarks.bench_suggest"):
        _optional(module, quick)
    return 0


if __name__ == "__main__":
    if "--search-db" in sys.argv:  # only the hostile searches, on an existing database (e.g. one --store-only left)
        from medshare_desktop.bootstrap import build_services

        _hostile_searches(build_services(sys.argv[sys.argv.index("--search-db") + 1]))
        sys.exit(0)
    if "--store-only" in sys.argv:
        with tempfile.TemporaryDirectory(prefix="medshare-bench-") as tmp:
            os.environ.setdefault("MEDSHARE_DATA_DIR", str(Path(tmp) / "data"))
            bench_store_and_query(Path(tmp), 10_000 if "--quick" in sys.argv else 100_000)
        sys.exit(0)
    sys.exit(main(sys.argv[1:]))
