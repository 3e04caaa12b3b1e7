"""What the risk engine is, as one hash: its rule files, the checksums of its models, its own source and the
team's retrained head when one is in use. Findings stored under another fingerprint were found by another
engine (an update, a retrain or a rollback), so the posts still under review are checked again
(`RiskService.recheck_after_update`). Computed once per head; a few milliseconds.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from medshare_desktop import __version__
from medshare_desktop.paths import resource_path

_ANALYSIS = Path(__file__).resolve().parent


def _files() -> list[tuple[str, Path]]:
    """(name, path) of every file that shapes a finding; sources are absent from a frozen build, whose
    version and resources still tell one build from another."""
    rules = resource_path("rules")
    models = resource_path("models")
    found = [(f"rules/{p.relative_to(rules).as_posix()}", p) for p in rules.rglob("*") if p.is_file()]
    found += [(f"models/{p.parent.name}/SHA256SUMS", p) for p in models.glob("*/SHA256SUMS")]
    found += [(f"analysis/{p.name}", p) for p in _ANALYSIS.glob("*.py")]
    return sorted(found)


@cache
def _shipped() -> str:
    digest = hashlib.sha256(__version__.encode())
    for name, path in _files():
        digest.update(name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def engine_fingerprint(head_dir: Path | None = None) -> str:
    """The shipped engine's fingerprint, or with a team head (its head.json and checksums) folded in."""
    if head_dir is None:
        return _shipped()
    digest = hashlib.sha256(_shipped().encode())
    for name in ("head.json", "SHA256SUMS"):
        path = head_dir / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()
