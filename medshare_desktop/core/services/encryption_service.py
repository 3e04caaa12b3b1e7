"""Encryption at rest as a use case: what the database's state is, and encrypting it (opt-in).

The storage adapter (storage/encryption_store.py: SqlCipherEncryptor) implements DatabaseEncryptor.
When the SQLCipher driver is not installed the status says so and the database stays unencrypted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.core.ports import UnitOfWorkFactory
from medshare_desktop.core.services.audit_service import AuditService

UNAVAILABLE = (
    "Encryption is not available on this computer: it needs SQLCipher (the sqlcipher3 package, "
    'installed with `pip install "medshare-desktop[encryption]"`), which is missing, so the database stays '
    "unencrypted."
)

ON_SERVER = (
    "This database is on a team server: encryption at rest is the server's job (an encrypted disk or volume "
    "on the database server, set up by hospital IT; the desks reach it over TLS), see docs/team_mode.md. "
    "Nothing on this computer holds the data, so there is nothing here to encrypt."
)


@dataclass(frozen=True, slots=True)
class EncryptionStatus:
    available: bool  # the SQLCipher driver is installed
    encrypted: bool
    applicable: bool = True  # False for an in-memory or server database
    keyring_entry: str = ""
    on_server: bool = False  # a team server: encryption at rest is the server's job

    def summary(self) -> str:
        if self.on_server:
            return ON_SERVER
        if not self.applicable:
            return "Encryption applies to a database file; this database is in memory or on a server."
        if self.encrypted:
            return (
                "The database is encrypted with SQLCipher. Its key is in this computer's keyring "
                f"({self.keyring_entry}); without that entry the database cannot be opened."
            )
        if not self.available:
            return UNAVAILABLE
        return (
            "The database is not encrypted. Encrypting it generates a random key kept in this computer's "
            "keyring; its backups are encrypted with the same key."
        )

    @property
    def can_encrypt(self) -> bool:
        return self.applicable and self.available and not self.encrypted


class DatabaseEncryptor(Protocol):
    def status(self) -> EncryptionStatus: ...
    def encrypt(self) -> tuple[str, int]:
        """Encrypt in place; returns (keyring entry name, number of backups encrypted too)."""
        ...


class EncryptionService:
    def __init__(self, encryptor: DatabaseEncryptor, uow: UnitOfWorkFactory, audit: AuditService) -> None:
        self._encryptor = encryptor
        self._uow = uow
        self._audit = audit

    def status(self) -> EncryptionStatus:
        return self._encryptor.status()

    def encrypt(self) -> str:
        """Encrypt the database (refused with a clear message when it cannot be); returns a summary."""
        status = self._encryptor.status()
        if not status.can_encrypt:
            raise DatabaseError(status.summary() if not status.encrypted else "The database is already encrypted.")
        entry, converted = self._encryptor.encrypt()
        with self._uow() as tx:
            self._audit.record(tx, "database.encrypted", "database", None, after={"backups_encrypted": converted})
        return (
            f"The database is now encrypted with SQLCipher; its key is in this computer's keyring ({entry}); "
            f"{converted} backup(s) encrypted with it."
        )
