"""Team mode on PostgreSQL: the group roles, their grants, desks' login roles, and who may migrate.

The SQL is data: resources/sql/team_roles.sql (group roles, the owner, default privileges) and
resources/sql/team_grants.sql (table by table), templates in psql's notation where :"name" is a quoted
role name and :'name' the same name as a string literal. `medshare server setup-roles` runs both;
migrations that add tables run the grants again (`apply_grants_if_set_up`).

A desk logs in as its own role, a member of one or more groups; its audit actor is the server's
`session_user`. Only the owner of the schema (the owner of `alembic_version`) migrates: any other desk
refuses a database that is not at the app's schema and names the role that can upgrade it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError

from medshare_desktop.core.abilities import EVERYTHING, Abilities
from medshare_desktop.core.errors import DatabaseError, PermissionDeniedError, ValidationError

log = logging.getLogger(__name__)

GROUPS = ("viewer", "editor", "consent", "admin")
GROUP_ROLES = {group: f"medshare_{group}" for group in GROUPS}
DEFAULT_OWNER = "medshare_owner"
ROLE_NAME = re.compile(r"[a-z_][a-z0-9_$]{0,62}")
INSUFFICIENT_PRIVILEGE = "42501"

# what a table holds, in the words of the message a desk sees when its role may not change it
TABLE_WORDS = {
    "post": "posts (review, approval, edits, linking to people)",
    "finding": "the review of risk findings",
    "photo_tag": "who is tagged in photos",
    "missed_risk": "missed-risk marks",
    "scheduled_share": "the calendar",
    "approval_evidence": "approval evidence",
    "consent_record": "the consent register",
    "evidence_file": "signed consent forms",
    "evidence_content": "signed consent forms",
    "person": "people",
    "source_account": "people's accounts",
    "setting": "the team's settings",
    "audit_event": "the audit trail",
}


# the group whose work a table is, named first when several may change it (admins may re-link posts, but
# reviewing them is the editors' work)
TABLE_GROUP = {
    "post": "editor", "finding": "editor", "photo_tag": "editor", "missed_risk": "editor",
    "scheduled_share": "editor", "approval_evidence": "editor", "consent_record": "consent",
    "evidence_file": "consent", "evidence_content": "consent", "person": "admin", "source_account": "admin",
    "setting": "admin",
}


# what each work area of the app writes, table by table, with the privilege the write needs: a login may do an
# area's work when it may do every one of these (and append to the audit trail). The group to ask for is the
# one whose work the first table is (TABLE_GROUP). Read by login_abilities() at start-up.
AREA_WRITES = {
    "posts": (("post", "UPDATE"), ("finding", "INSERT"), ("approval_evidence", "INSERT")),
    "schedule": (("scheduled_share", "INSERT"), ("scheduled_share", "DELETE")),
    "consent": (("consent_record", "INSERT"), ("consent_record", "UPDATE"), ("evidence_file", "INSERT")),
    "people": (("person", "INSERT"), ("person", "UPDATE"), ("source_account", "INSERT")),
    "settings": (("setting", "INSERT"), ("setting", "UPDATE")),
}
EVERY_AREA_WRITES = (("audit_event", "INSERT"),)  # every change is recorded


def _template(name: str) -> str:
    from medshare_desktop.paths import resource_path

    return resource_path("sql", name).read_text(encoding="utf-8")


def check_role_name(name: str) -> str:
    if not ROLE_NAME.fullmatch(name):
        raise ValidationError(
            f"{name!r} is not a role name MedShare uses: lower-case letters, digits and _ only, "
            "starting with a letter or _, at most 63 characters."
        )
    return name


def quote_identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def render(template: str, names: Mapping[str, str]) -> str:
    """Fill a template's :"name" (identifier) and :'name' (string) placeholders outside comments; an unknown
    one is an error."""

    def fill(match: re.Match[str]) -> str:
        key = match.group(2)
        if key not in names:
            raise KeyError(f"no value for :{match.group(1)}{key}{match.group(1)} in the SQL template")
        return quote_identifier(names[key]) if match.group(1) == '"' else quote_literal(names[key])

    lines = []
    for line in template.splitlines(keepends=True):  # comments ("-- ...") are left as written
        code, dashes, comment = line.partition("--")
        lines.append(re.sub(r""":(["'])(\w+)\1""", fill, code) + dashes + comment)
    return "".join(lines)


def role_names(owner: str = DEFAULT_OWNER) -> dict[str, str]:
    return {"owner": check_role_name(owner), **GROUP_ROLES}


