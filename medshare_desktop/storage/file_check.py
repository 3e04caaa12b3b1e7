"""Before opening a database: is the path usable, and what is the file? A sentence when it is not.

`check_database_file` runs before any connection, so it can say "a JPEG image", "a text file", "a
folder", "a damaged SQLite database" or "an encrypted database whose key is missing" instead of a
driver traceback, and names the newest usable backup (in the backup folder or `backups/` beside the
database) for the caller to offer. `unusable_file_error` turns a driver error met while opening or
migrating into the same kind of sentence. Nothing here writes or creates anything.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.engine import make_url

from medshare_desktop.core.errors import DatabaseError, DatabaseFileError
from medshare_desktop.file_signatures import signature_kind
from medshare_desktop.storage import encryption

log = logging.getLogger(__name__)

SQLCIPHER_PAGE = 512  # every SQLCipher page size is a multiple of this; its files are whole pages of noise
CHECKPOINT_PAUSES = (0.01, 0.05, 0.1, 0.2)  # seconds between readings of a file that looks cut short
DAMAGE_WORDS = ("malformed", "not a database", "disk i/o error", "corrupt", "file is encrypted")


def looks_like(header: bytes) -> str | None:
    """What a file's first bytes say it is ("a JPEG image", "a text file"), or None when they say nothing."""
    if (what := signature_kind(header)) is not None:
        return what
    sample = header.lstrip(b"\xef\xbb\xbf")
    if sample and b"\x00" not in sample:
        try:
            text = sample.decode("utf-8")
        except UnicodeDecodeError as exc:  # a character cut at the end of the sample is still text
            text = sample[: exc.start].decode("utf-8") if exc.start >= len(sample) - 3 else ""
        if text and sum(ch.isprintable() or ch in "\r\n\t" for ch in text) >= 0.95 * len(text):
            return "a text file"
    return None


def _declared_size(header: bytes) -> int | None:
    """The size SQLite's header says the file has (page size × page count), when that field is valid."""
    if len(header) < 100 or header[24:28] != header[92:96]:
        return None  # "version-valid-for" differs from the change counter: SQLite ignores the page count too
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    return page_size * pages if pages else None


def backup_folders(db_file: Path, backup_folder: Path | None) -> list[Path]:
    """Where backups of this database may be: the chosen backup folder, then `backups/` beside it."""
    folders = [backup_folder] if backup_folder is not None else []
    folders.append(db_file.parent / "backups")
    unique: list[Path] = []
    for folder in folders:
        if folder.resolve() not in [f.resolve() for f in unique]:
            unique.append(folder)
    return unique


def newest_usable_backup(db_file: Path, folders: Iterable[Path]) -> tuple[Path, str] | None:
    """The newest backup of this database that passes the restore checks, with a label saying when and where."""
    from medshare_desktop.storage.backup import check_backup, list_backups

    candidates = sorted(
        (b for folder in folders for b in list_backups(folder, db_file.stem)), key=lambda b: b.created, reverse=True
    )
    for backup in candidates:
        try:
            check_backup(backup.path, db_file)
        except DatabaseError:
            continue
        return backup.path, f"{backup.path} (taken {backup.created:%Y-%m-%d %H:%M} UTC)"
    return None


def _content_error(db_file: Path, problem: str, backup_folder: Path | None, search: bool = True) -> DatabaseFileError:
    if not search:
        return DatabaseFileError(problem, str(db_file))
    found = newest_usable_backup(db_file, backup_folders(db_file, backup_folder))
    if found is None:
        return DatabaseFileError(problem + " No usable backup of it was found.", str(db_file))
    return DatabaseFileError(problem, str(db_file), str(found[0]), found[1])


def check_database_file(url: str, backup_folder: Path | None = None, search_backups: bool = True) -> None:
    """Raise DatabaseFileError when the URL's SQLite file cannot be opened as a MedShare database.

    A missing file in an existing folder is fine (a new database is created); other URLs pass. The
    error names the newest usable backup unless `search_backups` is False.
    """
    from medshare_desktop.storage.database import sqlite_file

    name = sqlite_file(url)
    if name is None:
        return
    path = Path(name)
    folder = path.parent
    if not folder.exists():
        raise DatabaseFileError(
            f"The folder {folder} does not exist, so the database {path.name} cannot be opened or created there. "
            "Check the path, or create the folder first.",
            str(path),
        )
    if not folder.is_dir():
        raise DatabaseFileError(f"{folder} is a file, not a folder: the database {path} cannot be in it.", str(path))
    if path.is_dir():
        raise DatabaseFileError(
            f"{path} is a folder, not a database file. Give the path of the database file itself "
            f"(for example {path / 'medshare.db'}).",
            str(path),
        )
    if not path.exists():
        return
    if not os.access(path, os.R_OK):
        raise DatabaseFileError(f"The database {path} cannot be read: this user has no permission to open it.", str(path))
    header, size = encryption.file_header(path), encryption.file_size_when_read(path)
    if not header:
        return  # empty: a new database
    problem = _content_problem(path, header, size)
    if problem is None and header.startswith(encryption.SQLITE_HEADER):
        problem = _schema_problem(path)
    if problem is not None:
        raise _content_error(path, problem, backup_folder, search_backups)


def _schema_problem(path: Path) -> str | None:
    """Read a plain SQLite file's table list read-only (nothing switched to WAL, nothing added): damaged or foreign?"""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None  # cannot even be opened read-only here: opening it normally will say why
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        if any(word in str(exc).lower() for word in DAMAGE_WORDS):
            return f"The database {path} is a damaged SQLite database ({exc})."
        return None
    finally:
        conn.close()
    return foreign_sqlite_problem(path, {t for t in tables if not t.startswith("sqlite_")})


