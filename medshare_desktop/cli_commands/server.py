"""`medshare server …` — set up and look after a team's PostgreSQL server (for hospital IT; docs/team_mode.md).

    medshare --db postgresql+psycopg://postgres@HOST/medshare server setup-roles [--owner NAME] [--print]
    medshare --db postgresql+psycopg://postgres@HOST/medshare server add-desk NAME --group editor [--password-stdin]
    medshare --db postgresql+psycopg://medshare_owner@HOST/medshare server upgrade
    medshare --db postgresql+psycopg://NAME@HOST/medshare server status

setup-roles and add-desk need a superuser (or a role with CREATEROLE that may act as the owner);
upgrade needs the schema's owner. Desks themselves never migrate a team's database.
"""

from __future__ import annotations

import argparse
import getpass
import sys

NAME = "server"


def add_parser(sub) -> None:  # type: ignore[no-untyped-def]
    parser = sub.add_parser(
        NAME,
        help="team server administration: group roles, desks' logins, upgrading the schema (PostgreSQL only)",
        description="Look after a team's PostgreSQL server (see docs/team_mode.md). Give the server with --db "
        "postgresql+psycopg://USER@HOST/DATABASE or MEDSHARE_DB.",
    )
    actions = parser.add_subparsers(dest="server_action", required=True, metavar="ACTION")
    setup = actions.add_parser(
        "setup-roles",
        help="create the group roles (viewer, editor, consent, admin) and the owner, and grant what each may do",
        description="Create the group roles medshare_viewer, medshare_editor, medshare_consent and medshare_admin "
        "and the schema's owner role if they do not exist, make the owner own every table, grant each group "
        "what it may do (resources/sql/team_grants.sql) and set default privileges for tables made later. "
        "Safe to run again. Run it as a superuser.",
    )
    setup.add_argument("--owner", default="medshare_owner", metavar="ROLE",
                       help="the role that owns the schema and alone runs migrations (default: medshare_owner)")
    setup.add_argument("--print", dest="print_only", action="store_true",
                       help="print the SQL instead of running it (to read it, or to run it with psql)")
    desk = actions.add_parser(
        "add-desk",
        help="create a person's login role in a group (or add an existing login to another group)",
        description="Create a LOGIN role for one person, member of the given group(s). The password is asked "
        "twice, or read from standard input with --password-stdin; it is sent to the server already hashed.",
    )
    desk.add_argument("name", metavar="NAME", help="the login's name, e.g. amy_chen (lower-case letters, digits, _)")
    desk.add_argument("--group", action="append", required=True, choices=["viewer", "editor", "consent", "admin"],
                      help="a group to join; repeat for several (e.g. --group editor --group consent)")
    desk.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    actions.add_parser("upgrade", help="as the schema's owner: upgrade the team's database to this version's schema")
    actions.add_parser("status", help="this login, its groups, the schema's owner and revision")


def run(args: argparse.Namespace) -> int:
    from medshare_desktop import cli

    url = _server_url(args)
    if url is None:
        return cli.fail("server commands need a PostgreSQL server: --db postgresql+psycopg://USER@HOST/DATABASE "
                        "(or MEDSHARE_DB)")
    action = args.server_action
    if action == "setup-roles":
        return _setup_roles(url, args.owner, args.print_only)
    if action == "add-desk":
        return _add_desk(url, args.name, args.group, args.password_stdin)
    if action == "upgrade":
        return _upgrade(url)
    return _status(url)


def _server_url(args: argparse.Namespace) -> str | None:
    from medshare_desktop.paths import database_url

    url = database_url(args.db)
    return url if url.startswith("postgresql") else None


def _setup_roles(url: str, owner: str, print_only: bool) -> int:
    from medshare_desktop import cli
    from medshare_desktop.storage import team_roles

    team_roles.check_role_name(owner)
    if print_only:
        from sqlalchemy.engine import make_url

        sys.stdout.write(team_roles.setup_sql(make_url(url).database or "medshare", owner))
        return cli.EXIT_OK
    with team_roles.admin_engine(url) as engine:
        team_roles.setup_roles(engine, owner)
    groups = ", ".join(team_roles.GROUP_ROLES.values())
    sys.stdout.write(f"{team_roles.server_database(url)}: group roles {groups} and owner {owner} set up; "
                     "next: medshare server add-desk NAME --group editor, one per person\n")
    return cli.EXIT_OK


def _add_desk(url: str, name: str, groups: list[str], password_stdin: bool) -> int:
    from medshare_desktop import cli
    from medshare_desktop.storage import team_roles

    team_roles.check_role_name(name)
    password = _read_password(name, password_stdin)
    with team_roles.admin_engine(url) as engine:
        created = team_roles.add_desk(engine, name, groups, password)
    joined = ", ".join(team_roles.GROUP_ROLES[g] for g in groups)
    done = "login created" if created else "existing login" + (", password changed" if password else "")
    sys.stdout.write(f"{name}: {done}, member of {joined}\n")
    return cli.EXIT_OK


def _read_password(name: str, from_stdin: bool) -> str | None:
    from medshare_desktop.core.errors import ValidationError

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        return None  # no one to ask: an existing login keeps its password, a new one is refused
    first = getpass.getpass(f"Password for {name}: ")
    if getpass.getpass("Again: ") != first:
        raise ValidationError(f"The two passwords for {name} differ; nothing was changed.")
    return first


def _upgrade(url: str) -> int:
    from medshare_desktop import cli
    from medshare_desktop.storage import open_database, server_login, team_roles
    from medshare_desktop.storage.migrate import current_revision

    database = open_database(url)  # migrates when this login owns the schema; otherwise says who does
    try:
        revision = current_revision(database.engine)
        login = server_login(database.engine)
    finally:
        database.dispose()
    sys.stdout.write(f"{team_roles.server_database(url)}: schema at {revision}, the newest this version knows "
                     f"(login {login})\n")
    return cli.EXIT_OK


def _status(url: str) -> int:
    from medshare_desktop import cli
    from medshare_desktop.storage import team_roles
    from medshare_desktop.storage.migrate import current_revision, head_revision

    with team_roles.admin_engine(url) as engine:
        status = team_roles.status(engine)
        revision = current_revision(engine)
    head = head_revision()
    state = "up to date" if revision == head else f"this version of the app needs {head}"
    sys.stdout.write(
        f"login: {status['login']}\ngroups: {', '.join(status['groups']) or 'none'}\n"
        f"schema owner: {status['owner'] or 'no schema yet'}\nschema revision: {revision or 'none'} ({state})\n"
    )
    return cli.EXIT_OK
