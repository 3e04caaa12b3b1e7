"""The audit trail's head witnessed outside the database: `<database>.audit-head` beside the file.

A small JSON file holds the newest event count and hash that a writer committed, sealed with the
trail's key (core/rules/audit_chain.py), so `audit verify` can tell a trail whose newest events were
removed from an intact one. Written atomically (temporary file, os.replace) under an OS lock on
`<database>.audit-head.lock`, and only forwards: the app and the command line append at the same
time and may publish out of order, so the witness keeps whichever head counts more events. A witness
older than the trail is fine (the later events are checked by their seals); a trail shorter than it
was cut. Only a restore (restart) moves it back, and that is itself an audit event.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from medshare_desktop.core.rules.audit_chain import Witness, WitnessReading

FORMAT = 1


def witness_path(db_file: str | Path) -> Path:
    path = Path(db_file)
    return path.with_name(path.name + ".audit-head")


class FileAuditWitness:
    """The core's AuditWitness port over a file beside the database."""

    def __init__(self, db_file: str | Path) -> None:
        self.path = witness_path(db_file)
        self._lock_path = self.path.with_name(self.path.name + ".lock")

    def read(self) -> WitnessReading:
        where = str(self.path)
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return WitnessReading(True, where)
        except OSError as error:
            return WitnessReading(True, where, error=f"{type(error).__name__}: {error.strerror or error}")
        try:
            data = json.loads(raw.decode("utf-8"))
            witness = Witness(int(data["count"]), str(data["head"]), str(data["key_id"]), str(data["seal"]))
            if data.get("format") != FORMAT or witness.count < 0:
                raise ValueError("unknown format")
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return WitnessReading(True, where, error="not a witness this version can read")
        return WitnessReading(True, where, witness)

    def advance(self, witness: Witness) -> None:
        with self._locked():
            current = self.read().witness
            if current is not None and current.count >= witness.count:
                return  # another process already witnessed as many events or more
            self._write(witness)

    def restart(self, witness: Witness) -> None:
        with self._locked():
            self._write(witness)

    def _write(self, witness: Witness) -> None:
        data = {"format": FORMAT, "count": witness.count, "head": witness.head, "key_id": witness.key_id,
                "seal": witness.seal}
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        # No fsync: the database commits with synchronous=NORMAL (not flushed to disk either), and a
        # witness more durable than the events it names would call a power cut a removal.
        os.replace(temporary, self.path)

    @contextmanager
    def _locked(self) -> Iterator[None]:
        with open(self._lock_path, "a+b") as handle:
            _lock(handle)
            try:
                yield
            finally:
                _unlock(handle)


def _lock(handle: IO[Any]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)  # retries for about 10 s
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)


def _unlock(handle: IO[Any]) -> None:
    if sys.platform == "win32":
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
