"""Team mode: changes committed on the PostgreSQL server, told by LISTEN/NOTIFY instead of polling.

Migration 0014 gives every table a screen shows a statement-level trigger that calls
`pg_notify('medshare_changes', <table>)`; the server delivers it when the transaction commits, whoever
wrote (another desk, the command line, psql). A thread of this feed holds one connection of its own
that LISTENs and hands each batch of notices to `on_changes` as a `Changes` of the kinds the tables
hold (post → "posts", consent_record → "consent", …). Notices from this process's own connections
(their backend pids, collected as the pool hands them out) are left out: the screens heard of those
changes already. The audit events since the last look still say which rows changed (ChangeWatch.look).

When the listening connection breaks, the feed tries once more at once (a restarted backend), then
reports the server unreachable (`on_reachable(False)`) and retries with a growing delay; once it is
back it reports `on_reachable(True)` (notices sent meanwhile were lost: the screens reload everything).
A quiet connection is checked every few seconds with `SELECT 1`, and its socket has TCP keepalives and
a user timeout, so a server that vanished from the network is noticed too.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url

from medshare_desktop.core.changes import Changes
from medshare_desktop.storage.change_feed import AuditEventReader
from medshare_desktop.storage.database import Database

log = logging.getLogger(__name__)

CHANNEL = "medshare_changes"  # migration 0014's triggers notify on it
RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds between attempts to reach the server again; the last repeats
CHECK_EVERY_S = 5.0  # a quiet listening connection is checked this often
WAIT_S = 0.5  # one wait for notices (the longest close() waits for the thread)
AWAY_AFTER_S = 3.0  # a connection attempt that has not succeeded by then: the server is reported away
BATCH_S = 0.01  # notices arriving this close together make one batch (one transaction sends several)

# the kinds of data (core/changes.py `Changes.kinds`) each notifying table holds; audit_event's notice is
# answered by the look at the audit events since the last one, which names the rows
KINDS: dict[str, frozenset[str]] = {
    "post": frozenset({"posts"}),
    "finding": frozenset({"posts"}),
    "photo_tag": frozenset({"posts"}),
    "missed_risk": frozenset({"posts"}),
    "approval_evidence": frozenset({"posts"}),
    "scheduled_share": frozenset({"schedule"}),
    "consent_record": frozenset({"consent"}),
    "evidence_file": frozenset({"consent"}),
    "person": frozenset({"people"}),
    "source_account": frozenset({"people"}),
    "setting": frozenset({"settings"}),
    "audit_event": frozenset(),
}


def changes_for(tables: Iterable[str]) -> Changes:
    """The kinds of data the notified tables hold; a table not known here: reload everything."""
    kinds: set[str] = set()
    for table in tables:
        known = KINDS.get(table)
        if known is None:
            return Changes.everything()
        kinds |= known
    return Changes(kinds=frozenset(kinds))


class ServerGone(Exception):
    """The listening connection broke."""


class PgChangeFeed(AuditEventReader):
    def __init__(self, database: Database, retry_delays: tuple[float, ...] = RETRY_DELAYS,
                 check_every_s: float = CHECK_EVERY_S) -> None:
        super().__init__(database)
        self.host = make_url(database.url).host or "localhost"
        self._retry_delays = retry_delays
        self._check_every_s = check_every_s
        self._own: set[int] = set()  # backend pids of this process's pooled connections
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._connection: Any = None
        self._reachable = True
        self._state_lock = threading.Lock()
        self.listening = threading.Event()  # set while a connection LISTENs (cleared while the server is away)
        self._engine = database.engine
        event.listen(self._engine, "checkout", self._on_checkout)
        event.listen(self._engine, "close", self._on_gone)
        event.listen(self._engine, "invalidate", self._on_gone)

    # --- this process's own connections -----------------------------------------------------
    def _on_checkout(self, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        pid = _backend_pid(dbapi_connection)
        if pid:
            record.info["backend_pid"] = pid
            self._own.add(pid)

    def _on_gone(self, _dbapi_connection: Any, record: Any, *_args: Any) -> None:
        pid = record.info.pop("backend_pid", None) if record is not None else None
        if pid:
            self._own.discard(pid)

    # --- the ChangeFeed port ----------------------------------------------------------------
    def version(self) -> int:
        return 0  # nothing to poll: notices are pushed to listen()'s callbacks

    def listen(self, on_changes: Callable[[Changes], None], on_reachable: Callable[[bool], None]) -> bool:
        if self._thread is None and not self._stop.is_set():
            self._thread = threading.Thread(target=self._run, args=(on_changes, on_reachable),
                                            name="medshare-listen", daemon=True)
            self._thread.start()
        return True

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=WAIT_S * 4 + 1)
            self._thread = None
        for name, fn in (("checkout", self._on_checkout), ("close", self._on_gone), ("invalidate", self._on_gone)):
            if event.contains(self._engine, name, fn):
                event.remove(self._engine, name, fn)

    # --- the listening thread ---------------------------------------------------------------
    def _run(self, on_changes: Callable[[Changes], None], on_reachable: Callable[[bool], None]) -> None:
        failures, served = 0, False
        while not self._stop.is_set():
            # a server gone from the network lets a connection attempt hang for minutes: say so after a moment
            watchdog = threading.Timer(AWAY_AFTER_S, self._report_away, args=(on_reachable, "no answer"))
            watchdog.daemon = True
            watchdog.start()
            try:
                connection = self._connect()
            except Exception as exc:  # noqa: BLE001 - any failure to reach the server: report, wait, retry
                watchdog.cancel()
                self._report_away(on_reachable, type(exc).__name__)
                self._stop.wait(self._retry_delays[min(failures, len(self._retry_delays) - 1)])
                failures += 1
                continue
            watchdog.cancel()
            failures = 0
            with self._state_lock:
                back, self._reachable = not self._reachable, True
            if back:
                log.info("team server %s is back", self.host)
                _call(on_reachable, True)
            elif served:
                _call(on_changes, Changes())  # reconnected at once: a look at the audit trail covers the gap
            served = True
            try:
                self._serve(connection, on_changes, on_reachable)
            except Exception as exc:  # noqa: BLE001 - the connection broke: try again at once, then report
                if not self._stop.is_set():
                    log.info("listening connection to %s lost: %s", self.host, type(exc).__name__)
            finally:
                self.listening.clear()
                self._connection = None
                with contextlib.suppress(Exception):
                    connection.close()

    def _report_away(self, on_reachable: Callable[[bool], None], why: str) -> None:
        """Tell once that the server cannot be reached (from the thread or its watchdog timer)."""
        with self._state_lock:
            if not self._reachable or self._stop.is_set():
                return
            self._reachable = False
            log.warning("team server %s cannot be reached: %s", self.host, why)
            _call(on_reachable, False)

    def _connect(self) -> Any:
        """A connection of the engine's own making (its URL, password and TLS), taken out of the pool, LISTENing."""
        fairy = self._engine.raw_connection()
        try:
            connection = fairy.driver_connection
            fairy.detach()  # never handed back to the pool
            connection.rollback()  # the pool's ping may have opened a transaction
            connection.autocommit = True
            _keep_alive(connection)
            connection.execute(f"LISTEN {CHANNEL}")
        except BaseException:
            with contextlib.suppress(Exception):
                fairy.invalidate()
            raise
        self._connection = connection
        return connection

    def _check(self, connection: Any, on_reachable: Callable[[bool], None]) -> None:
        """SELECT 1; a server that does not answer within a moment is reported away and the connection cut
        (a half-open connection would otherwise wait for as long as the kernel keeps acknowledging)."""

        def silent() -> None:
            self._report_away(on_reachable, "no answer")
            _cut(connection)

        watchdog = threading.Timer(AWAY_AFTER_S, silent)
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.execute("SELECT 1")
        finally:
            watchdog.cancel()

    def _serve(self, connection: Any, on_changes: Callable[[Changes], None],
               on_reachable: Callable[[bool], None]) -> None:
        self.listening.set()
        checked = time.monotonic()
        while not self._stop.is_set():
            tables: set[str] = set()
            notices = list(connection.notifies(timeout=WAIT_S, stop_after=1))
            if notices:  # one transaction sends a notice per table it touched: take them as one batch
                notices += connection.notifies(timeout=BATCH_S)
            for notice in notices:
                self._note(notice, tables)
            if tables:
                log.debug("server notices: %s", ", ".join(sorted(tables)))
                _call(on_changes, changes_for(tables))
            if connection.broken or connection.closed:
                raise ServerGone(self.host)
            if time.monotonic() - checked >= self._check_every_s:
                self._check(connection, on_reachable)
                checked = time.monotonic()

    def _note(self, notice: Any, tables: set[str]) -> None:
        log.debug("notice %s from backend %s (own: %s)", notice.payload, notice.pid, notice.pid in self._own)
        if notice.pid not in self._own:
            tables.add(str(notice.payload))


