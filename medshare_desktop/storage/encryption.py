"""Opt-in encryption at rest with SQLCipher; the random key lives in the OS keyring, never on disk.

An encrypted database is recognised by its first bytes (a plain SQLite file starts with
"SQLite format 3"). Opening one needs the `sqlcipher3` driver and the key stored under
KEYRING_SERVICE / "database-key:<absolute path>"; without them opening fails with a DatabaseError
rather than silently starting a new, empty database.

The first bytes are read outside SQLite only while no Database of this process has the file open:
on POSIX, closing *any* descriptor of a file drops every fcntl lock the process holds on it, so an
open()/close() of a live database in a process that has it open in SQLite silently releases that
process's locks; another process then believes it is alone and deletes the -wal/-shm under it
(data loss). While it is open here, `is_encrypted` answers from what was read before (see file_header).
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
import stat
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medshare_desktop.core.errors import DatabaseError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "MedShare Desktop"
SQLITE_HEADER = b"SQLite format 3\x00"


def sqlcipher_module() -> Any | None:
    """The SQLCipher DB-API module, or None when no driver is installed on this computer."""
    try:
        import sqlcipher3
    except ImportError:
        return None
    return sqlcipher3


def key_name(db_file: str | Path) -> str:
    return f"database-key:{Path(db_file).resolve()}"


HEADER_BYTES = 100  # SQLite's database header


@dataclass(frozen=True, slots=True)
class _Seen:
    inode: tuple[int, int] | None  # (device, inode) of the file read; None: it did not exist (yet)
    header: bytes  # its first HEADER_BYTES bytes; b"" for a missing or empty file (a new, plain database)
    size: int | None = None  # its size when the header was read


_seen: dict[str, _Seen] = {}
_open_here: dict[str, int] = {}  # resolved path -> open Database objects of this process on it
_seen_lock = threading.Lock()


def opened_here(db_file: str | Path) -> None:
    """A Database of this process opened the file: from now on it is never read outside SQLite."""
    name = str(Path(db_file).resolve())
    with _seen_lock:
        _open_here[name] = _open_here.get(name, 0) + 1


def closed_here(db_file: str | Path) -> None:
    name = str(Path(db_file).resolve())
    with _seen_lock:
        if _open_here.get(name, 0) <= 1:
            _open_here.pop(name, None)
        else:
            _open_here[name] -= 1


def _stat(path: Path) -> os.stat_result | None:
    try:
        info = os.stat(path)  # stat() opens nothing: it cannot release a lock
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def _inode(path: Path) -> tuple[int, int] | None:
    info = _stat(path)
    return (info.st_dev, info.st_ino) if info is not None else None


def file_header(db_file: str | Path) -> bytes:
    """The first bytes of a database file as this process first saw it (b"": missing or empty: a new one).

    While a Database of this process has the file open, the answer read before it opened is reused
    (and the file read again only if it was replaced by another file, a new inode, as `os.replace`
    makes: SQLite here holds the old one). When none has it open, the file is read afresh, so a file
    replaced by another program is seen for what it now is.
    """
    return _seen_file(db_file).header


def file_size_when_read(db_file: str | Path) -> int | None:
    """The file's size at the moment its header was read (None: missing or empty then)."""
    return _seen_file(db_file).size


def _seen_file(db_file: str | Path) -> _Seen:
    path = Path(db_file).resolve()
    name = str(path)
    info = _stat(path)
    inode = (info.st_dev, info.st_ino) if info is not None else None
    with _seen_lock:
        seen = _seen.get(name)
        live = _open_here.get(name, 0) > 0  # while open here an inode cannot be reused: same inode, same file
        if seen is not None and live and (seen.inode is None or seen.inode == inode):
            if seen.inode is None and inode is not None:  # created since, by SQLite: plain and new
                seen = _seen[name] = _Seen(inode, seen.header)
            return seen
        header = b""
        if info is not None and info.st_size > 0:
            with open(path, "rb") as handle:  # not yet open in SQLite in this process (see the module doc)
                header = handle.read(HEADER_BYTES)
        seen = _seen[name] = _Seen(inode, header, info.st_size if header and info is not None else None)
        return seen


def reread(db_file: str | Path) -> None:
    """Forget what the file was and read it again, after this process replaced or rewrote it (encrypt, restore).

    Call it only when no SQLite connection of this process is open on the file.
    """
    with _seen_lock:
        _seen.pop(str(Path(db_file).resolve()), None)
    _seen_file(db_file)


