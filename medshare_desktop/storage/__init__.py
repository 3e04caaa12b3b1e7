"""SQLAlchemy adapters for the core's ports, plus engine set-up and Alembic migrations."""

from __future__ import annotations

from pathlib import Path

from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.storage.database import Database, sqlite_file
from medshare_desktop.storage.file_check import check_database_file, server_error, unusable_file_error
from medshare_desktop.storage.migrate import current_revision, head_revision, known_revisions, upgrade_to_head
from medshare_desktop.storage.team_roles import refuse_unless_owner, server_database
from medshare_desktop.storage.team_roles import session_user as server_login
from medshare_desktop.storage.unit_of_work import SqlUnitOfWork, unit_of_work_factory

__all__ = ["Database", "SqlUnitOfWork", "open_database", "server_login", "unit_of_work_factory"]


def open_database(url: str, backup_folder: Path | None = None, read_only: bool = False) -> Database:
    """Open (creating if needed) and migrate the database to the newest schema.

    `read_only` (a second instance) never migrates: a database at another schema is refused. A database
    of a newer version of the app is refused; on a server, so is one behind this version's schema when
    the login is not its owner (storage/team_roles.py): desks never migrate a team's database.
    """
    check_database_file(url, backup_folder)  # before any connection: a sentence saying what the file is
    try:
        database = Database(url, read_only=read_only)
    except DatabaseError:
        raise
    except Exception as exc:  # noqa: BLE001 - an unknown kind of address or a driver that is not installed
        raise server_error(url, exc) from exc
    try:
        if read_only:
            revision = current_revision(database.engine)
            if revision != head_revision():
                raise DatabaseError(
                    "Another MedShare Desktop window has this database open and it needs an upgrade first; "
                    "close the other window and start again."
                )
            return database
        _refuse_other_schema(database, url)
        upgrade_to_head(database.engine, url, backup_folder)
    except BaseException as exc:
        database.dispose()
        unusable = unusable_file_error(url, exc, backup_folder) if isinstance(exc, Exception) else None
        if unusable is not None:
            raise unusable from exc
        if isinstance(exc, Exception) and not isinstance(exc, DatabaseError) and sqlite_file(url) is None:
            raise server_error(url, exc) from exc
        raise
    return database


def _refuse_other_schema(database: Database, url: str) -> None:
    """A schema this app does not know (a newer version made it) or, on a server, one this login may not upgrade."""
    revision, head = current_revision(database.engine), head_revision()
    if revision is not None and revision not in known_revisions():
        where = sqlite_file(url) or server_database(url)
        raise DatabaseError(
            f"The database {where} was made by a newer version of MedShare Desktop (its schema is {revision}; "
            f"this version knows up to {head}). Install the newer version to open it."
        )
    refuse_unless_owner(database.engine, revision, head)
