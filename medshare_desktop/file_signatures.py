"""What a file is from its first bytes, by the signatures in resources/formats/file_signatures.json.

One table for both places that must say what a wrong file looks like: the database check (a photo
given as the database) and the importers (a photo renamed .csv).
"""

from __future__ import annotations

import json
from functools import lru_cache

from medshare_desktop.paths import resource_path


@lru_cache(maxsize=1)
def _signatures() -> tuple[tuple[int, bytes, str], ...]:
    data = json.loads(resource_path("formats", "file_signatures.json").read_text(encoding="utf-8"))
    return tuple((int(s.get("at", 0)), bytes.fromhex(s["starts"]), s["what"]) for s in data["signatures"])


def signature_kind(head: bytes) -> str | None:
    """ "a JPEG image", "a PDF document"… for a file whose first bytes carry a known signature, else None."""
    for at, starts, what in _signatures():
        if head[at : at + len(starts)] == starts:
            return what
    return None
