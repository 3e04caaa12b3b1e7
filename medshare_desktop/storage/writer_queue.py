"""On a team server, desks' writing transactions take turns, as writers of one SQLite file do; reads never wait.

A transaction that writes takes one transaction-scoped advisory lock before its first write (or its
first row lock or other advisory lock), held to its commit or rollback. Without it, two desks could
take the same locks in opposite orders and PostgreSQL would end one of them with "deadlock detected":
the audit trail's append lock against a post's row (a person added, then posts re-linked, at one desk;
a new risk check of one of those posts at another), or a finding's row against its post's (migration
0016's triggers). One queue rules out every such order by construction, whatever a future change
writes, and costs one round trip per writing transaction. A team of 3-10 people writes little and
briefly; a long write (a big import, a move to the server) makes the others' writes wait, as on a file.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError

# PostgreSQL advisory lock key of "writing" (any fixed 64-bit number, the same on every desk); taken before
# AUDIT_APPEND_LOCK and MIGRATION_LOCK, never after them
WRITERS_LOCK = 0x4D45_4453_5752_5431  # "MEDSWRT1"

IDLE_IN_TURN_SECONDS = 120
TURN_WAIT_SECONDS = 60

_READ_HEADS = frozenset({"SELECT", "SHOW", "SET", "RESET", "LISTEN", "UNLISTEN", "BEGIN", "START", "COMMIT", "END",
                         "ROLLBACK", "SAVEPOINT", "RELEASE", "EXPLAIN", "WITH", "VALUES", "FETCH", "CLOSE", "DECLARE"})
_LOCKS = ("FOR UPDATE", "FOR NO KEY UPDATE", "FOR SHARE", "FOR KEY SHARE", "PG_ADVISORY")  # a SELECT that locks
_CHANGES = ("INSERT ", "UPDATE ", "DELETE ")  # a WITH … that changes data
_TAKEN = "medshare_writer_lock"


def writes(statement: str) -> bool:
    """Whether a statement writes or locks: anything but a plain read (a SELECT that locks rows or takes an
    advisory lock, or a WITH that changes data, counts as writing)."""
    words = statement.lstrip().split(None, 1)
    if not words:
        return False
    if words[0].upper().rstrip(";(") not in _READ_HEADS:
        return True
    upper = statement.upper()
    markers = _LOCKS if words[0].upper() == "SELECT" else _LOCKS + _CHANGES
    return any(marker in upper for marker in markers)


def _before_execute(conn: Any, cursor: Any, statement: str, _parameters: Any, _context: Any, _many: bool) -> None:
    dbapi = cursor.connection
    if getattr(dbapi, "autocommit", False):
        return  # outside a transaction there is nothing to hold a lock to (set-up commands, LISTEN)
    info = conn.info
    if int(dbapi.info.transaction_status) == 0:  # IDLE: this statement begins a new transaction
        info[_TAKEN] = False
    if info.get(_TAKEN) or not writes(statement):
        return
    # One round trip (no parameters: the simple protocol runs the four statements in order). A turn that does
    # not come within TURN_WAIT_SECONDS fails as "busy" instead of waiting for ever, as a SQLite writer gives
    # up after its busy timeout; a desk that stalls inside its turn (a frozen process, a laptop gone to
    # sleep) is ended by the server after IDLE_IN_TURN_SECONDS idle, so it cannot hold up the team.
    turn = (f"SET LOCAL lock_timeout = '{TURN_WAIT_SECONDS}s'; SELECT pg_advisory_xact_lock({WRITERS_LOCK}); "
            f"SET LOCAL lock_timeout TO DEFAULT; SET LOCAL idle_in_transaction_session_timeout = '{IDLE_IN_TURN_SECONDS}s'")
    try:
        cursor.execute(turn)
    except dbapi.OperationalError as error:  # raised here, outside SQLAlchemy's wrapping of the statement's own errors
        raise OperationalError(turn, None, error) from error
    info[_TAKEN] = True


def queue_writers(engine: Engine) -> Engine:
    """Make every writing transaction on `engine` (PostgreSQL) wait its turn behind the others'."""
    event.listen(engine, "before_cursor_execute", _before_execute)
    return engine
