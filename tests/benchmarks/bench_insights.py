"""Benchmark: the fairness and insight report (the Insights screen, `medshare report`) on a big database.

    python -m tests.benchmarks.bench_insights [--quick] [--posts N]

Builds the planner benchmark's database (tests/benchmarks/bench_plan.py: 300 people in 12 departments,
N posts, about one in 97 with a finding, 600 re-shares on the calendar), rejects one post in 20 with one of
a few free reasons, then times InsightService.report for this month (people, the calendar over six months,
the findings and rejections of the posts written in them, and the counting), the CSV, and the three-page
PDF. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from tests.benchmarks.bench_plan import _median, build

REASONS = ("Names the patient.", "Off-topic for our channels.", "No consent for the photo.", "Reads as advice.")


def run(quick: bool, posts: int = 100_000) -> dict[str, object]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from medshare_desktop.core.services.insight_service import report_csv
    from medshare_desktop.ui.insights.report_renderer import write_report_pdf

    app = QGuiApplication.instance() or QGuiApplication([])
    runs = 2 if quick else 5
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="medshare-bench-insights-") as folder:
        services = build(folder, posts, today)
        try:
            with services.database.engine.begin() as conn:
                for k, reason in enumerate(REASONS):
                    conn.exec_driver_sql(
                        "UPDATE post SET state = 'rejected', reject_reason = ? WHERE state = 'approved' AND id % 80 = ?",
                        (reason, k),
                    )
            report = services.insights.report(today)
            total = _median(lambda: services.insights.report(today), runs)
            csv_time = _median(lambda: report_csv(report), runs)
            pdf = Path(folder) / "insights.pdf"
            pdf_time = _median(lambda: write_report_pdf(pdf, report, "bench"), runs)
            result = {
                "bench": "insight_report", "posts": posts, "people": len(report.per_person.rows),
                "findings_counted": sum(report.findings.month_total(i) for i in range(len(report.months))),
                "rejections_counted": sum(report.rejections.month_total(i) for i in range(len(report.months))),
                "report_s": round(total, 3), "csv_s": round(csv_time, 4), "pdf_s": round(pdf_time, 3),
                "pdf_kb": round(pdf.stat().st_size / 1024),
            }
        finally:
            services.close()
    del app
    return result


if __name__ == "__main__":
    args = sys.argv[1:]
    count = int(args[args.index("--posts") + 1]) if "--posts" in args else 100_000
    sys.stdout.write(json.dumps(run("--quick" in args, count)) + "\n")
