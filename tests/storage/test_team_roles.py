"""Team mode's roles on a real PostgreSQL server: each desk its own login in a group, least privilege, and
only the schema's owner migrates (storage/team_roles.py, resources/sql/, `medshare server`)."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from medshare_desktop import cli
from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.errors import DatabaseError, PermissionDeniedError
from medshare_desktop.core.models import PostState
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.paths import resource_path
from medshare_desktop.storage.database import make_engine
from medshare_desktop.storage.migrate import current_revision, head_revision, upgrade_to_head
from medshare_desktop.storage.team_roles import GROUP_ROLES
from tests.conftest import make_imported

pytestmark = pytest.mark.postgresql

PASSWORD = "desk-test-only"


@dataclass
class Team:
    server: object
    database: str
    owner: str

    @property
    def admin_url(self) -> str:
        return self.server.url_for(self.database)  # type: ignore[attr-defined]

    def url(self, login: str) -> str:
        return self.server.url_for(self.database, user=login, password=PASSWORD)  # type: ignore[attr-defined]

    def sql(self, statement: str, login: str | None = None) -> list[tuple]:
        parsed = make_url(self.admin_url)
        with psycopg.connect(host=parsed.host, port=parsed.port, dbname=self.database, autocommit=True,
                             user=login or parsed.username, password=PASSWORD if login else parsed.password) as conn:
            cursor = conn.execute(statement)
            return cursor.fetchall() if cursor.description else []


def _unique(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"  # roles belong to the whole cluster: one name per test


def _medshare(*argv: str, stdin: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> int:
    if stdin is not None and monkeypatch is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return cli.run(cli.parse_args(list(argv)))


def _add_desk(team: Team, monkeypatch: pytest.MonkeyPatch, *groups: str) -> str:
    login = _unique("desk")
    flags = [arg for group in groups for arg in ("--group", group)]
    assert _medshare("--db", team.admin_url, "server", "add-desk", login, *flags, "--password-stdin",
                     stdin=PASSWORD + "\n", monkeypatch=monkeypatch) == 0
    return login


@pytest.fixture
def owned(pg_server) -> Iterator[Team]:  # noqa: ANN001
    """As IT does it: a LOGIN owner role, and an empty database it owns (no schema yet, no setup-roles)."""
    name = pg_server.new_database(migrated=False)
    made = Team(pg_server, name, _unique("owner"))
    made.sql(f"CREATE ROLE {made.owner} LOGIN PASSWORD '{PASSWORD}'")
    made.sql(f"ALTER DATABASE {name} OWNER TO {made.owner}")
    yield made
    pg_server.drop(name)


def _upgrade(url: str, revision: str = "head") -> str:
    """Migrate the database at `url` to `revision` through an engine of that login's own; the revision it is
    at afterwards."""
    engine = make_engine(url)
    try:
        upgrade_to_head(engine, url, revision=revision)
        return current_revision(engine)
    finally:
        engine.dispose()


@pytest.fixture
def team(pg_server, monkeypatch: pytest.MonkeyPatch) -> Iterator[Team]:  # noqa: ANN001
    """A database at the app's schema (migrated by a superuser, as the test template is) after setup-roles."""
    name = pg_server.new_database(migrated=True)
    made = Team(pg_server, name, _unique("owner"))
    assert _medshare("--db", made.admin_url, "server", "setup-roles", "--owner", made.owner) == 0
    yield made
    pg_server.drop(name)


def _reviewed_post(team: Team):  # noqa: ANN202
    """A post in review, written by the superuser (the admin's own login)."""
    services = build_services(team.admin_url, actor="it-admin", analyzer_factory=lambda: None)
    try:
        services.posts.store_imported(make_imported(1), [], "x")
        post = services.posts.get(services.posts.query(PostFilter())[0].id)
        return services.posts.start_review(post)
    finally:
        services.close()


