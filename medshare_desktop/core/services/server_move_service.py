"""Moving a solo database to a team server: `medshare migrate-to URL` and File → Move to a team server….

The storage adapter (storage/server_move.py: SqlServerMover) implements DatabaseMover: in ONE
transaction on the server it creates the tables, copies every row with its id, copies the evidence
files into the database, checks counts and checksums table by table and, through the callback given
here, that the audit trail verifies on the server; anything wrong and nothing is kept there. The
solo database file is only read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.ports import AuditKeyStore, UnitOfWorkFactory
from medshare_desktop.core.services.audit_service import AuditService

Progress = Callable[[str], None]
AuditCheck = Callable[[UnitOfWorkFactory], Sequence[str]]  # the problems found in the copied trail


class MoveCancelled(MedshareError):
    """The user stopped the move; the server database was left as it was."""


@dataclass(frozen=True, slots=True)
class TableCopy:
    name: str
    rows: int
    sha256: str  # over the table's rows in key order, the same on both sides


@dataclass(frozen=True, slots=True)
class MoveReport:
    source: str  # the database file
    target: str  # the server address, without its password
    revision: str  # the schema version on both sides
    tables: tuple[TableCopy, ...]
    evidence_files: int
    evidence_bytes: int
    audit_events: int
    seconds: float
    warnings: tuple[str, ...] = field(default=())  # evidence files not found in the folder: not copied

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    def summary(self) -> str:
        return (
            f"Moved {self.source} to {self.target} in {self.seconds:.1f} s: {self.rows} row(s) in "
            f"{len(self.tables)} table(s), {self.evidence_files} evidence file(s), {self.audit_events} audit "
            "event(s); counts and checksums match and the audit trail verifies on the server."
        )

    def lines(self) -> list[str]:
        lines = [self.summary()]
        lines += [f"  {t.name}: {t.rows} row(s), SHA-256 {t.sha256[:16]}…" for t in self.tables if t.rows]
        lines += [f"  warning: {w}" for w in self.warnings]
        lines.append(
            "The file was only read and is unchanged. Point every desk at the server (Settings → Database, or "
            "--db / MEDSHARE_DB); from now on backups are the server's job (pg_dump or point-in-time recovery)."
        )
        return lines


class DatabaseMover(Protocol):
    def move(
        self,
        target_url: str,
        audit_check: AuditCheck,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        password: str = "",  # put into the address for this connection only (never stored, never shown)
    ) -> MoveReport: ...


class ServerMoveService:
    def __init__(self, mover: DatabaseMover, actor: str, keys: AuditKeyStore | None = None) -> None:
        self._mover = mover
        self._actor = actor
        self._keys = keys

    def move(
        self,
        target_url: str,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] | None = None,
        password: str = "",
    ) -> MoveReport:
        """Copy this database to the empty server database at `target_url` (slow: off the GUI thread)."""

        def audit_check(uow: UnitOfWorkFactory) -> Sequence[str]:
            return AuditService(uow, self._actor, keys=self._keys).check().problems

        return self._mover.move(target_url, audit_check, progress, cancelled, password)
