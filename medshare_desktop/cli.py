"""Command-line contract (see ARCHITECTURE.md): argument parsing and the subcommands.

Exit status: 0 on success, 2 on bad input with a one-line message on stderr; 1 when a scan finds risks.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

from medshare_desktop import __version__
from medshare_desktop.core.errors import DatabaseFileError, MedshareError

if TYPE_CHECKING:
    from medshare_desktop.core.models import Finding

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

    scan = sub.add_parser(
        "scan",
        help="run the risk engine on text files or standard input",
        description="Run the risk engine on text files or standard input. With a database (--db, MEDSHARE_DB or "
        "--demo) people named in the text are also checked against its people and consent records, as in the "
        "app; without one, consent is NOT checked: a colleague or patient named without consent is not reported.",
    )
    scan.add_argument("--json", action="store_true", help="one JSON object per finding per line")
    scan.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=argparse.SUPPRESS,
        help="check names against this database's people and consent records (read only; default: MEDSHARE_DB, "
        "else consent is not checked)",
    )
    scan.add_argument("files", nargs="*", metavar="FILE", help="files to scan; '-' or nothing reads standard input")

    imp = sub.add_parser("import", help="import posts from a file, archive or feed")
    imp.add_argument("file", metavar="FILE")
    imp.add_argument(
        "--format",
        default="auto",
        choices=["auto", "csv", "json", "x-archive", "linkedin", "mastodon", "rss"],
    )
    imp.add_argument(
        "--person",
        metavar="NAME",
        help="whose posts these are (a name or other spelling in People): every new post is linked to them; "
        "without it posts are linked by the account or name the file gives",
    )

    cal = sub.add_parser("calendar", help="export a month of the re-share calendar")
    cal.add_argument("--month", type=_month, required=True, metavar="YYYY-MM")
    cal.add_argument("--pdf", type=Path, metavar="OUT.pdf")
    cal.add_argument("--ics", type=Path, metavar="OUT.ics")
    cal.add_argument(
        "--paper", choices=["a4", "letter"], help="PDF page size (default: Letter in the US, Canada, Mexico; else A4)"
    )

    audit = sub.add_parser(
        "audit", help="audit trail tools: 'verify' checks every event's seal, the witnessed head and the guards"
    )
    audit.add_argument("action", choices=["verify"])

    backup = sub.add_parser("backup", help="back the database up (a consistent copy, even while the app is open)")
    backup.add_argument("--to", type=Path, metavar="PATH", help="write the copy here (default: the backups folder)")
    restore = sub.add_parser("restore", help="replace the database with a backup (the current one is backed up first)")
    restore.add_argument("path", type=Path, metavar="PATH")
    sub.add_parser("encrypt", help="encrypt the database at rest with SQLCipher (key kept in the OS keyring)")
    info = sub.add_parser("info", help="version, where the data lives, the keyring in use, encryption support")
    info.add_argument("--json", action="store_true", help="one JSON object")
    from medshare_desktop import cli_commands

    for module in cli_commands.modules():
        module.add_parser(sub)
    for command in sub.choices.values():  # `medshare import FILE --db X` as well as `medshare --db X import FILE`
        if not any("--db" in action.option_strings for action in command._actions):
            command.add_argument("--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
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
            return _scan_command(args)
        if args.command == "import":
            return _import(args)
        if args.command == "calendar":
            return _calendar(args)
        if args.command == "audit":
            return _audit(args)
        if args.command == "info":
            return _info(args)
        if args.command in ("backup", "restore", "encrypt"):
            return {"backup": _backup, "restore": _restore, "encrypt": _encrypt}[args.command](args)
        from medshare_desktop import cli_commands

        for module in cli_commands.modules():
            if module.NAME == args.command:
                return int(module.run(args))
    except DatabaseFileError as exc:
        return fail(_with_restore_command(exc, args))
    except MedshareError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return fail("interrupted")
    return fail(f"unknown command {args.command!r}")


def _with_restore_command(exc: DatabaseFileError, args: argparse.Namespace) -> str:
    """The problem, and the command that restores the newest usable backup when there is one."""
    if not exc.restorable or exc.backup is None:
        return str(exc)
    import shlex

    database = f" --db {shlex.quote(args.db)}" if args.db else ""
    return f"{exc} To restore it: medshare{database} restore {shlex.quote(exc.backup)}"


def _missing_folder(path: Path) -> str | None:
    """A sentence when the folder an output file should go in does not exist (nothing is created for it)."""
    folder = path.expanduser().parent
    if folder.is_dir():
        return None
    return f"{path}: the folder {folder} does not exist; create it first or choose another place"


def _info(args: argparse.Namespace) -> int:
    from medshare_desktop import diagnostics

    info = diagnostics.collect(args.db)
    sys.stdout.write(json.dumps(info) + "\n" if args.json else diagnostics.as_text(info))
    return EXIT_OK


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


# Characters that json.dumps(ensure_ascii=False) leaves raw but that str.splitlines() and JavaScript treat as
# line breaks: escaped, so that one finding is always exactly one line whatever the reader.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _json_line(record: dict[str, object]) -> str:
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKS) + "\n"


def _scan_command(args: argparse.Namespace) -> int:
    """The engine alone; or, given a database, the engine with what the app gives it: the people and their
    consent (so a person named without consent is a finding) and the team's extra terms."""
    import os

    from medshare_desktop.paths import DB_ENV_VAR, database_url

    database = args.db or os.environ.get(DB_ENV_VAR)
    if not database and not args.demo:
        return _scan(args.files, args.json, sys.stdout)
    if args.demo:
        services = _services(args)
    else:
        url = database_url(database)
        if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
            raise MedshareError(
                f"{url.removeprefix('sqlite:///')}: no database there; scan reads the people and consent records "
                "of an existing database (leave --db and MEDSHARE_DB out to scan without them)"
            )
        from medshare_desktop.bootstrap import build_services

        services = build_services(url, read_only=True)
    try:
        context = services.risk.context()
        log.info("scan: names checked against %d known people", len(context.known_people))
        return _scan(args.files, args.json, sys.stdout, lambda text: services.risk.analyze_text(text, context))
    finally:
        services.close()


