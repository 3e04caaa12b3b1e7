"""Engine and session factory: SQLite with WAL, foreign keys and a busy timeout (SQLCipher when encrypted)."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from medshare_desktop.storage import encryption

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
# a team server that went away is given up on within seconds, not after the system's TCP timeouts (minutes):
# a connection attempt waits 10 s; an open connection breaks when what it sent is not acknowledged within
# 30 s (tcp_user_timeout, where the system has it) or when idle and silent for about a minute (keepalives)
SERVER_CONNECT_ARGS = {"connect_timeout": 10, "tcp_user_timeout": 30_000, "keepalives": 1, "keepalives_idle": 30,
                       "keepalives_interval": 10, "keepalives_count": 3}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def _query_only(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA query_only=ON")


def _explicit_transactions(dbapi_connection: Any, _record: Any) -> None:
    """Driver autocommit + our own BEGIN: DDL then commits or rolls back with everything else."""
    dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # SQLite's table-rebuild procedure; checked before commit
    dbapi_connection.isolation_level = None


def _begin_immediate(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, read_only: bool = False, explicit_transactions: bool = False) -> Engine:
    """An engine; an encrypted SQLite file is opened with SQLCipher and its key from the keyring.

    `read_only` refuses writes (PRAGMA query_only); `explicit_transactions` makes every transaction
    a real `BEGIN IMMEDIATE ... COMMIT` including DDL (used for migrations).
    """
    # hide_parameters: a database error's message never carries the values (post text, consent
    # details) that were being written, so it cannot reach stderr, a dialog's details or the log
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":  # team server: the password from the keyring at connect time
        from medshare_desktop.storage.server_connection import engine_url, use_keyring_password

        server_url = engine_url(url)
        given = {k: v for k, v in SERVER_CONNECT_ARGS.items() if k not in server_url.query}  # the URL's own win
        server = create_engine(server_url, pool_pre_ping=True, hide_parameters=True, connect_args=given)
        use_keyring_password(server, server_url)
        from medshare_desktop.storage.writer_queue import queue_writers

        return queue_writers(server)  # writing transactions take turns: no lock-order deadlocks between desks
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    connect_args = {"timeout": BUSY_TIMEOUT_MS / 1000}
    db_file = sqlite_file(url)
    if db_file and encryption.is_encrypted(db_file):
        key = encryption.required_key(db_file)
        cipher_url = URL.create("sqlite+pysqlcipher", password=encryption.pragma_key(key), database=db_file)
        engine = create_engine(cipher_url, connect_args=connect_args, poolclass=QueuePool, hide_parameters=True)
    else:
        engine = create_engine(url, connect_args=connect_args, hide_parameters=True)
    event.listen(engine, "connect", _sqlite_pragmas)
    if read_only:
        event.listen(engine, "connect", _query_only)
    if explicit_transactions:
        event.listen(engine, "connect", _explicit_transactions)
        event.listen(engine, "begin", _begin_immediate)
    return engine


def sqlite_file(url: str) -> str | None:
    """The file path of an on-disk SQLite URL, or None (memory database or another server)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return database


def _explain_denied_writes(engine: Engine) -> None:
    """On a server, a write the login's group roles do not allow becomes a sentence naming the login and what
    it tried (storage/team_roles.permission_error) instead of the driver's "permission denied"."""
    if engine.dialect.name == "sqlite":
        return
    from medshare_desktop.storage.team_roles import permission_error

    def denied(context: Any) -> None:
        if (readable := permission_error(context.sqlalchemy_exception, engine, context.statement or "")) is not None:
            raise readable

    event.listen(engine, "handle_error", denied)


class Database:
    """Owns the engine and hands out short sessions: `with db.begin() as session: ...`."""

    def __init__(self, url: str, read_only: bool = False) -> None:
        self.url = url
        self.read_only = read_only
        self._file = sqlite_file(url)
        self._held = False
        self.engine = make_engine(url, read_only=read_only)
        _explain_denied_writes(self.engine)
        self._hold()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _hold(self) -> None:
        """Tell encryption.file_header that SQLite here may hold the file open: it must not be read outside SQLite."""
        if self._file and not self._held:
            encryption.opened_here(self._file)
            self._held = True

    def _let_go(self) -> None:
        if self._held and self._file:
            encryption.closed_here(self._file)
            self._held = False

    def begin(self) -> Any:
        """A session in a transaction that commits on success and rolls back on error."""
        return self._sessions.begin()

    def session(self) -> Session:
        return self._sessions()

    def dispose(self) -> None:
        self.engine.dispose()
        self._let_go()

    def reopen(self) -> None:
        """A fresh engine on the same URL (after a restore or encryption replaced the file)."""
        self.dispose()
        self.engine = make_engine(self.url, read_only=self.read_only)
        self._hold()
        self._sessions.configure(bind=self.engine)
