"""`medshare note --person NAME --month YYYY-MM --pdf OUT [--text]` — a person's monthly note."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from medshare_desktop.cli_commands._pdf import add_paper, write_pdf

NAME = "note"


def _month(value: str):  # type: ignore[no-untyped-def]
    from medshare_desktop import cli

    return cli.month_arg(value)


def add_parser(sub) -> None:  # type: ignore[no-untyped-def]
    parser = sub.add_parser(
        NAME,
        help="a person's monthly note: re-shared, scheduled, and what could not be, with the reason in general words",
        description="Write a person's monthly note: their posts re-shared and scheduled in the month, and those "
        "that could not be re-shared with the reason in general words (never quoting the post).",
    )
    parser.add_argument("--person", required=True, metavar="NAME", help="a name or other spelling in People")
    parser.add_argument("--month", type=_month, required=True, metavar="YYYY-MM")
    parser.add_argument("--pdf", type=Path, metavar="OUT.pdf")
    parser.add_argument("--text", action="store_true", help="print the note as plain text on standard output")
    add_paper(parser)


def note_text(note) -> str:  # type: ignore[no-untyped-def]
    """The note as plain text (the same facts as the PDF)."""
    lines = [f"Re-shares of {note.person.name}, {note.first:%B %Y} (limit {note.limit} a month)"]
    sections = (("Re-shared", note.reshared), ("Scheduled", note.scheduled),
                ("Could not be re-shared", note.not_reshared), ("Still waiting", note.waiting))
    for title, items in sections:
        lines.append(f"{title}: {len(items)}")
        for item in items:
            when = f" -> {item.day:%d %b %Y} {item.channel}" if item.day else ""
            why = f": {'; '.join(item.reasons)}" if item.reasons and not item.day else ""
            lines.append(f"  #{item.post_id} {item.posted_on:%d %b %Y} {item.platform}{when}{why}")
    for label, advice in note.advice:
        lines.append(f"Next time ({label}): {advice}")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    from medshare_desktop import cli
    from medshare_desktop.bootstrap import policy_service
    from medshare_desktop.ui.printing.policy_document import note_html, note_title

    if args.pdf is None and not args.text:
        return cli.fail("note needs --pdf OUT.pdf or --text")
    if args.pdf is not None and (problem := cli.missing_folder(args.pdf)):
        return cli.fail(problem)
    services = cli.services_for(args)
    try:
        person = services.people.find_by_name(args.person)
        note = policy_service(services).monthly_note(person.id, args.month.year, args.month.month)
    finally:
        services.close()
    if args.text:
        sys.stdout.write(note_text(note))
    if args.pdf is not None:
        pages = write_pdf(args.pdf, note_html(note), note_title(note), args.paper)
        sys.stdout.write(
            f"{args.pdf}: {len(note.reshared)} re-shared, {len(note.scheduled)} scheduled, "
            f"{len(note.not_reshared)} could not be, {len(note.waiting)} waiting; {pages} page(s)\n"
        )
    return cli.EXIT_OK
