"""On a team server, writing transactions take turns (storage/writer_queue.py), so two desks taking the same
locks in opposite orders never meet in a deadlock: the case CI met once, a person added and posts re-linked
at one desk (audit lock, then the posts' rows) while another stored a new risk check of one of those posts
(the post's row, then the audit lock)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from medshare_desktop.storage.audit_repository import AUDIT_APPEND_LOCK
from medshare_desktop.storage.database import make_engine
from medshare_desktop.storage.writer_queue import queue_writers, writes


@pytest.mark.parametrize("statement", [
    "INSERT INTO post (text) VALUES ('x')", "  update post set text = 'x'", "DELETE FROM finding",
    "SELECT id FROM person WHERE id = 1 FOR UPDATE", "SELECT pg_advisory_xact_lock(1)",
    "WITH gone AS (DELETE FROM finding RETURNING post_id) SELECT * FROM gone", "TRUNCATE audit_event",
    "CREATE TABLE t (id int)", "ALTER TABLE post ADD COLUMN x int", "COPY post FROM STDIN",
])
def test_what_writes_or_locks_counts_as_writing(statement: str) -> None:
    assert writes(statement)


@pytest.mark.parametrize("statement", [
    "SELECT id, text FROM post WHERE text LIKE '%update%' ORDER BY id", "select 1", "SHOW server_version",
    "SET TIME ZONE 'UTC'", "LISTEN medshare_changes", "", "WITH recent AS (SELECT 1) SELECT * FROM recent",
])
def test_plain_reads_do_not_wait_their_turn(statement: str) -> None:
    assert not writes(statement)


def _opposite_orders(url: str, queued: bool) -> list[str]:
    """Two transactions: one locks post 1's row, then the audit lock; the other the audit lock, then the row."""
    engine = make_engine(url)
    if not queued:  # the same engine without the queue (what the app did before)
        from sqlalchemy import event

        from medshare_desktop.storage import writer_queue

        event.remove(engine, "before_cursor_execute", writer_queue._before_execute)
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.models import Person
    from tests.conftest import make_imported

    setup = build_services(url, actor="setup", analyzer_factory=None)
    try:
        person = setup.people.add_person(Person(None, "Dr. Queue"))
        setup.posts.store_imported(make_imported(1), [], "test")
    finally:
        setup.close()
    post_id = 1
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def row_then_audit() -> None:
        try:
            with engine.begin() as conn:
                barrier.wait(10)
                conn.execute(text("UPDATE post SET risk_summary = 'checked' WHERE id = :id"), {"id": post_id})
                time.sleep(0.4)
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_APPEND_LOCK})
            outcomes.append("done")
        except Exception as error:  # noqa: BLE001 - the outcome is what the test compares
            outcomes.append(type(getattr(error, "orig", error)).__name__)

    def audit_then_row() -> None:
        try:
            with engine.begin() as conn:
                barrier.wait(10)
                time.sleep(0.1)
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": AUDIT_APPEND_LOCK})
                time.sleep(0.4)
                conn.execute(text("UPDATE post SET person_id = :p WHERE id = :id"), {"p": person.id, "id": post_id})
            outcomes.append("done")
        except Exception as error:  # noqa: BLE001
            outcomes.append(type(getattr(error, "orig", error)).__name__)

    threads = [threading.Thread(target=row_then_audit), threading.Thread(target=audit_then_row)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    engine.dispose()
    return sorted(outcomes)


@pytest.mark.postgresql
def test_two_desks_taking_locks_in_opposite_orders_both_finish(pg_url: str) -> None:
    assert _opposite_orders(pg_url, queued=True) == ["done", "done"]


@pytest.mark.postgresql
def test_without_the_queue_the_same_two_transactions_deadlock(pg_url: str) -> None:
    """The test above can fail: the same transactions on an engine without the queue end in a deadlock."""
    assert "DeadlockDetected" in _opposite_orders(pg_url, queued=False)


def test_the_queue_is_for_servers_only() -> None:
    from sqlalchemy import create_engine, event

    from medshare_desktop.storage import writer_queue

    engine = make_engine("sqlite://")
    assert not event.contains(engine, "before_cursor_execute", writer_queue._before_execute)
    assert queue_writers(create_engine("sqlite://")) is not None


@pytest.mark.postgresql
def test_a_writing_transaction_left_idle_is_ended_by_the_server_and_frees_the_queue(pg_url: str) -> None:
    """A desk that stalls inside its turn does not hold up the team for ever (the limit, shortened here)."""
    engine = make_engine(pg_url)
    try:
        with engine.connect() as stalled:
            stalled.execute(text("UPDATE setting SET value = value WHERE false"))  # takes the turn
            stalled.execute(text("SET LOCAL idle_in_transaction_session_timeout = '1s'"))
            time.sleep(2.5)  # idle inside the turn: the server ends this session
            with engine.begin() as other:  # another desk's write gets its turn (instead of waiting for ever)
                other.execute(text("SET LOCAL lock_timeout = '10s'"))
                other.execute(text("UPDATE setting SET value = value WHERE false"))
            with pytest.raises(Exception):  # noqa: B017 - the stalled desk's next statement fails, its work undone
                stalled.execute(text("SELECT 1"))
    finally:
        engine.dispose()


@pytest.mark.postgresql
def test_a_turn_that_does_not_come_is_a_busy_message_not_a_hang(pg_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A desk whose write waits behind another desk's long turn gives up with the readable 'busy' sentence (the
    wait shortened here from 60 s), as a SQLite writer gives up after its busy timeout; nothing it did is kept."""
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.errors import DatabaseError, ValidationError
    from medshare_desktop.core.models import Person
    from medshare_desktop.storage import writer_queue

    monkeypatch.setattr(writer_queue, "TURN_WAIT_SECONDS", 1)
    desk = build_services(pg_url, actor="desk-b", analyzer_factory=None)
    holder = make_engine(pg_url)
    try:
        with holder.connect() as long_turn:
            long_turn.execute(text("UPDATE setting SET value = value WHERE false"))  # another desk's turn, held
            started = time.monotonic()
            with pytest.raises(DatabaseError, match="busy"):
                desk.people.add_person(Person(None, "Dr. Waiting"))
            assert time.monotonic() - started < 30
            long_turn.rollback()
        with pytest.raises(ValidationError, match="No person named"):  # nothing of the refused write was kept
            desk.people.find_by_name("Dr. Waiting")
    finally:
        holder.dispose()
        desk.close()