def _call(fn: Callable[[Any], None], value: Any) -> None:
    try:
        fn(value)
    except Exception:  # noqa: BLE001 - a receiver gone (the window closed) must not end the listener
        log.debug("change notice not delivered", exc_info=True)


def _backend_pid(dbapi_connection: Any) -> int:
    info = getattr(dbapi_connection, "info", None)
    try:
        return int(getattr(info, "backend_pid", 0) or 0)
    except Exception:  # noqa: BLE001 - a broken connection has no pid to remember
        return 0


def _cut(connection: Any) -> None:
    """Shut the connection's socket down under it: a call waiting on it returns with an error."""
    with contextlib.suppress(Exception):
        sock = socket.socket(fileno=os.dup(connection.fileno()))
        try:
            sock.shutdown(socket.SHUT_RDWR)
        finally:
            sock.close()


def _keep_alive(connection: Any, idle_s: int = 5, interval_s: int = 2, count: int = 3, user_timeout_ms: int = 10_000) -> None:
    """TCP keepalives and a user timeout on the listening socket, where the platform has them: a server that
    vanished from the network (no reset ever arrives) breaks the connection within seconds, not minutes."""
    try:
        sock = socket.socket(fileno=os.dup(connection.fileno()))  # family and type read from the descriptor
    except (OSError, ValueError, AttributeError):
        return
    try:
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
        for name, value in (("TCP_KEEPIDLE", idle_s), ("TCP_KEEPINTVL", interval_s), ("TCP_KEEPCNT", count),
                            ("TCP_USER_TIMEOUT", user_timeout_ms)):
            option = getattr(socket, name, None)
            if option is not None:
                with contextlib.suppress(OSError):
                    sock.setsockopt(socket.IPPROTO_TCP, option, value)
    except OSError:
        log.debug("keepalive not set on the listening connection")
    finally:
        sock.close()  # a duplicate of the descriptor: the connection's own stays open
