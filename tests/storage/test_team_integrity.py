"""Rules that span desks, held by the database on both engines (issue 17, migration 0011): the audit trail
locked while appending and append-only (TRUNCATE too on a server), one current version per consent record,
and a lost race told as ConcurrentEditError naming who won. The races themselves, with real processes, are
in tests/reliability/test_team_races.py.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError

from medshare_desktop.core.errors import ConcurrentEditError
from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope, Person
from medshare_desktop.storage import unit_of_work_factory
from medshare_desktop.storage.database import make_engine
from medshare_desktop.storage.migrate import upgrade_to_head


def _consent(services) -> ConsentRecord:
    person = services.people.add_person(Person(None, "Dr. Priya Patel"))
    return services.consent.add_record(
        ConsentRecord(None, person.id, frozenset(ConsentScope), frozenset(Channel), date(2026, 1, 1), date(2028, 12, 31))
    )


def test_a_rolled_back_audit_event_leaves_no_gap_that_verify_would_call_a_deletion(services) -> None:
    services.people.add_person(Person(None, "Dr. Before"))
    uow = unit_of_work_factory(services.database)
    with pytest.raises(RuntimeError), uow() as tx:
        services.audit.record(tx, "person.added", "person", None, after={"name": "never"})
        raise RuntimeError("the change fails after its event was written")
    services.people.add_person(Person(None, "Dr. After"))
    with services.database.engine.connect() as conn:
        ids = list(conn.execute(text("SELECT id FROM audit_event ORDER BY id")).scalars())
    assert ids == list(range(1, len(ids) + 1))  # the event's position was not used up by the rollback
    assert services.audit.verify() == []


def test_the_audit_trail_refuses_changes_whoever_sends_them(services) -> None:
    services.people.add_person(Person(None, "Dr. Someone"))  # one audit event at least
    statements = ["UPDATE audit_event SET actor = 'mallory'", "DELETE FROM audit_event"]
    if services.database.engine.dialect.name == "postgresql":
        statements.append("TRUNCATE audit_event")  # SQLite has no TRUNCATE (a DELETE without WHERE is refused above)
    for sql in statements:
        with pytest.raises(DBAPIError, match="the audit trail is append-only"), services.database.engine.begin() as conn:
            conn.execute(text(sql))
    assert services.audit.verify() == []


@pytest.fixture
def server_services(pg_url: str):
    from medshare_desktop.bootstrap import build_services

    built = build_services(pg_url, actor="tester")
    yield built
    built.close()


@pytest.mark.postgresql
@pytest.mark.parametrize("table", ["audit_event", "approval_evidence"])
def test_a_server_refuses_to_truncate_the_append_only_tables(server_services, table) -> None:
    # SQLite has no TRUNCATE; on a server it is refused even when the table is empty (a statement trigger)
    with pytest.raises(DBAPIError, match="append-only"), server_services.database.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {table}"))


@pytest.mark.postgresql
@pytest.mark.parametrize("how", ["DISABLE TRIGGER audit_event_no_truncate", "DISABLE TRIGGER ALL"])
def test_a_server_trigger_disabled_behind_the_apps_back_is_reported(server_services, how) -> None:
    # PostgreSQL's triggers can be disabled as well as dropped (SQLite's only dropped: test_review_services.py)
    services = server_services
    services.people.add_person(Person(None, "Dr. Someone"))
    with services.database.engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE audit_event {how}"))
    problems = services.audit.verify()
    assert any("audit_event_no_truncate is missing" in p for p in problems), problems
    assert ("audit_event_no_update is missing" in " ".join(problems)) is (how.endswith("ALL"))


def test_two_current_versions_replacing_one_record_are_refused_by_the_database(services) -> None:
    record = _consent(services)
    services.consent.edit_record(record.id, replace(record, id=None, notes="first edit"))
    with pytest.raises(IntegrityError), services.database.engine.begin() as conn:  # a second successor, by hand
        conn.execute(
            text("INSERT INTO consent_record (person_id, scopes, channels, granted_on, revoke_reason, evidence_path,"
                 " evidence_sha256, notes, recorded_by, recorded_at, supersedes_id, superseded) VALUES (:p, 'name',"
                 " 'public_social', :d, '', '', '', 'fork', 'mallory', :at, :old, :no)"),
            {"p": record.person_id, "d": date(2026, 1, 1), "at": datetime.now(UTC), "old": record.id, "no": False},
        )
    assert len(services.consent.records(record.person_id)) == 1


def test_editing_a_consent_record_someone_replaced_meanwhile_says_who_and_to_reload(services) -> None:
    record = _consent(services)
    services.consent.edit_record(record.id, replace(record, id=None, notes="edited at the other desk"))
    with pytest.raises(ConcurrentEditError, match=r"^This consent record was changed by tester at \d\d:\d\d on .* — reload"):
        services.consent.edit_record(record.id, replace(record, id=None, notes="my stale edit"))
    [current] = services.consent.records(record.person_id)
    assert current.notes == "edited at the other desk"


def test_a_consent_fork_left_by_an_older_version_is_settled_by_the_upgrade(db_engine, tmp_path, request) -> None:
    if db_engine == "postgresql":
        server = request.getfixturevalue("pg_server")
        url = server.url_for(server.new_database(migrated=False))
    else:
        url = f"sqlite:///{tmp_path}/old.db"
    engine = make_engine(url)
    try:
        upgrade_to_head(engine, url, revision="0010")
        insert = ("INSERT INTO consent_record (id, person_id, scopes, channels, granted_on, revoke_reason,"
                  " evidence_path, evidence_sha256, notes, recorded_by, recorded_at, supersedes_id, superseded)"
                  " VALUES (:id, 1, 'name', 'public_social', :d, '', '', '', :notes, 'desk', :at, :old, :gone)")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO person (id, name, role, department, email, active, aliases)"
                              " VALUES (1, 'Dr. A', 'physician', '', '', :yes, '')"), {"yes": True})
            rows = [(1, None, True, "first"), (2, 1, False, "desk 1"), (3, 1, False, "desk 2")]  # two current
            for id_, old, gone, notes in rows:
                conn.execute(text(insert), {"id": id_, "d": date(2026, 1, 1), "at": datetime.now(UTC), "old": old,
                                            "gone": gone, "notes": notes})
        upgrade_to_head(engine, url)
        with engine.connect() as conn:
            current = conn.execute(text("SELECT notes FROM consent_record WHERE NOT superseded")).scalars().all()
            assert current == ["desk 2"]  # the newest stays current; the other edit stays in the history
            assert conn.execute(text("SELECT count(*) FROM consent_record")).scalar() == 3
    finally:
        engine.dispose()
