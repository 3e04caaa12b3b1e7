"""`medshare report --month YYYY-MM --pdf OUT [--csv OUT]` — the fairness and insight charts as a PDF, the
numbers behind them as CSV (the Insights screen's Export PDF and Export CSV)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medshare_desktop.cli_commands._pdf import add_paper, offscreen_qt, page_size

NAME = "report"


def add_parser(sub) -> None:  # type: ignore[no-untyped-def]
    from medshare_desktop import cli

    parser = sub.add_parser(
        NAME,
        help="the fairness and insight charts for a month as a PDF (and the numbers as CSV)",
        description="Write the fairness and insight report for a month: re-shares per person and department over "
        "the six months ending with it, the share of active staff re-shared this quarter, findings by category "
        "per month and reasons for rejection in general words; every chart in one PDF, the numbers as CSV.",
    )
    parser.add_argument("--month", type=cli.month_arg, required=True, metavar="YYYY-MM")
    parser.add_argument("--pdf", type=Path, required=True, metavar="OUT.pdf")
    parser.add_argument("--csv", type=Path, metavar="OUT.csv", help="also write the numbers, one count a line")
    add_paper(parser)


def run(args: argparse.Namespace) -> int:
    from medshare_desktop import cli
    from medshare_desktop.core.services.insight_service import report_csv

    for output in (args.pdf, args.csv):
        if output is not None and (problem := cli.missing_folder(output)):
            return cli.fail(problem)
    services = cli.services_for(args)
    try:
        report = services.insights.report(args.month)
        actor = services.audit.actor
    finally:
        services.close()
    if args.csv is not None:
        try:
            args.csv.write_text(report_csv(report), encoding="utf-8")
        except OSError as exc:
            return cli.fail(f"{args.csv}: cannot be written ({exc.strerror})")
        sys.stdout.write(f"{args.csv}: the numbers for {report.month:%B %Y}\n")
    with offscreen_qt():
        from medshare_desktop.ui.insights.report_renderer import write_report_pdf

        pages = write_report_pdf(args.pdf, report, actor, page_size=page_size(args.paper))
    q = report.quarter
    sys.stdout.write(f"{args.pdf}: fairness and insight for {report.month:%B %Y}, {pages} page(s); {q.reshared} of "
                     f"{q.active} active staff re-shared in {q.label}\n")
    return cli.EXIT_OK