def test_setup_roles_makes_the_owner_own_everything_and_gives_each_group_only_its_part(team: Team) -> None:
    tables = [t for (t,) in team.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    owners = {t: o for t, o in team.sql("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'")}
    assert set(owners.values()) == {team.owner}
    functions = team.sql(  # the app's trigger functions; an extension's (unaccent) stay the extension's
        "SELECT proname, pg_get_userbyid(proowner) FROM pg_proc p WHERE pronamespace = 'public'::regnamespace "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')")
    assert functions and {o for _f, o in functions} == {team.owner}

    def may(group: str, privilege: str, table: str) -> bool:
        return bool(team.sql(f"SELECT has_table_privilege('{GROUP_ROLES[group]}', '{table}', '{privilege}')")[0][0])

    assert all(may(g, "SELECT", t) for g in GROUP_ROLES for t in tables)
    assert not any(may("viewer", p, t) for p in ("INSERT", "UPDATE", "DELETE", "TRUNCATE") for t in tables)
    assert may("editor", "INSERT", "post") and may("editor", "INSERT", "scheduled_share")
    assert not may("editor", "INSERT", "consent_record") and not may("editor", "INSERT", "person")
    assert may("consent", "INSERT", "consent_record") and not may("consent", "UPDATE", "post")
    assert may("admin", "INSERT", "person") and not may("admin", "INSERT", "consent_record")
    # every table of the schema is given its place in the grants (a new table must be listed there too)
    listed = set(re.findall(r"\('(\w+)',", resource_path("sql", "team_grants.sql").read_text(encoding="utf-8")))
    assert set(tables) - {"alembic_version"} <= listed
    # and running it again changes nothing
    before = team.sql("SELECT relname, relacl::text FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                      "ORDER BY relname")
    assert _medshare("--db", team.admin_url, "server", "setup-roles", "--owner", team.owner) == 0
    assert team.sql("SELECT relname, relacl::text FROM pg_class WHERE relnamespace = 'public'::regnamespace "
                    "ORDER BY relname") == before


def test_a_viewer_desk_reads_everything_but_approving_fails_with_a_sentence_naming_the_login(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    post = _reviewed_post(team)
    viewer = _add_desk(team, monkeypatch, "viewer")
    services = build_services(team.url(viewer), analyzer_factory=lambda: None)
    try:
        assert [p.id for p in services.posts.query(PostFilter())] == [post.id]
        with pytest.raises(PermissionDeniedError) as refused:
            services.posts.approve(services.posts.get(post.id))
        message = str(refused.value)
        assert viewer in message and "not allowed to change posts" in message and "nothing was saved" in message
        assert "to medshare_editor (medshare server add-desk" in message and "medshare_admin" not in message
        assert services.posts.get(post.id).state is PostState.IN_REVIEW
    finally:
        services.close()
    assert team.sql(f"SELECT count(*) FROM audit_event WHERE actor = '{viewer}'") == [(0,)]


def test_an_editor_desks_audit_events_carry_its_server_login_as_actor(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    post = _reviewed_post(team)
    editor = _add_desk(team, monkeypatch, "editor")
    services = build_services(team.url(editor), analyzer_factory=lambda: None)  # no actor given: the server's
    try:
        assert services.audit.actor == editor
        approved = services.posts.approve(services.posts.get(post.id))
        assert approved.state is PostState.APPROVED
        assert services.audit.history("post", post.id)[-1].actor == editor
    finally:
        services.close()
    assert team.sql("SELECT DISTINCT actor FROM audit_event WHERE action = 'post.approved'") == [(editor,)]


@pytest.mark.parametrize("table", ["audit_event", "approval_evidence"])
def test_no_group_may_update_delete_or_truncate_the_audit_trail_or_approval_evidence(
    team: Team, monkeypatch: pytest.MonkeyPatch, table: str
) -> None:
    post = _reviewed_post(team)
    editor = _add_desk(team, monkeypatch, "editor")
    services = build_services(team.url(editor), analyzer_factory=lambda: None)
    try:
        services.posts.approve(services.posts.get(post.id))  # an approval: an audit event and its evidence
    finally:
        services.close()
    everyone = _add_desk(team, monkeypatch, "viewer", "editor", "consent", "admin")
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}", f"TRUNCATE {table}"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            team.sql(statement, login=everyone)
    for group in GROUP_ROLES.values():
        granted = team.sql(f"SELECT has_table_privilege('{group}', '{table}', 'UPDATE, DELETE, TRUNCATE')")
        assert granted == [(False,)], group
    assert team.sql(f"SELECT count(*) > 0 FROM {table}") == [(True,)]


def test_a_desk_never_migrates_a_schema_behind_the_app_and_names_the_owner_who_can(
    owned: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    team, owner = owned, owned.owner
    _upgrade(team.url(owner), revision="0014")  # the owner at an older version
    assert _medshare("--db", team.admin_url, "server", "setup-roles", "--owner", owner) == 0
    editor = _add_desk(team, monkeypatch, "editor")
    schema = team.sql("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")

    with pytest.raises(DatabaseError) as refused:
        build_services(team.url(editor), analyzer_factory=lambda: None)
    message = str(refused.value)
    assert "needs upgrading" in message and f"your login {editor} may not" in message
    assert f"schema's owner, {owner} (medshare --db postgresql+psycopg://{owner}@" in message
    assert PASSWORD not in message and "***" not in message
    assert team.sql("SELECT version_num FROM alembic_version") == [("0014",)]
    assert team.sql("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public' ORDER BY 1") == schema
    # the command line says the same and changes nothing either
    assert _medshare("--db", team.url(editor), "server", "upgrade") == cli.EXIT_BAD_INPUT

    # the owner can: the schema reaches head, every table still the owner's, the desks' grants intact
    assert _medshare("--db", team.url(owner), "server", "upgrade") == 0
    assert team.sql("SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert {o for _t, o in team.sql("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'")} \
        == {owner}
    services = build_services(team.url(editor), analyzer_factory=lambda: None)
    try:
        services.posts.store_imported(make_imported(2), [], "x")
        assert len(services.posts.query(PostFilter())) == 2
    finally:
        services.close()


def test_a_superuser_upgrading_for_the_owner_leaves_new_tables_owned_by_the_owner(owned: Team) -> None:
    _upgrade(owned.url(owned.owner), revision="0001")
    assert _upgrade(owned.admin_url) == head_revision()  # a superuser, not the owner
    assert {o for _t, o in owned.sql("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'")} \
        == {owned.owner}


def test_a_database_made_by_a_newer_version_of_the_app_is_refused_and_left_alone(pg_url: str) -> None:
    admin = make_url(pg_url)
    with psycopg.connect(host=admin.host, port=admin.port, user=admin.username, password=admin.password,
                         dbname=admin.database, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    with pytest.raises(DatabaseError, match="made by a newer version of MedShare Desktop.*0999.*Install the newer version"):
        build_services(pg_url, actor="tester", analyzer_factory=lambda: None)
    engine = make_engine(pg_url)
    try:
        assert current_revision(engine) == "0999"
    finally:
        engine.dispose()


def test_an_editor_schedules_under_the_monthly_limit_but_cannot_change_people_or_the_teams_settings(
    team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataclasses import replace
    from datetime import timedelta

    from medshare_desktop.core.models import Person
    from tests.core.test_consent_service import TODAY, approved_post, grant

    admin = build_services(team.admin_url, actor="it-admin", analyzer_factory=lambda: None)
    try:
        ana = admin.people.add_person(Person(None, "Dr Ana Ruiz"))
        post_id = approved_post(admin, ana)
        grant(admin, ana.id)
        policy = admin.settings.cadence_policy()
    finally:
        admin.close()
    editor = _add_desk(team, monkeypatch, "editor")
    services = build_services(team.url(editor), analyzer_factory=lambda: None)
    try:
        share = services.schedule.schedule(post_id, TODAY + timedelta(days=3))  # locks Dr Ruiz's row to count
        assert share.id is not None
        with pytest.raises(PermissionDeniedError, match=f"login {editor} is not allowed to change people.*"
                           "medshare_admin"):
            services.people.update_person(replace(services.people.get(ana.id), monthly_limit=9))
        with pytest.raises(PermissionDeniedError, match="not allowed to change the team's settings"):
            services.settings.set_cadence_policy(replace(policy, monthly_limit=9))
        assert services.people.get(ana.id).monthly_limit is None
        assert services.settings.cadence_policy() == policy
    finally:
        services.close()


def test_a_consent_desk_keeps_the_register_but_cannot_approve_posts(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    from medshare_desktop.core.models import Person
    from tests.core.test_consent_service import grant

    post = _reviewed_post(team)
    admin = build_services(team.admin_url, actor="it-admin", analyzer_factory=lambda: None)
    try:
        ana = admin.people.add_person(Person(None, "Dr Ana Ruiz"))
    finally:
        admin.close()
    desk = _add_desk(team, monkeypatch, "consent")
    services = build_services(team.url(desk), analyzer_factory=lambda: None)
    try:
        record = grant(services, ana.id)
        assert record.recorded_by == desk
        with pytest.raises(PermissionDeniedError, match=f"{desk} is not allowed to change posts.*medshare_editor"):
            services.posts.approve(services.posts.get(post.id))
    finally:
        services.close()


def test_setup_roles_can_print_its_sql_for_review_without_running_it(
    pg_server, pg_url: str, capsys: pytest.CaptureFixture[str]  # noqa: ANN001
) -> None:
    assert _medshare("--db", pg_url, "server", "setup-roles", "--owner", "it_owner", "--print") == 0
    script = capsys.readouterr().out
    assert 'ALTER DEFAULT PRIVILEGES FOR ROLE "it_owner"' in script and 'TO "medshare_viewer"' in script
    assert not re.search(r"""^[^-]*:["']\w+["']""", script, re.M)  # every placeholder filled (comments aside)
    database = make_url(pg_url).database
    assert f'REVOKE ALL ON DATABASE "{database}" FROM PUBLIC' in script
    assert Team(pg_server, database, "").sql("SELECT count(*) FROM pg_roles WHERE rolname = 'it_owner'") == [(0,)]


def test_a_desk_cannot_record_audit_events_under_another_name(team: Team, monkeypatch: pytest.MonkeyPatch) -> None:
    post = _reviewed_post(team)
    editor = _add_desk(team, monkeypatch, "editor")
    services = build_services(team.url(editor), actor="dr-somebody-else", analyzer_factory=lambda: None)
    try:
        with pytest.raises(PermissionDeniedError, match=f"login that makes it \\({editor}\\).*'dr-somebody-else'"):
            services.posts.approve(services.posts.get(post.id))
        assert services.posts.get(post.id).state is PostState.IN_REVIEW
    finally:
        services.close()
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="must name"):
        team.sql("INSERT INTO audit_event (id, at, actor, action, entity, before, after, prev_hash, hash, key_id) "
                 "VALUES (999, now(), 'someone', 'x', 'y', '', '', '', '', '')", login=editor)
    assert team.sql("SELECT count(*) FROM audit_event WHERE actor <> 'it-admin'") == [(0,)]


def test_the_command_line_says_the_same_in_one_line_and_exits_2(
    team: Team, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    viewer = _add_desk(team, monkeypatch, "viewer")
    export = tmp_path / "posts.csv"
    export.write_text("author,text,posted_at,url\nDr. Anika Patel,Proud of our flu clinic,2026-10-01T09:00:00Z,"
                      "https://example.org/p/1\n", encoding="utf-8")
    capsys.readouterr()
    assert _medshare("--db", team.url(viewer), "import", str(export)) == cli.EXIT_BAD_INPUT
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and f"login {viewer} is not allowed to change posts" in error
    assert team.sql("SELECT count(*) FROM post") == [(0,)]
    # a login name the server commands will not make, and a new desk without a password
    assert _medshare("--db", team.admin_url, "server", "add-desk", "Amy Chen", "--group", "editor",
                     "--password-stdin", stdin="x\n", monkeypatch=monkeypatch) == cli.EXIT_BAD_INPUT
    assert "not a role name MedShare uses" in capsys.readouterr().err
    assert _medshare("--db", team.admin_url, "server", "add-desk", _unique("desk"), "--group", "editor",
                     "--password-stdin", stdin="\n", monkeypatch=monkeypatch) == cli.EXIT_BAD_INPUT
    assert "password" in capsys.readouterr().err
