"""The core's DatabaseEncryptor port over the app's SQLite file: SQLCipher, key in the OS keyring."""

from __future__ import annotations

from pathlib import Path

from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.core.services.encryption_service import EncryptionStatus
from medshare_desktop.storage import encryption
from medshare_desktop.storage.backup import encrypt_backups
from medshare_desktop.storage.database import Database, sqlite_file


class SqlCipherEncryptor:
    def __init__(self, database: Database, backup_folder: Path) -> None:
        self._database = database
        db_file = sqlite_file(database.url)
        self._file = Path(db_file) if db_file else None
        self._folder = backup_folder

    def status(self) -> EncryptionStatus:
        available = encryption.sqlcipher_module() is not None
        if self._file is None:
            on_server = self._database.engine.dialect.name != "sqlite"
            return EncryptionStatus(available, False, applicable=False, on_server=on_server)
        encrypted = encryption.is_encrypted(self._file)
        return EncryptionStatus(available, encrypted, True, encryption.key_name(self._file) if encrypted else "")

    def encrypt(self) -> tuple[str, int]:
        if self._file is None:
            raise DatabaseError(self.status().summary())
        if self._database.read_only:
            raise DatabaseError("This window is read-only (another instance has the database open).")
        self._database.dispose()  # every pooled connection closed: the file is replaced underneath
        try:
            entry = encryption.encrypt_database(self._file)
        finally:
            self._database.reopen()
        key = encryption.stored_key(self._file)
        converted = encrypt_backups(self._folder, self._file, key) if key else 0
        return entry, converted