def setup_sql(database: str, owner: str = DEFAULT_OWNER) -> str:
    """The whole script `medshare server setup-roles` runs on `database`: roles, ownership, grants."""
    names = {**role_names(owner), "database": database}
    as_owner = f"\n-- the rest as the owner, so that what it creates is the owner's\nSET LOCAL ROLE {quote_identifier(owner)};\n"
    return render(_template("team_roles.sql"), names) + as_owner + render(_template("team_grants.sql"), names)


def grants_sql() -> str:
    return render(_template("team_grants.sql"), GROUP_ROLES)


def run_script(conn: Connection, script: str) -> None:
    """Several statements at once, in the connection's transaction: given to the driver with no parameters, so
    it sends them as they are (format()'s %I and %s stay PostgreSQL's)."""
    driver: Any = conn.connection.driver_connection
    driver.execute(script)


@contextmanager
def admin_engine(url: str) -> Iterator[Engine]:
    """An engine for the server commands; the server's refusals and connection problems become sentences."""
    from medshare_desktop.storage.database import make_engine
    from medshare_desktop.storage.file_check import server_error

    engine = make_engine(url)
    try:
        yield engine
    except DBAPIError as exc:
        if str(getattr(exc.orig, "sqlstate", "") or "").startswith("42"):  # access rule violations, 42501 among them
            first = str(exc.orig).strip().splitlines()[0]
            raise DatabaseError(
                f"The server {server_database(url)} refused: {first}. Run this as a superuser "
                "(or the role the command names)."
            ) from exc
        raise server_error(url, exc) from exc
    finally:
        engine.dispose()


def status(engine: Engine) -> dict[str, Any]:
    """This login, the MedShare groups it is in, and the schema's owner."""
    with engine.connect() as conn:
        login = str(conn.scalar(text("SELECT session_user")))
        existing = [g for g in GROUP_ROLES.values() if g not in missing_roles(conn, GROUP_ROLES.values())]
        member = text("SELECT pg_has_role(session_user, :g, 'MEMBER')")
        groups = [g for g in existing if conn.scalar(member, {"g": g})]
        return {"login": login, "groups": groups, "owner": schema_owner(conn)}


def setup_roles(engine: Engine, owner: str = DEFAULT_OWNER) -> None:
    with engine.begin() as conn:
        database = str(conn.scalar(text("SELECT current_database()")))
        run_script(conn, setup_sql(database, owner))


