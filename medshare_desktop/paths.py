"""One place for the app's folders and for finding bundled resources (from source or a frozen build)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "MedShare Desktop"
APP_AUTHOR = "MedShare"
DB_ENV_VAR = "MEDSHARE_DB"


def resource_path(*parts: str) -> Path:
    """Path of a file under `resources/`, whether running from source or from a PyInstaller build."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        base = Path(frozen_root) / "resources"
    else:
        installed = Path(__file__).resolve().parent / "resources"
        base = installed if installed.is_dir() else Path(__file__).resolve().parent.parent / "resources"
    return base.joinpath(*parts)


def data_dir() -> Path:
    override = os.environ.get("MEDSHARE_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def log_dir() -> Path:
    override = os.environ.get("MEDSHARE_DATA_DIR")
    path = Path(override) / "logs" if override else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def backup_dir() -> Path:
    path = data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def evidence_dir() -> Path:
    path = data_dir() / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def models_dir() -> Path:
    """The team's retrained risk models (models/sentence_head/{current,previous}); created on first use."""
    return data_dir() / "models"


def default_db_path() -> Path:
    return data_dir() / "medshare.db"


def database_url(cli_value: str | None = None) -> str:
    """The database to open: `--db`, else `MEDSHARE_DB`, else the per-user default. Paths or SQLAlchemy URLs."""
    value = cli_value or os.environ.get(DB_ENV_VAR) or str(default_db_path())
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())
