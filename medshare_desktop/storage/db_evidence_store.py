"""Evidence files kept in the database (team mode): every desk opens the forms another desk attached.

Implements the core's EvidenceStore port, as the evidence folder does (storage/evidence_store.py): the
same checks and metadata stripping on the way in, the same `<sha256><suffix>` names. The bytes go into
`evidence_content` (migration 0013). Reading checks the SHA-256 of the bytes again and then writes a
local copy into a cache folder on this desk, because a PDF viewer needs a file to open.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, select
from sqlalchemy.dialects import postgresql, sqlite

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.ports import StoredEvidence
from medshare_desktop.core.rules.consent import EVIDENCE_MAX_BYTES
from medshare_desktop.storage.database import Database
from medshare_desktop.storage.evidence_store import prepare_evidence, write_atomically
from medshare_desktop.storage.orm import EvidenceContentRow
from medshare_desktop.storage.team_roles import server_database

log = logging.getLogger(__name__)

LOCATION = "in the database (every desk opens them)"


def insert_content(connection: Connection, sha256: str, stored_name: str, media_type: str, data: bytes,
                   added_at: datetime | None = None) -> None:
    """One stored file; the same bytes stored twice (two desks attach one form): the first row stays."""
    values = {"sha256": sha256, "stored_name": stored_name, "media_type": media_type, "size_bytes": len(data),
              "content": data, "added_at": added_at or datetime.now(UTC)}
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(EvidenceContentRow).values(**values).on_conflict_do_nothing(index_elements=["sha256"])
    connection.execute(statement)


def verified_content(connection: Connection, stored_name: str) -> tuple[str, bytes]:
    """(sha256, bytes) of a stored file, or ValidationError when it is missing or its bytes changed."""
    name = Path(stored_name).name
    row = connection.execute(
        select(EvidenceContentRow.sha256, EvidenceContentRow.content).where(EvidenceContentRow.stored_name == name)
    ).first()
    if row is None and len(name) >= 64:  # older records may name the file differently: by its hash then
        row = connection.execute(
            select(EvidenceContentRow.sha256, EvidenceContentRow.content).where(EvidenceContentRow.sha256 == name[:64])
        ).first()
    if row is None:
        where = server_database(connection.engine.url) if connection.dialect.name == "postgresql" else "this file"
        raise ValidationError(
            f"The stored evidence {name} is missing from the database ({where}): no desk can open it. Attach the "
            "signed form again."
        )
    sha, data = str(row[0]), bytes(row[1])
    if hashlib.sha256(data).hexdigest() != sha:
        raise ValidationError(
            f"The stored evidence {name} in the database no longer matches its SHA-256: it was changed after it "
            "was stored. Attach the signed form again."
        )
    return sha, data


class DbEvidenceStore:
    """The EvidenceStore port over the `evidence_content` table; local copies in `cache_folder`."""

    def __init__(self, database: Database, cache_folder: Path | str | None = None,
                 max_bytes: int = EVIDENCE_MAX_BYTES) -> None:
        self._database = database
        self._cache = Path(cache_folder) if cache_folder is not None else None
        self._max_bytes = max_bytes

    @property
    def folder(self) -> Path:
        """Where opened files are copied on this desk (the database holds the originals)."""
        if self._cache is None:
            from medshare_desktop.paths import evidence_dir

            self._cache = evidence_dir() / "opened-from-server"
        self._cache.mkdir(parents=True, exist_ok=True)
        return self._cache

    def store(self, source: str) -> StoredEvidence:
        data, stored = prepare_evidence(source, self._max_bytes)
        with self._database.engine.begin() as connection:
            insert_content(connection, stored.sha256, stored.stored_name, stored.media_type, data)
        log.info("evidence stored in the database as %s (%d bytes, metadata stripped: %s)", stored.stored_name,
                 len(data), stored.metadata_stripped)
        return stored

    def content(self, stored_name: str) -> bytes:
        """The stored bytes, their SHA-256 checked."""
        with self._database.engine.connect() as connection:
            return verified_content(connection, stored_name)[1]

    def locate(self, stored_name: str) -> str:
        """A local copy of the stored file (its SHA-256 checked), for a viewer or an export to read."""
        with self._database.engine.connect() as connection:
            sha, data = verified_content(connection, stored_name)
        target = self.folder / Path(stored_name).name
        if not (target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == sha):
            write_atomically(target, data)
        return str(target)