def missing_roles(conn: Connection, names: Iterable[str]) -> list[str]:
    wanted = list(names)
    found = set(conn.scalars(text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"), {"names": wanted}))
    return [name for name in wanted if name not in found]


def apply_grants_if_set_up(conn: Connection) -> bool:
    """Re-apply the groups' grants (a migration that added tables calls this); a no-op on SQLite and on a
    server where `setup-roles` has not been run (no group roles). True when grants were applied."""
    if conn.dialect.name != "postgresql" or missing_roles(conn, GROUP_ROLES.values()):
        return False
    run_script(conn, grants_sql())
    return True


# --- desks --------------------------------------------------------------------------------------
def add_desk(engine: Engine, name: str, groups: Iterable[str], password: str | None) -> bool:
    """Create login role `name` in the given groups, or add an existing one to them; True when created.

    The password is sent already hashed (SCRAM-SHA-256, by libpq), so it never appears in the server's logs.
    """
    check_role_name(name)
    roles = [_group_role(group) for group in groups]
    if not roles:
        raise ValidationError("Say which group the desk joins: --group viewer, editor, consent or admin.")
    with engine.begin() as conn:
        if missing := missing_roles(conn, roles):
            raise DatabaseError(
                f"The group role(s) {', '.join(missing)} do not exist on this server yet: run "
                "'medshare server setup-roles' first (as a superuser)."
            )
        created = bool(missing_roles(conn, [name]))
        verifier = _password_verifier(conn, name, password) if password is not None else None
        if created:
            if verifier is None:
                raise ValidationError(f"A new desk needs a password: none was given for {name}.")
            conn.exec_driver_sql(f"CREATE ROLE {quote_identifier(name)} LOGIN PASSWORD {quote_literal(verifier)}")
        elif verifier is not None:
            conn.exec_driver_sql(f"ALTER ROLE {quote_identifier(name)} PASSWORD {quote_literal(verifier)}")
        for role in roles:
            conn.exec_driver_sql(f"GRANT {quote_identifier(role)} TO {quote_identifier(name)}")
    return created


def _group_role(group: str) -> str:
    key = group.removeprefix("medshare_")
    if key not in GROUP_ROLES:
        raise ValidationError(f"{group!r} is not a MedShare group: use viewer, editor, consent or admin.")
    return GROUP_ROLES[key]


def _password_verifier(conn: Connection, name: str, password: str) -> str:
    if not password:
        raise ValidationError(f"The password for {name} is empty.")
    driver: Any = conn.connection.driver_connection
    encrypted: bytes = driver.pgconn.encrypt_password(password.encode("utf-8"), name.encode("utf-8"), b"scram-sha-256")
    return encrypted.decode("ascii")


# --- what this login may change -----------------------------------------------------------------
# A table privilege, and on a table with row-level security a policy that lets this login write any row (the
# editors' policies on person and setting only let them lock a person or keep the feeds' cursors)
_MAY_WRITE = text("""
SELECT has_table_privilege(c.oid, :privilege) AND (
       NOT c.relrowsecurity
    OR (pg_has_role(c.relowner, 'USAGE') AND NOT c.relforcerowsecurity)
    OR (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user)
    OR EXISTS (
        SELECT 1 FROM pg_policies p
        WHERE p.schemaname = n.nspname AND p.tablename = c.relname AND p.permissive = 'PERMISSIVE'
          AND p.cmd IN ('ALL', :privilege)
          AND coalesce(CASE WHEN :privilege = 'DELETE' THEN p.qual ELSE p.with_check END, p.qual, 'true') = 'true'
          AND ('public' = ANY(p.roles) OR EXISTS (
              SELECT 1 FROM pg_roles r WHERE r.rolname = ANY(p.roles) AND pg_has_role(r.oid, 'USAGE')))))
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = to_regclass(:name)
""")


def login_abilities(engine: Engine) -> Abilities:
    """What this login may change, area by area (core.abilities), asked of the server's own grants and
    policies; everything on SQLite. A failed read gives everything too: the server's refusal stays the guard."""
    if engine.dialect.name != "postgresql":
        return EVERYTHING
    try:
        with engine.connect() as conn:
            login = str(conn.scalar(text("SELECT session_user")))
            member = text("SELECT pg_has_role(session_user, :g, 'MEMBER')")
            existing = [g for g in GROUP_ROLES.values() if g not in missing_roles(conn, GROUP_ROLES.values())]
            groups = tuple(g for g in existing if conn.scalar(member, {"g": g}))
            known: dict[tuple[str, str], bool] = {}

            def may(table: str, privilege: str) -> bool:
                if (table, privilege) not in known:
                    known[table, privilege] = bool(conn.scalar(
                        _MAY_WRITE, {"name": f"public.{table}", "privilege": privilege}))
                return known[table, privilege]

            areas = {area: all(may(t, p) for t, p in (*writes, *EVERY_AREA_WRITES))
                     for area, writes in AREA_WRITES.items()}
    except DBAPIError:
        log.warning("could not read what this login may change; every action stays enabled", exc_info=True)
        return EVERYTHING
    needs = {area: GROUP_ROLES[TABLE_GROUP[writes[0][0]]] for area, writes in AREA_WRITES.items()}
    return Abilities(**areas, login=login, groups=groups, needs=needs)


# --- who may migrate ----------------------------------------------------------------------------
def session_user(engine: Engine) -> str | None:
    """The server's name for this login (the audit actor on a server); None on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as conn:
        return str(conn.scalar(text("SELECT session_user")))


def schema_owner(conn: Connection) -> str | None:
    """The role owning `alembic_version`: the schema's owner, the one role that migrates it."""
    return conn.scalar(text(
        "SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'alembic_version'"
    ))


def may_act_as(conn: Connection, role: str) -> bool:
    return bool(conn.scalar(text("SELECT pg_has_role(current_user, :role, 'USAGE')"), {"role": role}))


def refuse_unless_owner(engine: Engine, current: str | None, head: str) -> None:
    """On a server, a desk that is not (and cannot act as) the schema's owner never migrates: it refuses
    a database behind the app's schema and names who can upgrade it. An empty database is left to the
    migration (the first desk of a new server creates the schema, if its role may)."""
    if engine.dialect.name != "postgresql" or current is None or current == head:
        return
    with engine.connect() as conn:
        owner = schema_owner(conn)
        login = str(conn.scalar(text("SELECT session_user")))
        if owner is None or may_act_as(conn, owner):
            return
    where = server_database(engine.url)
    parsed = make_url(engine.url)
    owner_url = URL.create(parsed.drivername, username=owner, host=parsed.host, port=parsed.port,
                           database=parsed.database, query=parsed.query).render_as_string()
    raise DatabaseError(
        f"The database {where} needs upgrading to this version of MedShare Desktop (its schema is at "
        f"{current}, the app's is {head}), and your login {login} may not do it. Ask the person who runs the "
        f"team server to upgrade it as the schema's owner, {owner} (medshare --db {owner_url} server upgrade)."
    )


def prepare_migration(conn: Connection) -> None:
    """Migrate as the schema's owner: a superuser (or member) running the migration creates tables the
    owner then owns, so the owner alone can migrate again next time. Nothing on SQLite or a new database."""
    if conn.dialect.name != "postgresql":
        return
    owner = schema_owner(conn)
    if owner and owner != conn.scalar(text("SELECT current_user")) and may_act_as(conn, owner):
        conn.exec_driver_sql(f"SET LOCAL ROLE {quote_identifier(owner)}")


def server_database(url: str | URL) -> str:
    """"medshare on db.hospital.org": how messages name a server database."""
    parsed = make_url(url)
    return f"{parsed.database} on {parsed.host or 'localhost'}"


# --- a write the role may not do ----------------------------------------------------------------
def permission_error(error: BaseException, engine: Engine, statement: str = "") -> PermissionDeniedError | None:
    """The sentence for PostgreSQL's "permission denied" (SQLSTATE 42501), or None for any other error.

    `statement` (the SQL refused) says which privilege was missing, so the advice names the group that has it.
    """
    orig = getattr(error, "orig", None)
    if getattr(orig, "sqlstate", None) != INSUFFICIENT_PRIVILEGE:
        return None
    message = str(getattr(getattr(orig, "diag", None), "message_primary", "") or orig)
    found = re.search(r"(?:table|relation|sequence) \"?([\w$]+)\"?", message)
    table = found.group(1) if found else ""
    login = make_url(engine.url).username or "this login"
    if forged := re.search(r"must name (\S+), not (.+)$", message):
        log.warning("audit event refused: its actor is not the server login")
        return PermissionDeniedError(
            f"The team server records every change under the database login that makes it ({forged.group(1)}); "
            f"this desk tried to record one under the name {forged.group(2)!r}, so nothing was saved. Start "
            "MedShare Desktop without another user name given for the audit trail.",
            login=login,
            table=table,
        )
    what = TABLE_WORDS.get(table, f"the table {table}" if table else "this part of the database")
    groups = _groups_that_may_change(engine, table, _privilege(statement)) if table else []
    main = GROUP_ROLES.get(TABLE_GROUP.get(table, ""))
    if main in groups:
        groups = [main]
    if table == "audit_event" or not groups:
        advice = "Ask the person who runs the team server if your desk should be allowed to."
    else:
        names = " or ".join(groups)
        advice = (f"Ask the person who runs the team server to add {login} to {names} "
                  f"(medshare server add-desk {login} --group {groups[0].removeprefix('medshare_')}).")
    log.warning("permission denied on the server (table %s)", table or "?")
    return PermissionDeniedError(
        f"Your database login {login} is not allowed to change {what} on this server; nothing was saved. {advice}",
        login=login,
        table=table,
    )


def _privilege(statement: str) -> list[str]:
    """The privilege a refused statement needed: its verb (a locking SELECT needs UPDATE)."""
    words = statement.upper().split()
    verb = words[0] if words else ""
    if verb in ("INSERT", "UPDATE", "DELETE"):
        return [verb]
    if verb == "SELECT" and "FOR" in words and "UPDATE" in words:
        return ["UPDATE"]
    return ["INSERT", "UPDATE", "DELETE"]


def _groups_that_may_change(engine: Engine, table: str, privileges: list[str]) -> list[str]:
    """The MedShare groups granted one of `privileges` on `table`, read from the table's ACL (readable by all)."""
    try:
        with engine.connect() as conn:
            rows = conn.scalars(text(
                "SELECT DISTINCT pg_get_userbyid(a.grantee) FROM pg_class c, aclexplode(c.relacl) a "
                "WHERE c.oid = to_regclass(:name) AND a.privilege_type = ANY(:privileges) "
                "AND a.grantee <> c.relowner"
            ), {"name": f"public.{table}", "privileges": privileges})
            return sorted(r for r in rows if r in GROUP_ROLES.values())
    except Exception:  # noqa: BLE001 - only the advice is lost; the sentence still names the problem
        log.debug("could not read the grants of %s", table, exc_info=True)
        return []
