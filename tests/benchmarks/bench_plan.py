"""Benchmark: proposing a month ("Propose a month", `medshare plan`) with 100,000 approved posts in the inbox.

    python -m tests.benchmarks.bench_plan [--quick] [--posts N]

Builds a real SQLite database in a temporary folder (300 people in 12 departments, most with consent on
file, some expired or revoked; N approved posts, a tenth with a photo and a few tagged colleagues, some with
an unresolved high finding; 600 re-shares already on the calendar in the months before and in the month)
and times PlanService.propose for next month: reading what it needs (three post queries, people, consent,
the schedule around the month), the planner itself, and the drafted posts' excerpts. Prints JSON lines: the
median total and its parts, how many re-shares were drafted, and the same proposal ordered by suggestion
score (the first time, when every waiting post's text is measured, and again).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta

PEOPLE = 300
DEPARTMENTS = 12


def _next_month(today: date) -> tuple[int, int]:
    index = today.year * 12 + today.month  # the month after today's
    return index // 12, index % 12 + 1


def build(folder: str, posts: int, today: date):  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope, Person, Role
    from medshare_desktop.core.rules.cadence import CadencePolicy
    from medshare_desktop.storage.orm import FindingRow, PhotoTagRow, PostRow, ScheduledShareRow

    services = build_services(f"sqlite:///{folder}/bench.db", actor="bench", today=lambda: today)
    services.settings.set_cadence_policy(CadencePolicy(monthly_limit=2, per_day_channel_cap=12, min_days_between=5))
    ids = []
    for n in range(PEOPLE):
        person = services.people.add_person(
            Person(None, f"Dr. Bench {n:03d}", Role.PHYSICIAN, f"Department {n % DEPARTMENTS}",
                   monthly_limit=3 if n % 25 == 0 else None)
        )
        ids.append(person.id)
        if n % 10 == 9:
            continue  # no consent on file
        record = services.consent.add_record(
            ConsentRecord(None, person.id, frozenset(ConsentScope), frozenset(Channel), today - timedelta(days=400),
                          today + timedelta(days=20) if n % 10 == 3 else None)  # expires mid-month for some
        )
        if n % 10 == 7:
            services.consent.revoke(record.id, today + timedelta(days=10), "left the team")
    now = datetime.now(UTC)
    rows = [
        {
            "person_id": ids[i % PEOPLE], "platform": "linkedin", "external_id": f"bench-{i}", "url": "",
            "author": f"Dr. Bench {i % PEOPLE:03d}", "handle": f"bench-{i % PEOPLE}",
            "text": f"Post {i}: our team ran a teaching afternoon on sepsis recognition for new residents.",
            "media": "photo.jpg" if i % 10 == 0 else "", "posted_at": now - timedelta(minutes=i),
            "imported_at": now, "state": "approved", "reject_reason": "", "shared_url": "",
            "content_hash": f"{i:064x}", "risk_summary": "", "version": 1,
        }
        for i in range(posts)
    ]
    engine = services.database.engine
    with engine.begin() as conn:
        for start in range(0, len(rows), 5000):
            conn.execute(insert(PostRow), rows[start : start + 5000])
        post_ids = [r[0] for r in conn.exec_driver_sql("SELECT id FROM post ORDER BY id")]
        conn.execute(insert(PhotoTagRow), [
            {"post_id": pid, "person_id": ids[(k * 7) % PEOPLE], "tagged_by": "bench", "tagged_at": now}
            for k, pid in enumerate(post_ids[::50])
        ])
        conn.execute(insert(FindingRow), [
            {"post_id": pid, "start": 0, "end": 4, "text": "Post", "category": "phi", "kind": "name",
             "severity": "high", "rule": "bench", "message": "bench", "suggestion": ""}
            for pid in post_ids[3::97]
        ])
        shares = []
        for k in range(600):  # re-shares already booked: the months before, and some in the month
            day = today + timedelta(days=(k % 75) - 60)
            shares.append({"post_id": post_ids[-1 - k], "day": day, "channel": "public_social",
                           "override_reason": "", "created_by": "bench"})
        conn.execute(insert(ScheduledShareRow), shares)
        conn.exec_driver_sql(
            "UPDATE post SET state = 'scheduled' WHERE id IN (SELECT post_id FROM scheduled_share)"
        )
    return services


def _median(fn, runs: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(quick: bool, posts: int = 100_000) -> list[dict[str, object]]:
    from medshare_desktop.core.rules.planner import propose_month
    from medshare_desktop.core.services.plan_service import suggestion_ranker

    today = date.today()
    year, month = _next_month(today)
    runs = 2 if quick else 5
    with tempfile.TemporaryDirectory(prefix="medshare-bench-plan-") as folder:
        started = time.perf_counter()
        services = build(folder, posts, today)
        built = time.perf_counter() - started
        try:
            planner = services.schedule.planner()
            inputs = planner.inputs(year, month)
            total = _median(lambda: planner.propose(year, month), runs)
            read = _median(lambda: planner.inputs(year, month), runs)
            plan_only = _median(lambda: propose_month(inputs), runs)
            drafted = len(propose_month(inputs).ghosts)
            ranked = services.schedule.planner(rank=suggestion_ranker(services.suggestions))
            start = time.perf_counter()
            ranked.propose(year, month)  # the first time every waiting post's text is read and measured
            ranked_cold = time.perf_counter() - start
            ranked_warm = _median(lambda: ranked.propose(year, month), runs)
        finally:
            services.close()
    return [
        {"name": "plan.propose_month_s", "value": round(total, 3), "unit": "s", "posts_in_inbox": posts,
         "approved_waiting": len(inputs.posts), "drafted": drafted, "people": PEOPLE, "order": "newest first"},
        {"name": "plan.read_inputs_s", "value": round(read, 3), "unit": "s"},
        {"name": "plan.planner_s", "value": round(plan_only, 3), "unit": "s"},
        {"name": "plan.propose_month_by_suggestion_first_s", "value": round(ranked_cold, 3), "unit": "s"},
        {"name": "plan.propose_month_by_suggestion_s", "value": round(ranked_warm, 3), "unit": "s"},
        {"name": "plan.build_database_s", "value": round(built, 1), "unit": "s"},
    ]


if __name__ == "__main__":
    count = int(sys.argv[sys.argv.index("--posts") + 1]) if "--posts" in sys.argv else 100_000
    for row in run("--quick" in sys.argv, count):
        sys.stdout.write(json.dumps(row) + "\n")
