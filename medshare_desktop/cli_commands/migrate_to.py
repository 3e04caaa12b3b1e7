"""`medshare migrate-to URL`: move this desk's database file to an empty team server.

One transaction on the server: the tables are created, every row copied with its id, the signed
consent forms copied from the evidence folder into the database, and each table's row count and
SHA-256 checked against the file, as is the audit trail; only then is it committed. A server database
that already holds data is refused. The file is only read and stays exactly as it was (go back to it
by leaving out --db). Progress lines go to stderr, the report to stdout; exit 0, or 2 with one line.
The password: in the URL, `--password-stdin`, PGPASSWORD, or the keyring entry Settings → Database saves.
"""

from __future__ import annotations

import argparse
import sys

NAME = "migrate-to"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cmd = sub.add_parser(
        NAME,
        help="move this database (and its signed consent forms) to an empty team server, in one transaction",
        description="Copy the database file named by --db / MEDSHARE_DB (default: this computer's) to an EMPTY "
        "PostgreSQL database in one transaction: tables, every row with its id, the evidence files, then row "
        "counts, checksums and the audit trail checked on the server before committing. The file is left "
        "exactly as it was. Afterwards point every desk at the server (Settings → Database or --db URL).",
    )
    cmd.add_argument("url", metavar="URL", help="the server database, e.g. postgresql+psycopg://owner@db.example/medshare")
    cmd.add_argument("--password-stdin", action="store_true", help="read the server password from the first line "
                     "of standard input (else: the URL, PGPASSWORD or the keyring)")


def run(args: argparse.Namespace) -> int:
    from medshare_desktop.cli import EXIT_OK, fail

    url, password = args.url, ""
    if "://" not in url:
        return fail(f"{url}: not a server address; give one like postgresql+psycopg://user@host/database")
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
        if not password:
            return fail("--password-stdin: standard input held no password")

    def progress(line: str) -> None:
        sys.stderr.write(f"medshare: migrate-to: {line}\n")
        sys.stderr.flush()

    if args.demo:  # the throw-away demo database, moved (handy to try a server out)
        from medshare_desktop.cli import services_for

        services = services_for(args)
        try:
            assert services.server_move is not None
            report = services.server_move.move(url, progress=progress, password=password)
        finally:
            services.close()
    else:
        from medshare_desktop.bootstrap import server_move_service

        report = server_move_service(args.db).move(url, progress=progress, password=password)
    sys.stdout.write("\n".join(report.lines()) + "\n")
    return EXIT_OK
