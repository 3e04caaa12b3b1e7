"""One door for every change: writes on a one-thread writer pool, reads on the shared pool, and one
`changes_applied(Changes, initiator)` signal on the GUI thread that every screen listens to.

    ops.write(services.posts.approve, post, on_done=self._on_approved, initiator=self)

runs the service call on the writer thread (so two writes of this window never race for SQLite's
lock), hands its result to `on_done`, then tells every screen what changed (`Changes.of(result)`:
what the service returned says what it touched; `changes=` when the caller knows better). Changes
made elsewhere arrive through the same signal: a QTimer asks the ChangeWatch for SQLite's data
version every second (a pragma, microseconds) and, when it moved, reads the audit events since on
the shared pool. On a team server the feed pushes instead of being polled: the server's NOTIFY after
each commit elsewhere arrives from the feed's thread as the kinds of data changed (`notice_received`),
the same look at the audit events runs, and both together are announced; `server_reachable_changed`
tells the window when the server goes away and comes back (then every screen reloads).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.services.change_watch import ChangeWatch
from medshare_desktop.ui.shared.workers import Task, TaskRunner

log = logging.getLogger(__name__)

POLL_MS = 1_000  # how often the data version is asked (a change elsewhere shows within about a second)


class Operations(QObject):
    changes_applied = Signal(object, object)  # Changes, the object that asked for the change (None: elsewhere)
    notice_received = Signal(object)  # Changes: the kinds of data a team server said others committed
    server_reachable_changed = Signal(bool)  # the team server went away (False) or is back (True)
    _feed_notice = Signal(object)  # from the feed's thread to the GUI thread (queued)
    _feed_reachable = Signal(bool)

    def __init__(self, watch: ChangeWatch | None = None, parent: QObject | None = None,
                 poll_ms: int = POLL_MS) -> None:
        super().__init__(parent)
        self._writer_pool = QThreadPool(self)
        self._writer_pool.setMaxThreadCount(1)  # one writer: this window's writes queue, never race
        self._writes = TaskRunner(self, self._writer_pool)
        self._reads = TaskRunner(self)  # the shared pool
        self._watch = watch
        self._version: int | None = None
        self._looking = False
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._pending = Changes()  # what the server's notices said, announced with the next look
        self._feed_notice.connect(self._on_feed_notice)
        self._feed_reachable.connect(self._on_feed_reachable)

    # --- this window's own work -------------------------------------------------------------
    def write(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException, str], None] | None = None,
        initiator: object = None,
        changes: Changes | None = None,
        **kwargs: Any,
    ) -> Task:
        """Run a mutating service call on the writer thread; then `on_done(result)` and `changes_applied`."""

        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            self.announce(changes if changes is not None else Changes.of(result), initiator)

        return self._writes.start(fn, *args, on_done=done, on_error=on_error, **kwargs)

    def writer(self, parent: QObject) -> TaskRunner:
        """A TaskRunner on the writer thread for a part that announces its changes itself (the risk panel:
        its signals carry the post); results are dropped when `parent` is gone."""
        return TaskRunner(parent, self._writer_pool)

    def read(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
        """Run a query on the shared pool (TaskRunner.start's arguments: on_done, on_error, key, …)."""
        return self._reads.start(fn, *args, **kwargs)

    def announce(self, changes: Changes, initiator: object = None) -> None:
        """Tell every screen about a change made outside write() (a worker of a dialog, the start-up analysis)."""
        if not changes.empty:
            self.changes_applied.emit(changes, initiator)

    def busy(self) -> bool:
        return self._writes.busy()

    def wait(self, msecs: int = 30_000) -> bool:
        """Let queued writes finish (closing the window, tests)."""
        return self._writer_pool.waitForDone(msecs)

    # --- changes made elsewhere -------------------------------------------------------------
    def start_watching(self) -> None:
        """Poll the data version from now on (nothing happens without a ChangeWatch: a database in memory)."""
        if self._watch is None or self._timer.isActive() or self._pushed:
            return
        self._looking = True
        self._reads.start(self._watch.start, on_done=self._on_watch_begun, on_error=self._on_watch_failed)

    _pushed = False  # the feed pushes notices (a team server): no polling

    def _on_watch_begun(self, _result: object = None) -> None:
        assert self._watch is not None
        self._looking = False
        if self._watch.listen(self._feed_notice.emit, self._feed_reachable.emit):
            self._pushed = True
            return
        try:
            self._version = self._watch.version()  # after start(): a change in between shows with the next one
        except Exception as exc:  # noqa: BLE001 - not readable now: the first tick that works takes its bearings
            log.debug("data version not read: %s", type(exc).__name__)
        self._timer.start()

    def _on_watch_failed(self, exc: BaseException, _details: str) -> None:
        log.warning("watching for changes made elsewhere starts late: %s", type(exc).__name__)
        self._on_watch_begun()  # the first look that works takes its bearings (ChangeWatch.look)

    def stop_watching(self) -> None:
        self._timer.stop()

    def _on_timer_timeout(self) -> None:
        if self._watch is None or self._looking:
            return
        try:
            version = self._watch.version()  # the one thing done on the GUI thread: a pragma
        except Exception as exc:  # noqa: BLE001 - a closed or replaced database: try again next tick
            log.debug("data version not read: %s", type(exc).__name__)
            return
        if version == self._version:
            return
        self._version = version
        self.changes_arrived()

    def changes_arrived(self) -> None:
        """Something changed elsewhere: read what (the hook team mode's NOTIFY listener calls)."""
        if self._watch is None:
            return
        self._looking = True
        self._reads.start(self._watch.look, on_done=self._on_looked, on_error=self._on_look_failed)

    def _on_looked(self, changes: Changes) -> None:
        self._looking = False
        pending, self._pending = self._pending, Changes()
        self.announce(changes | pending, None)

    def _on_look_failed(self, exc: BaseException, _details: str) -> None:
        self._looking = False
        self._pending = Changes()
        log.warning("changes made elsewhere could not be read: %s", type(exc).__name__)
        self.announce(Changes.everything(), None)

    # --- a team server's notices (sent from the feed's thread, received here on the GUI thread) ----
    def _on_feed_notice(self, changes: Changes) -> None:
        self.notice_received.emit(changes)
        self._pending = self._pending | changes
        self.changes_arrived()

    def _on_feed_reachable(self, reachable: bool) -> None:
        self.server_reachable_changed.emit(reachable)
        if reachable:  # notices sent while it was away are lost: every screen loads again
            self._pending = self._pending | Changes.everything()
            self.changes_arrived()
