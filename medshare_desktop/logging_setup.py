"""Logging to a rotating file in the per-user log folder (ids only: never post text or consent details)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from medshare_desktop.paths import log_dir

LOG_FILE = "medshare.log"


def configure_logging(verbose: bool = False) -> Path:
    path = log_dir() / LOG_FILE
    root = logging.getLogger()
    if any(getattr(h, "_medshare", False) for h in root.handlers):
        return path
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler._medshare = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path