def _short_by(header: bytes, size: int | None) -> tuple[int, int] | None:
    declared = _declared_size(header)
    return (size, declared) if declared is not None and size is not None and size < declared else None


def _cut_short(path: Path, header: bytes, size: int | None) -> tuple[int, int] | None:
    """(size, declared size) when the file is shorter than its header says, for real; None when it is whole.

    A checkpoint another process is writing puts page 1, with the new page count, before the pages
    that lengthen the file, so a file read at that moment looks cut short for a few milliseconds
    (a CLI import started while the app writes met it). The file is read again for a while; if it
    still looks short and a write-ahead log or journal is beside it, SQLite itself decides under a
    read transaction, which sees the log's pages.
    """
    short = _short_by(header, size)
    for pause in CHECKPOINT_PAUSES:
        if short is None:
            return None
        time.sleep(pause)
        short = _short_by(encryption.file_header(path), encryption.file_size_when_read(path))
    if short is None or not any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal")):
        return short
    return short if _sqlite_finds_damage(path) else None


def _sqlite_finds_damage(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return False  # cannot be opened read-only here: opening it normally will say why
    try:
        return conn.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok"
    except sqlite3.DatabaseError:
        return True
    finally:
        conn.close()


def _content_problem(path: Path, header: bytes, size: int | None) -> str | None:
    """What is wrong with a non-empty file's content, from its header and size (None: it looks usable)."""
    if header.startswith(encryption.SQLITE_HEADER):
        short = _cut_short(path, header, size)
        if short is not None:
            return (
                f"The database {path} is a damaged SQLite database: it is cut short ({short[0]:,} of {short[1]:,} "
                "bytes), as a copy or a sync that did not finish leaves it."
            )
        return None
    what = looks_like(header)
    if what is not None:
        return f"{path} is not a MedShare database: it looks like {what}."
    if size is None or size < SQLCIPHER_PAGE or size % SQLCIPHER_PAGE:
        return f"{path} is not a MedShare database: its content is not in any format MedShare knows."
    # Whole pages of what looks like noise: an encrypted (SQLCipher) database, or random data.
    looks = f"{path} looks like an encrypted (SQLCipher) database"
    if encryption.sqlcipher_module() is None:
        return f"{looks}, but SQLCipher support (the sqlcipher3 package) is not installed on this computer."
    if not encryption.stored_key(path):
        return (
            f"{looks}, but its key is not in this computer's keyring: open it on the computer where it was "
            "encrypted, or restore an unencrypted backup."
        )
    return None


def unusable_file_error(url: str, exc: BaseException, backup_folder: Path | None = None) -> DatabaseFileError | None:
    """The sentence for a driver error met while opening a file that passed `check_database_file`, or None."""
    from medshare_desktop.storage.database import sqlite_file

    name = sqlite_file(url)
    if name is None:
        return None
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, sqlite3.DatabaseError) or type(cause).__module__.startswith("sqlcipher3"):
            message = str(cause).lower()
            if any(word in message for word in DAMAGE_WORDS):
                path = Path(name)
                log.warning("database file unusable: %s", type(cause).__name__)
                if encryption.is_encrypted(path):
                    problem = (
                        f"The database {path} could not be opened with the key in this computer's keyring: it is "
                        "damaged, or it was encrypted with another key."
                    )
                else:
                    problem = f"The database {path} is a damaged SQLite database ({cause})."
                return _content_error(path, problem, backup_folder)
        cause = cause.__cause__ or cause.__context__
    return None


def foreign_sqlite_problem(path: Path, tables: set[str]) -> str | None:
    """A SQLite file of another program (tables, but no MedShare schema): refused rather than added to."""
    ours = {"alembic_version", "post", "person", "audit_event"}
    if not tables or tables & ours:
        return None
    shown = ", ".join(sorted(tables)[:3]) + (", …" if len(tables) > 3 else "")
    return (
        f"{path} is a SQLite database of another program (tables {shown}), not a MedShare database; "
        "MedShare leaves it as it is."
    )


def server_error(url: str, exc: BaseException) -> DatabaseError:
    """A sentence for a database address that cannot be used: unknown kind, missing driver, unreachable."""
    try:
        parsed = make_url(url)
        shown = parsed.render_as_string(hide_password=True)
        backend = parsed.get_backend_name()
    except Exception:  # noqa: BLE001 - not even a URL
        return DatabaseError(f"{url.split('@')[-1]} is not a database address MedShare can use.")
    if isinstance(exc, ImportError):
        package = getattr(exc, "name", None) or "its driver"
        return DatabaseError(
            f"The database address {shown} needs the Python package {package!r} (the {backend} driver), "
            "which is not installed on this computer."
        )
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    if isinstance(exc, NoSuchModuleError):
        return DatabaseError(f"The database address {shown}: MedShare does not know this kind of database ({backend}).")
    if isinstance(exc, ArgumentError):
        return DatabaseError(f"{shown} is not a database address MedShare can use.")
    if backend == "postgresql" and hasattr(exc, "orig"):  # a team server: name the host, user or certificate at fault
        from medshare_desktop.core.database_location import parse_server_url
        from medshare_desktop.core.errors import ValidationError
        from medshare_desktop.storage.server_connection import describe_failure

        try:
            return DatabaseError(describe_failure(parse_server_url(url).address, exc))
        except ValidationError:
            pass
    first_line = str(getattr(exc, "orig", exc)).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return DatabaseError(f"The database at {shown} cannot be reached: {first_line}")
