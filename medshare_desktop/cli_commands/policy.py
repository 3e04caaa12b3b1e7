"""`medshare policy --pdf OUT` — the physicians' policy sheet, from the team's current settings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medshare_desktop.cli_commands._pdf import add_paper, write_pdf

NAME = "policy"


def add_parser(sub) -> None:  # type: ignore[no-untyped-def]
    parser = sub.add_parser(
        NAME,
        help="the physicians' policy sheet as a PDF (cadence, channels, what gets a post refused, consent)",
        description="Write the physicians' policy sheet, generated from the team's current settings: the cadence "
        "rule, channels, each risk category with a made-up example, how consent works and how to withdraw it.",
    )
    parser.add_argument("--pdf", type=Path, required=True, metavar="OUT.pdf")
    parser.add_argument("--contact", metavar="TEXT",
                        help="first save who physicians should contact (a name, an e-mail; '' clears it)")
    add_paper(parser)


def run(args: argparse.Namespace) -> int:
    from medshare_desktop import cli
    from medshare_desktop.bootstrap import policy_service
    from medshare_desktop.ui.printing.policy_document import policy_html, policy_title

    if problem := cli.missing_folder(args.pdf):
        return cli.fail(problem)
    services = cli.services_for(args)
    try:
        if args.contact is not None:
            services.settings.set_team_contact(args.contact)
        sheet = policy_service(services).sheet()
    finally:
        services.close()
    pages = write_pdf(args.pdf, policy_html(sheet), policy_title(), args.paper)
    sys.stdout.write(f"{args.pdf}: policy sheet, monthly limit {sheet.cadence.monthly_limit}, {pages} page(s)\n")
    return cli.EXIT_OK
