"""KeyringAuditKeyStore: the keys that seal the audit trail, in the OS keyring, never in the database.

Each trail gets its own random 256-bit key when its first sealed event is written, stored under the
service "MedShare Desktop" as "audit-key:<key id>"; the key id (16 random hex digits, not derived
from the key) is written beside every event it seals. Naming keys by id rather than by the
database's path means a backup restored here, or a copy of the database opened from another folder,
still finds its key on this computer; on another computer the entry has to be copied over
(docs/reliability.md). A key is never logged or shown.
"""

from __future__ import annotations

import logging
import secrets

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.secrets.keyring_store import SERVICE_NAME

log = logging.getLogger(__name__)

ENTRY_PREFIX = "audit-key:"


class AuditKeyError(MedshareError):
    """The keyring cannot hold a new audit key (none installed, locked, or it refused)."""


def entry_name(key_id: str) -> str:
    return ENTRY_PREFIX + key_id


class KeyringAuditKeyStore:
    """The core's AuditKeyStore port over `keyring` (or a given backend, for tests)."""

    def __init__(self, service: str = SERVICE_NAME, backend: KeyringBackend | None = None) -> None:
        self._service = service
        self._backend = backend

    def _keyring(self) -> KeyringBackend:
        return self._backend or keyring.get_keyring()

    def load(self, key_id: str) -> bytes | None:
        try:
            value = self._keyring().get_password(self._service, entry_name(key_id))
        except (KeyringError, RuntimeError, OSError) as error:
            log.warning("keyring could not read audit key %s (%s)", key_id, type(error).__name__)
            return None
        if not value:
            return None
        try:
            key = bytes.fromhex(value)
        except ValueError:
            log.warning("keyring entry for audit key %s is not a key", key_id)
            return None
        return key or None

    def create(self) -> tuple[str, bytes]:
        key_id, key = secrets.token_hex(8), secrets.token_bytes(32)
        try:
            backend = self._keyring()
            backend.set_password(self._service, entry_name(key_id), key.hex())
            stored = backend.get_password(self._service, entry_name(key_id))
        except (KeyringError, RuntimeError, OSError) as error:
            raise AuditKeyError(
                f"The system keyring could not store the audit trail's key ({type(error).__name__}); "
                "events are recorded but not sealed until a keyring is available."
            ) from None
        if stored != key.hex():
            raise AuditKeyError("The system keyring did not keep the audit trail's key; events are not sealed.")
        return key_id, key
