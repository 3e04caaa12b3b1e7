"""Benchmark: printing a busy calendar month (150 re-shares) to a one-page PDF with the real renderer.

    python -m tests.benchmarks.bench_calendar [--quick]

`run(quick)` returns [{"name": "calendar.print_busy_month_s", "value": seconds, "unit": "s"}]
(the median of several runs; the month is built in memory so only printing is measured).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from medshare_desktop.core.models import Channel, Person, ScheduledShare
from medshare_desktop.core.ports import CalendarEntry
from medshare_desktop.core.services.schedule_service import MonthSchedule, PersonCount, month_bounds

NAMES = (
    "Dr. Anika Patel",
    "Dr. Ravi Shah",
    "Dr. Grace Mensah",
    "Nora Fitzgerald, RN",
    "Dr. Tomás Ibarra",
    "Samuel Brooks, RN",
    "Dr. James Okafor",
    "Dr. Sofia Alvarez",
    "Leila Haddad",
    "Dr. Marcus Reed",
)
EXCERPT = (
    "Proud of our cardiology team: the new rehab program reached 1,000 graduates this year, and the "
    "flu shot clinic runs every Saturday until March."
)


def busy_month(year: int = 2026, month: int = 12, shares: int = 150) -> MonthSchedule:
    """A month with `shares` re-shares spread over its days, some flagged and some overridden."""
    first, last = month_bounds(year, month)
    days = last.day
    entries = []
    for n in range(shares):
        person = n % len(NAMES)
        share = ScheduledShare(
            n + 1,
            1000 + n,
            date(year, month, 1 + n % days),
            list(Channel)[n % 3],
            "Campaign week" if n % 17 == 0 else "",
            "bench",
        )
        entries.append(CalendarEntry(share, person + 1, NAMES[person], EXCERPT, f"https://example.com/p/{n}", 0))
    entries.sort(key=lambda e: (e.share.day, e.share.id))
    people = [Person(i + 1, name) for i, name in enumerate(NAMES)]
    counts = [PersonCount(p, sum(1 for e in entries if e.person_id == p.id), 15) for p in people]
    flagged = {e.share.id: "name consent expired" for e in entries[::23] if e.share.id is not None}
    return MonthSchedule(year, month, entries, counts, flagged)


def run(quick: bool) -> list[dict[str, object]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from medshare_desktop.ui.printing.export import write_pdf

    app = QGuiApplication.instance() or QGuiApplication(["bench", "-platform", "offscreen"])
    month = busy_month()
    times = []
    with tempfile.TemporaryDirectory(prefix="medshare-bench-cal-") as tmp:
        for n in range(3 if quick else 7):
            start = time.perf_counter()
            write_pdf(Path(tmp) / f"busy-{n}.pdf", month, "bench")
            times.append(time.perf_counter() - start)
    del app
    return [{"name": "calendar.print_busy_month_s", "value": round(statistics.median(times), 4), "unit": "s"}]


if __name__ == "__main__":
    for row in run("--quick" in sys.argv):
        sys.stdout.write(json.dumps(row) + "\n")
