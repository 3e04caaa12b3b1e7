"""`medshare info`: what IT support asks first, and what a frozen build is checked against the source with.

Version and build kind, where the database, data and logs live, which keyring is used (and why others
are not), whether SQLCipher encryption is available, and the spaCy/thinc registry entry points found
(a build that lost their metadata would load a model from source but not from the installer).
No Qt, and nothing here opens the database.
"""

from __future__ import annotations

import importlib.metadata
import platform
import sys
from typing import Any

from medshare_desktop import __version__

# catalogue-based registries (spaCy, thinc, srsly, confection) look functions up in these entry-point groups
_REGISTRY_GROUP_PREFIXES = ("spacy_", "thinc_", "srsly_")


def registry_entry_points() -> list[str]:
    names = []
    for dist in importlib.metadata.distributions():
        for entry in dist.entry_points:
            if entry.group.startswith(_REGISTRY_GROUP_PREFIXES):
                names.append(f"{entry.group}:{entry.name}")
    return sorted(set(names))


def encryption_support() -> dict[str, Any]:
    from medshare_desktop.storage.encryption import sqlcipher_module

    module = sqlcipher_module()
    if module is None:
        return {"available": False, "detail": "SQLCipher (the sqlcipher3 package) is not installed"}
    connection = module.connect(":memory:")
    try:
        row = connection.execute("PRAGMA cipher_version").fetchone()
    finally:
        connection.close()
    return {"available": True, "detail": f"SQLCipher {row[0] if row else 'unknown version'}"}


def _without_password(url: str) -> str:
    """A server URL as it may be shown or pasted into a support ticket: its password replaced by ***."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.netloc.rsplit("@", 1)[1]
        user = parts.netloc.rsplit("@", 1)[0].split(":", 1)[0]
        return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))
    except ValueError:
        return url


def collect(db_option: str | None) -> dict[str, Any]:
    from medshare_desktop import paths
    from medshare_desktop.secrets import backends

    keyrings = backends.known_backends()
    return {
        "version": __version__,
        "build": "frozen" if getattr(sys, "frozen", False) else "source",
        "python": platform.python_version(),
        "platform": platform.platform(),
        "database": _without_password(paths.database_url(db_option)),
        "data_dir": str(paths.data_dir()),
        "log_dir": str(paths.log_dir()),
        "resources": str(paths.resource_path()),
        "keyring": backends.in_use(),
        "keyring_backends": [
            {"name": r.name, "priority": r.priority, "reason": r.reason} for r in keyrings
        ],
        "encryption": encryption_support(),
        "spacy": importlib.metadata.version("spacy"),
        "registry_entry_points": registry_entry_points(),
    }


def as_text(info: dict[str, Any]) -> str:
    usable = [b for b in info["keyring_backends"] if b["priority"] is not None and b["priority"] > 0]
    lines = [
        f"MedShare Desktop {info['version']} ({info['build']}), Python {info['python']}, {info['platform']}",
        f"database:    {info['database']}",
        f"data folder: {info['data_dir']}",
        f"log folder:  {info['log_dir']}",
        f"resources:   {info['resources']}",
        f"keyring:     {info['keyring']}"
        + ("" if usable else " (no usable keyring: tokens and the database key cannot be stored)"),
    ]
    for backend in info["keyring_backends"]:
        state = f"priority {backend['priority']:g}" if backend["priority"] is not None else backend["reason"]
        lines.append(f"  {backend['name']}: {state}")
    encryption = info["encryption"]
    lines.append(f"encryption:  {'available' if encryption['available'] else 'not available'} ({encryption['detail']})")
    lines.append(f"spaCy:       {info['spacy']}, {len(info['registry_entry_points'])} registry entry points")
    return "\n".join(lines) + "\n"