def is_encrypted(db_file: str | Path) -> bool:
    """True for an existing, non-empty file that is not a plain SQLite database (read safely: see file_header)."""
    head = file_header(db_file)[: len(SQLITE_HEADER)]
    return bool(head) and head != SQLITE_HEADER


def stored_key(db_file: str | Path) -> str | None:
    import keyring

    try:
        return keyring.get_password(KEYRING_SERVICE, key_name(db_file))
    except Exception as exc:  # noqa: BLE001 - a keyring that cannot be reached is reported as missing
        log.warning("keyring not available: %s", type(exc).__name__)
        return None


def required_key(db_file: str | Path) -> str:
    """The key of an encrypted database, or a DatabaseError that says what is missing."""
    if sqlcipher_module() is None:
        raise DatabaseError(
            f"The database {db_file} is encrypted, but SQLCipher support (the sqlcipher3 package) "
            "is not installed on this computer."
        )
    key = stored_key(db_file)
    if not key:
        raise DatabaseError(
            f"The database {db_file} is encrypted but its key is not in this computer's keyring. "
            "Open it on the computer where it was encrypted, or restore an unencrypted backup."
        )
    return key


def pragma_key(key: str) -> str:
    """The raw-key form SQLCipher accepts without a slow key derivation: x'<64 hex digits>'."""
    return f"x'{key}'"


def connect_raw(db_file: str | Path, key: str | None, **kwargs: Any) -> Any:
    """A DB-API connection to a plain (key None) or encrypted database; PRAGMA key runs first."""
    if key is None:
        return sqlite3.connect(str(db_file), **kwargs)
    module = sqlcipher_module()
    if module is None:
        raise DatabaseError("SQLCipher support (the sqlcipher3 package) is not installed on this computer.")
    conn = module.connect(str(db_file), **kwargs)
    conn.execute("PRAGMA cipher_log_level = NONE")  # failures are raised to us; SQLCipher need not print them
    conn.execute(f'PRAGMA key="{pragma_key(key)}"')
    return conn


def export_copy(source: Path, source_key: str | None, target: Path, target_key: str | None) -> None:
    """Copy `source` into a new `target` with sqlcipher_export, changing encryption (None = plain)."""
    module = sqlcipher_module()
    if module is None:
        raise DatabaseError(
            "Encryption needs SQLCipher (the sqlcipher3 package), which is not installed on this computer."
        )
    target.unlink(missing_ok=True)
    conn = module.connect(str(source), isolation_level=None)
    try:
        if source_key is not None:
            conn.execute(f'PRAGMA key="{pragma_key(source_key)}"')
        literal = pragma_key(target_key) if target_key is not None else ""
        conn.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(target), literal))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version={int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()


def encrypt_database(db_file: str | Path) -> str:
    """Encrypt a plain database in place (atomically): returns the keyring entry's name.

    The caller must have closed every connection to the file (the app's engine included).
    """
    import keyring

    path = Path(db_file).resolve()
    if not path.exists():
        raise DatabaseError(f"{path}: no such database")
    if is_encrypted(path):
        raise DatabaseError(f"The database {path} is already encrypted.")
    plain = sqlite3.connect(str(path))
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if plain.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise DatabaseError(f"The database {path} is damaged; restore a backup before encrypting it.")
        tables = _counts(plain)
    finally:
        plain.close()
    key = secrets.token_hex(32)
    temporary = path.with_name(path.name + ".encrypting")
    export_copy(path, None, temporary, key)
    check = connect_raw(temporary, key)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok" or _counts(check) != tables:
            raise DatabaseError("The encrypted copy did not match the database; nothing was changed.")
    finally:
        check.close()
    keyring.set_password(KEYRING_SERVICE, key_name(path), key)  # before the swap: never a file without its key
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    _fsync(temporary)
    os.replace(temporary, path)
    reread(path)  # every connection is closed (see above)
    log.info("database encrypted (%d tables copied)", len(tables))
    return key_name(path)


def _counts(conn: Any) -> dict[str, int]:
    names = [
        r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
    ]
    return {name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}


def _fsync(path: Path) -> None:
    """Flush a file no SQLite connection of this process has open (a copy about to be renamed into place)."""
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
