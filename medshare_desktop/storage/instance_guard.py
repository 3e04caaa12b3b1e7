"""One writing instance per database: a lock file beside it holding the owner's pid and host name.

The first instance takes an OS lock on `<database>.lock` (fcntl/msvcrt, released by the OS when the
process dies, even after a crash or SIGKILL) and writes its pid, host and start time into it. A
second instance cannot take the lock: it gets `read_only=True` and a notice naming the owner, and
should open the database read-only. A lock file left by a process that is gone is taken over.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from medshare_desktop.core.errors import DatabaseError

log = logging.getLogger(__name__)


def lock_path(db_path: str | Path) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


def _try_lock(handle: IO[Any]) -> bool:
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: IO[Any]) -> None:
    try:
        if sys.platform == "win32":
            import msvcrt

            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    except OSError:
        pass


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)
        return bool(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_owner(db_path: str | Path) -> dict[str, Any]:
    try:
        owner = json.loads(lock_path(db_path).read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return {}
    return owner if isinstance(owner, dict) else {}


@dataclass
class InstanceGuard:
    """Held for the life of the app; `release()` (or process exit) frees the database for others."""

    db_path: Path
    read_only: bool
    notice: str = ""
    owner: dict[str, Any] = field(default_factory=dict)
    _handle: IO[Any] | None = None

    def release(self) -> None:
        if self._handle is None:
            return
        try:
            self._handle.seek(0)
            self._handle.truncate()
            self._handle.flush()
        except OSError:
            pass
        _unlock(self._handle)
        self._handle.close()
        self._handle = None

    def __enter__(self) -> InstanceGuard:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def _owner_text(owner: dict[str, Any]) -> str:
    host = owner.get("hostname") or "an unknown computer"
    pid = owner.get("pid", "?")
    since = f" since {owner['started'][:16].replace('T', ' ')} UTC" if owner.get("started") else ""
    return f"process {pid} on {host}{since}"


def acquire_instance(db_path: str | Path, wait_seconds: float = 0.0) -> InstanceGuard:
    """Take the database for this process, or (after waiting up to `wait_seconds`) a read-only guard."""
    path = Path(db_path).resolve()
    lock = lock_path(path)
    if not lock.parent.is_dir():  # never created here: a mistyped path is said, not made
        raise DatabaseError(f"The folder {lock.parent} does not exist, so no database can be opened there.")
    deadline = time.monotonic() + wait_seconds
    while True:
        handle = open(lock, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while the lock is held
        if _try_lock(handle):
            return _took(path, handle)
        handle.close()
        if time.monotonic() >= deadline:
            break
        time.sleep(0.2)
    owner = read_owner(path)
    notice = (
        f"MedShare Desktop is already open on this database ({_owner_text(owner)}). "
        "This window is read-only: close the other window to make changes here."
    )
    log.info("database in use by another instance (pid %s): opening read-only", owner.get("pid"))
    return InstanceGuard(path, True, notice, owner)


def _owner_in(handle: IO[Any]) -> dict[str, Any]:
    """The owner recorded in the lock file, read through the handle that holds the lock.

    Not with a second open()/close(): where flock is emulated with fcntl locks (NFS), closing another
    descriptor of the file would release the lock just taken.
    """
    try:
        handle.seek(0)
        owner = json.loads(handle.read() or "{}")
    except (OSError, ValueError):
        return {}
    return owner if isinstance(owner, dict) else {}


def _took(path: Path, handle: IO[Any]) -> InstanceGuard:
    previous = _owner_in(handle)  # a clean exit empties the file: anything left is from a process that died
    notice = ""
    if previous.get("pid") and previous.get("pid") != os.getpid():
        notice = f"Took over a lock left by {_owner_text(previous)}, which is no longer running."
        log.warning("stale instance lock of pid %s taken over", previous.get("pid"))
    me = {"pid": os.getpid(), "hostname": socket.gethostname(), "started": datetime.now(UTC).isoformat()}
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(me))
    handle.flush()
    os.fsync(handle.fileno())
    return InstanceGuard(path, False, notice, me, handle)
