"""Benchmark: suggested re-shares over a 100,000-post inbox (250 people, months of re-shares).

    python -m tests.benchmarks.bench_suggest [--quick]

`run(quick)` returns rows {"name", "value", "unit"}: the time to rank every post the first time (every text
read and measured) and after a change (what sorting the inbox by "Suggested" costs once per change), while
nothing changed (scores are kept until the next change), a filter's ranking, one inbox page of 200 posts
with their reasons (what the Suggested column costs per page) and `medshare suggest --limit 20`; medians.
The posts are imported through the services; re-shares, states and findings are written directly.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

PEOPLE = 250


def _median_s(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _seed(services: object, folder: Path, n: int) -> None:
    from sqlalchemy import text

    from medshare_desktop.core.models import Person, Platform, SourceAccount
    from tests.benchmarks.bench import _spread_states_and_findings
    from tests.benchmarks.bench_import import make_json_archive

    for i in range(PEOPLE):  # the archive's authors: @doc0 … @doc249
        person = services.people.add_person(Person(None, f"Dr. Example {i}", department=f"Department {i % 12}"))  # type: ignore[attr-defined]
        for platform in (Platform.LINKEDIN, Platform.X, Platform.MASTODON, Platform.BLOG):
            services.people.add_account(SourceAccount(None, person.id, platform, f"@doc{i}"))  # type: ignore[attr-defined]
    archive = make_json_archive(folder / "archive.json", n)
    report = services.imports.import_source(str(archive), "json")  # type: ignore[attr-defined]
    assert report.new == n, report.summary()
    _spread_states_and_findings(services.database)  # type: ignore[attr-defined]
    today = date.today()
    with services.database.begin() as session:  # type: ignore[attr-defined]
        session.execute(text("UPDATE post SET likes = id % 97, reposts = id % 13 WHERE id % 2 = 0"))
        session.execute(text("UPDATE post SET evergreen = 1 WHERE id % 50 = 0"))
        # a re-share history: every scheduled or shared post on a day of the last 120 days
        session.execute(
            text("INSERT INTO scheduled_share (post_id, day, channel, override_reason, created_by)"
                 " SELECT id, date(:today, '-' || (id % 120) || ' days'), 'public_social', '', 'bench'"
                 " FROM post WHERE state IN ('scheduled', 'shared')"),
            {"today": (today - timedelta(days=0)).isoformat()},
        )


def run(quick: bool) -> list[dict[str, object]]:
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.models import PostState
    from medshare_desktop.core.ports import PostFilter

    n = 10_000 if quick else 100_000
    runs = 3 if quick else 5
    rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory(prefix="medshare-bench-suggest-") as tmp:
        folder = Path(tmp)
        os.environ.setdefault("MEDSHARE_DATA_DIR", str(folder / "data"))
        services = build_services(f"sqlite:///{folder}/big.db", backup_folder=folder / "backups")
        try:
            _seed(services, folder, n)
            suggestions = services.suggestions
            page = [s.id for s in services.posts.query(PostFilter(), 0, 200)]
            toggled = [False]

            def change() -> None:  # any change (here: the evergreen mark) writes an audit event: scores are read anew
                toggled[0] = not toggled[0]
                suggestions.set_evergreen(page[0], toggled[0])

            def timed_after_change(fn: Callable[[], object]) -> float:
                times = []
                for _ in range(runs):
                    change()
                    started = time.perf_counter()
                    fn()
                    times.append(time.perf_counter() - started)
                return statistics.median(times)

            started = time.perf_counter()
            suggestions.ranked(reasons=False)
            rows.append({"name": "suggest.rank_every_post_first_time_s", "value": round(time.perf_counter() - started, 3),
                         "unit": "s"})
            figures = {
                "suggest.rank_every_post_after_a_change_s": (
                    timed_after_change(lambda: suggestions.ranked(reasons=False)), "s"),
                "suggest.rank_every_post_unchanged_ms": (
                    _median_s(lambda: suggestions.ranked(reasons=False), runs) * 1000, "ms"),
                "suggest.rank_state_new_unchanged_ms": (
                    _median_s(lambda: suggestions.ranked(PostFilter(states=frozenset({PostState.NEW})), reasons=False),
                              runs) * 1000, "ms"),
                "suggest.score_one_page_of_200_after_a_change_ms": (
                    timed_after_change(lambda: suggestions.score(page)) * 1000, "ms"),
                "suggest.top_20_with_reasons_ms": (
                    _median_s(lambda: suggestions.ranked(limit=20, candidates_only=True), runs) * 1000, "ms"),
            }
            for name, (value, unit) in figures.items():
                rows.append({"name": name, "value": round(value, 3), "unit": unit})
            rows.append({"name": "suggest.posts", "value": n, "unit": "posts"})
        finally:
            services.close()
    return rows


if __name__ == "__main__":
    for row in run("--quick" in sys.argv):
        print(json.dumps(row), flush=True)
