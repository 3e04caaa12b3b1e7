"""Background work off the GUI thread: a QRunnable with its signals on a separate QObject.

Usage (inside a widget):
    self._tasks = TaskRunner(self)
    self._tasks.start(load_rows, flt, on_done=self._on_rows_loaded, on_error=self._on_load_failed)

`TaskRunner.start(..., key="search")` drops the result of an older task with the same key when a
newer one was started meanwhile (latest request wins). References are kept until a task ends.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class CancelToken:
    """Passed to tasks that accept `cancelled=`; `token()` is True once cancel() was called."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    def __call__(self) -> bool:
        return self._event.is_set()


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object, str)  # exception, formatted traceback
    progress = Signal(int, int)


_ALIVE: set[Task] = set()  # strong references until run() ends, even if the widget that started it is gone
_ALIVE_LOCK = threading.Lock()


class Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.signals = _Signals()
        self._fn = fn
        self._args = args
        self._kwargs = kwargs

    def report_progress(self, done: int, total: int) -> None:
        self.signals.progress.emit(done, total)

    def run(self) -> None:
        try:
            try:
                result = self._fn(*self._args, **self._kwargs)
            except BaseException as exc:  # noqa: BLE001 - every failure goes back to the GUI thread
                self.signals.failed.emit(exc, traceback.format_exc())
            else:
                self.signals.finished.emit(result)
        except RuntimeError:
            log.debug("a background task finished after its window was closed; result dropped")
        finally:
            with _ALIVE_LOCK:
                _ALIVE.discard(self)


_ENGINE_POOL: QThreadPool | None = None


def engine_pool() -> QThreadPool:
    """The risk engine's jobs run here one at a time, in the order asked: loading it, checking new posts (after a
    start, an import in the window or elsewhere), switching to the team's model, checking the queue again with it.
    Run side by side, a check of the queue could skip posts another job was still checking with the model being
    replaced. One per process, as the engine is."""
    global _ENGINE_POOL  # noqa: PLW0603 - created on first use, after QApplication
    if _ENGINE_POOL is None:
        _ENGINE_POOL = QThreadPool()
        _ENGINE_POOL.setMaxThreadCount(1)
    return _ENGINE_POOL


def wait_for_background_work(msecs: int = 30_000) -> bool:
    """Let the engine's queued jobs and the other workers finish (closing the window, tests)."""
    engine_done = engine_pool().waitForDone(msecs)
    return QThreadPool.globalInstance().waitForDone(msecs) and engine_done


class TaskRunner(QObject):
    """Starts tasks on a thread pool and delivers their results on the GUI thread."""

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._running: set[Task] = set()
        self._latest: dict[str, int] = {}
        self._counter = 0

    def start(
        self,
        fn: Callable[..., Any],
        *args: Any,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException, str], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        key: str | None = None,
        with_progress: bool = False,
        **kwargs: Any,
    ) -> Task:
        self._counter += 1
        request_id = self._counter
        if key is not None:
            self._latest[key] = request_id
        task = Task(fn, *args, **kwargs)
        if with_progress:
            task._kwargs["progress"] = task.report_progress

        def finished(result: Any) -> None:
            if not shiboken6.isValid(self):
                return  # the widget that asked is gone (window closed): drop the result
            self._running.discard(task)
            if key is not None and self._latest.get(key) != request_id:
                return  # a newer request of the same kind has been made: drop this stale result
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException, details: str) -> None:
            if not shiboken6.isValid(self):
                log.error("background task failed after its window was closed: %s", details)
                return
            self._running.discard(task)
            if key is not None and self._latest.get(key) != request_id:
                return
            log.error("background task failed: %s", details)
            if on_error is not None:
                on_error(exc, details)

        task.signals.finished.connect(finished)
        task.signals.failed.connect(failed)
        if on_progress is not None:
            task.signals.progress.connect(on_progress)
        self._running.add(task)
        with _ALIVE_LOCK:
            _ALIVE.add(task)
        self._pool.start(task)
        return task

    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)