def _scan(
    files: Sequence[str], as_json: bool, out: TextIO, analyze: Callable[[str], Sequence[Finding]] | None = None
) -> int:
    if analyze is None:
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
                out.write(_json_line(record))
            else:
                line = text.count("\n", 0, f.start) + 1
                column = f.start - (text.rfind("\n", 0, f.start) + 1) + 1
                out.write(
                    f"{name}:{line}:{column}: {f.severity.value} {f.category.value}/{f.kind}: "
                    f"{f.message} [{f.text}]\n"
                )
    return EXIT_FINDINGS if found else EXIT_OK


def services_for(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The services for the database the arguments name (--db, MEDSHARE_DB, --demo); the caller closes them."""
    return _services(args)


# Public names for the subcommand modules in medshare_desktop/cli_commands/.
month_arg = _month
json_line = _json_line
missing_folder = _missing_folder


def _services(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    if args.demo:
        from medshare_desktop.demo_data import demo_services

        return demo_services(url=args.db)  # --demo --db fills that (empty) database
    from medshare_desktop.bootstrap import build_services

    return build_services(args.db)


def _import(args: argparse.Namespace) -> int:
    services = _services(args)
    try:
        person_id = services.people.find_by_name(args.person).id if args.person is not None else None
        report = services.imports.import_source(args.file, args.format, person_id=person_id)
    finally:
        services.close()
    sys.stdout.write(f"{args.file}: {report.summary()}\n")
    for reason in report.skipped[3:]:
        sys.stdout.write(f"  skipped: {reason}\n")
    if report.unassigned_ids:
        named = ", ".join(report.unassigned_sources) or "no author named"
        sys.stdout.write(
            f"  {len(report.unassigned_ids)} post(s) not linked to a person (the file names: {named}); they cannot "
            "be scheduled until one is assigned: import again with --person NAME, add the account in People, "
            "or assign a person in the inbox\n"
        )
    return EXIT_OK


def _calendar(args: argparse.Namespace) -> int:
    if args.pdf is None and args.ics is None:
        return fail("calendar needs --pdf OUT.pdf or --ics OUT.ics")
    for output in (args.pdf, args.ics):
        if output is not None and (problem := _missing_folder(output)):
            return fail(problem)
    services = _services(args)
    try:
        month = services.schedule.month(args.month.year, args.month.month)
        actor = services.schedule.actor
        ics = services.schedule.export_ics(month) if args.ics is not None else b""
    finally:
        services.close()
    if args.ics is not None:
        try:
            args.ics.write_bytes(ics)
        except OSError as exc:
            return fail(f"{args.ics}: cannot be written ({exc.strerror})")
        sys.stdout.write(f"{args.ics}: {len(month.entries)} re-share(s) in {args.month:%B %Y}\n")
    if args.pdf is not None:
        from medshare_desktop.cli_commands._pdf import offscreen_qt, page_size

        with offscreen_qt():
            from medshare_desktop.ui.printing.export import write_pdf

            write_pdf(args.pdf, month, actor, page_size=page_size(args.paper))
        sys.stdout.write(f"{args.pdf}: {len(month.entries)} re-share(s) in {args.month:%B %Y}, 1 page\n")
    return EXIT_OK


def _audit(args: argparse.Namespace) -> int:
    """One line per problem on stderr naming the event(s), exit 2; notes and the verdict on stdout."""
    services = _services(args)
    try:
        report = services.audit.check()
    finally:
        services.close()
    for note in report.notes:
        sys.stdout.write(f"medshare: audit: note: {note}\n")
    for problem in report.problems:
        sys.stderr.write(f"medshare: audit: {problem}\n")
    if report.problems:
        sys.stdout.write(f"audit trail NOT intact: {len(report.problems)} problem(s) in {report.events} events\n")
        return EXIT_BAD_INPUT
    sys.stdout.write(f"audit trail intact: {report.events} events, every seal checked\n")
    return EXIT_OK


def _database_file(args: argparse.Namespace) -> Path:
    from medshare_desktop.paths import database_url
    from medshare_desktop.storage.database import sqlite_file

    if args.demo:
        raise MedshareError("the demo database is thrown away at exit: there is nothing to back up or restore")
    url = database_url(args.db)
    db_file = sqlite_file(url)
    if db_file is None and not url.startswith("sqlite"):  # a team server: its own backups and encryption
        from urllib.parse import urlsplit

        from medshare_desktop.core.services.backup_service import SERVER_BACKUPS
        from medshare_desktop.core.services.encryption_service import ON_SERVER

        host = urlsplit(url).hostname or "the server"
        raise MedshareError(f"{host}: {ON_SERVER if args.command == 'encrypt' else SERVER_BACKUPS}")
    if db_file is None:
        raise MedshareError("backups, restores and encryption need a database file, not an in-memory or server one")
    return Path(db_file)


def _backup(args: argparse.Namespace) -> int:
    from medshare_desktop.paths import backup_dir
    from medshare_desktop.storage.backup import backup_to, create_backup, inspect_file
    from medshare_desktop.storage.file_check import check_database_file

    db_file = _database_file(args)
    if args.to and not args.to.is_dir() and (problem := _missing_folder(args.to)):
        return fail(problem)
    check_database_file(f"sqlite:///{db_file}", backup_dir())  # says what a damaged or foreign file is
    if not db_file.is_file():
        return fail(f"{db_file}: no such database")
    target = backup_to(db_file, args.to) if args.to else create_backup(db_file, backup_dir(), "manual")
    summary = inspect_file(target, db_file).summary()
    sys.stdout.write(f"{target}: backup of {db_file} ({target.stat().st_size:,} bytes): {summary}\n")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    """Also over a damaged or foreign file (it is kept beside, renamed), as the start-up error suggests."""
    from medshare_desktop.recovery import restore_database
    from medshare_desktop.storage.instance_guard import acquire_instance

    db_file = _database_file(args)
    if not args.path.is_file():
        return fail(f"{args.path}: no such backup file")
    if db_file.is_dir() or not db_file.parent.is_dir():
        from medshare_desktop.storage.file_check import check_database_file

        check_database_file(f"sqlite:///{db_file}", search_backups=False)  # a folder, or a missing one: says which
    with acquire_instance(db_file) as guard:
        if guard.read_only:
            return fail(f"{guard.notice} Close it before restoring.")
        report = restore_database(args.path, db_file)
    sys.stdout.write(report.summary() + "\n")
    return EXIT_OK


def _encrypt(args: argparse.Namespace) -> int:
    """Through the same service as Settings, so the audit trail records it either way."""
    from medshare_desktop.storage.instance_guard import acquire_instance

    db_file = _database_file(args)
    if not db_file.is_file():
        return fail(f"{db_file}: no such database")
    with acquire_instance(db_file) as guard:
        if guard.read_only:
            return fail(f"{guard.notice} Close it before encrypting.")
        services = _services(args)
        try:
            summary = services.encryption.encrypt()
        finally:
            services.close()
    sys.stdout.write(f"{db_file}: {summary} Without that keyring entry the database cannot be opened.\n")
    return EXIT_OK
