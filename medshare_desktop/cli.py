"""Command-line contract (see ARCHITECTURE.md): argument parsing and the subcommands.

Exit status: 0 on success, 2 on bad input with a one-line message on stderr; 1 when a scan finds risks.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NoReturn, TextIO

from medshare_desktop import __version__
from medshare_desktop.core.errors import MedshareError

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _month(value: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise argparse.ArgumentTypeError(f"'{value}' is not a month in the form YYYY-MM (for example 2026-12)")
    return date(int(match.group(1)), int(match.group(2)), 1)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="medshare", description="MedShare Desktop: review and schedule staff re-shares safely.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--db", metavar="PATH_OR_URL", help="database file or SQLAlchemy URL (default: per-user)")
    parser.add_argument("--demo", action="store_true", help="open a throw-away database filled with demo data")
    parser.add_argument("--verbose", action="store_true", help="log debug details")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    scan = sub.add_parser("scan", help="run the risk engine on text files or standard input")
    scan.add_argument("--json", action="store_true", help="one JSON object per finding per line")
    scan.add_argument("files", nargs="*", metavar="FILE", help="files to scan; '-' or nothing reads standard input")

    imp = sub.add_parser("import", help="import posts from a file, archive or feed")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument(
        "--format",
        default="auto",
        choices=["auto", "csv", "json", "x-archive", "linkedin", "mastodon", "rss"],
    )

    cal = sub.add_parser("calendar", help="export a month of the re-share calendar")
    cal.add_argument("--month", type=_month, required=True, metavar="YYYY-MM")
    cal.add_argument("--pdf", type=Path, metavar="OUT.pdf")
    cal.add_argument("--ics", type=Path, metavar="OUT.ics")

    audit = sub.add_parser("audit", help="audit trail tools")
    audit.add_argument("action", choices=["verify"])
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def fail(message: str) -> int:
    sys.stderr.write(f"medshare: error: {message}\n")
    return EXIT_BAD_INPUT


def run(args: argparse.Namespace) -> int:
    from medshare_desktop.logging_setup import configure_logging

    configure_logging(args.verbose)
    try:
        if args.command == "scan":
            return _scan(args.files, args.json, sys.stdout)
        if args.command == "import":
            return _import(args)
        if args.command == "calendar":
            return _calendar(args)
        if args.command == "audit":
            return _audit(args)
    except MedshareError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted")
    return fail(f"unknown command {args.command!r}")


def _read_inputs(files: Sequence[str]) -> list[tuple[str, str]]:
    if not files or files == ["-"]:
        return [("-", sys.stdin.read())]
    texts = []
    for name in files:
        if name == "-":
            texts.append(("-", sys.stdin.read()))
            continue
        path = Path(name)
        try:
            texts.append((name, path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise MedshareError(f"{name}: no such file") from None
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[: exc.start].count(b"\n") + 1
            raise MedshareError(f"{name}, line {line}: not UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            raise MedshareError(f"{name}: cannot be read ({exc.strerror})") from None
    return texts


def _scan(files: Sequence[str], as_json: bool, out: TextIO) -> int:
    from medshare_desktop.analysis import analyze

    found = 0
    for name, text in _read_inputs(files):
        for f in analyze(text):
            found += 1
            if as_json:
                record = {
                    "file": name,
                    "start": f.start,
                    "end": f.end,
                    "text": f.text,
                    "category": f.category.value,
                    "kind": f.kind,
                    "severity": f.severity.value,
                    "rule": f.rule,
                    "message": f.message,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
            else:
                line = text.count("\n", 0, f.start) + 1
                column = f.start - (text.rfind("\n", 0, f.start) + 1) + 1
                out.write(
                    f"{name}:{line}:{column}: {f.severity.value} {f.category.value}/{f.kind}: "
                    f"{f.message} [{f.text}]\n"
                )
    return EXIT_FINDINGS if found else EXIT_OK


def _services(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    if args.demo:
        from medshare_desktop.demo_data import demo_services

        return demo_services()
    from medshare_desktop.bootstrap import build_services

    return build_services(args.db)


def _import(args: argparse.Namespace) -> int:
    services = _services(args)
    try:
        report = services.imports.import_source(args.file, args.format)
    finally:
        services.close()
    sys.stdout.write(f"{args.file}: {report.summary()}\n")
    for reason in report.skipped[3:]:
        sys.stdout.write(f"  skipped: {reason}\n")
    return EXIT_OK


def _calendar(args: argparse.Namespace) -> int:
    if args.pdf is None and args.ics is None:
        return fail("calendar needs --pdf OUT.pdf or --ics OUT.ics")
    if args.pdf is not None:
        return fail("printing the calendar to PDF from the command line is not available in this version yet")
    from medshare_desktop.exporters.ics import month_to_ics

    services = _services(args)
    try:
        month = services.schedule.month(args.month.year, args.month.month)
    finally:
        services.close()
    try:
        args.ics.write_bytes(month_to_ics(month.entries))
    except OSError as exc:
        return fail(f"{args.ics}: cannot be written ({exc.strerror})")
    sys.stdout.write(f"{args.ics}: {len(month.entries)} re-share(s) in {args.month:%B %Y}\n")
    return EXIT_OK


def _audit(args: argparse.Namespace) -> int:
    services = _services(args)
    try:
        problems = services.audit.verify()
    finally:
        services.close()
    if problems:
        for problem in problems:
            sys.stderr.write(f"medshare: audit: {problem}\n")
        return EXIT_BAD_INPUT
    sys.stdout.write("audit trail intact\n")
    return EXIT_OK
