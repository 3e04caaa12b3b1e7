"""This desk's note of the engine it last checked each database's review queue with (core.ports.EngineCheckRecord):
a small JSON file beside the desk's own models, so that in team mode each desk keeps its own. Databases are told
apart by a hash of their address (no address, path or password is written)."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


class FileEngineCheckRecord:
    def __init__(self, path: Path, database: str) -> None:
        self.path = Path(path)
        self.key = hashlib.sha256(database.encode("utf-8")).hexdigest()[:32]

    def _all(self) -> dict[str, dict[str, str]]:
        try:
            value = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            # unreadable: as if never written (the queue is checked again, which changes nothing twice)
            log.warning("%s cannot be read (%s): ignored", self.path, type(exc).__name__)
            return {}
        return value if isinstance(value, dict) else {}

    def read(self) -> tuple[str, str] | None:
        entry = self._all().get(self.key)
        if not isinstance(entry, dict) or not {"fingerprint", "checked_at"} <= entry.keys():
            return None
        return str(entry["fingerprint"]), str(entry["checked_at"])

    def write(self, fingerprint: str, checked_at: str) -> None:
        records = self._all()
        records[self.key] = {"fingerprint": fingerprint, "checked_at": checked_at}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps(records, indent=1) + "\n", encoding="utf-8")
        os.replace(temporary, self.path)
