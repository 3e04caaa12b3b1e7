"""SQLAlchemy adapters for the core's ports, plus engine set-up and Alembic migrations."""

from __future__ import annotations

from pathlib import Path

from medshare_desktop.storage.database import Database
from medshare_desktop.storage.migrate import upgrade_to_head
from medshare_desktop.storage.unit_of_work import SqlUnitOfWork, unit_of_work_factory

__all__ = ["Database", "SqlUnitOfWork", "open_database", "unit_of_work_factory"]


def open_database(url: str, backup_folder: Path | None = None) -> Database:
    """Open (creating if needed) and migrate the database to the newest schema."""
    database = Database(url)
    upgrade_to_head(database.engine, url, backup_folder)
    return database
