"""One place for the app's folders and for finding bundled resources (from source or a frozen build)."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "MedShare Desktop"
APP_AUTHOR = "MedShare"
DB_ENV_VAR = "MEDSHARE_DB"
DATABASE_CONFIG = "database.json"  # the database chosen in Settings → Database: {"url": "..."} (never a password)

log = logging.getLogger(__name__)


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


def config_dir() -> Path:
    """The per-user configuration folder (under MEDSHARE_DATA_DIR when that is set, as for the tests)."""
    override = os.environ.get("MEDSHARE_DATA_DIR")
    path = Path(override) / "config" if override else Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def saved_database_url() -> str | None:
    """The database saved in Settings → Database, or None (the default file). Never holds a password."""
    path = config_dir() / DATABASE_CONFIG
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("url")
    except FileNotFoundError:
        return None
    except (OSError, ValueError, AttributeError) as exc:
        log.warning("the saved database choice in %s cannot be read (%s): using the default", path, type(exc).__name__)
        return None
    return value if isinstance(value, str) and value.strip() else None


def save_database_url(url: str | None) -> Path:
    """Write the database choice read at the next start (None: back to the default file), atomically."""
    path = config_dir() / DATABASE_CONFIG
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    temporary.write_text(json.dumps({"url": url} if url else {}, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)
    return path


def database_source(cli_value: str | None = None) -> str:
    """Which setting names the database: "--db", "MEDSHARE_DB", "saved" (Settings → Database) or "default"."""
    if cli_value:
        return "--db"
    if os.environ.get(DB_ENV_VAR):
        return DB_ENV_VAR
    return "saved" if saved_database_url() else "default"


def database_url(cli_value: str | None = None) -> str:
    """The database to open: `--db`, else `MEDSHARE_DB`, else the choice saved in Settings → Database, else
    the per-user default file. Paths or SQLAlchemy URLs."""
    value = cli_value or os.environ.get(DB_ENV_VAR) or saved_database_url() or str(default_db_path())
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())
