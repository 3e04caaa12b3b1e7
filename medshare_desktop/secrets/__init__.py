"""Secrets adapter: API tokens in the operating system's keyring (no Qt, no database).

KeyringTokenStore implements the core's TokenStore port. A token is kept only in the keyring:
never in the database, a settings or config file, an error message or a log line.
KeyringAuditKeyStore implements the AuditKeyStore port: the keys sealing the audit trail, likewise.
"""

from __future__ import annotations

from medshare_desktop.secrets.audit_keys import AuditKeyError, KeyringAuditKeyStore
from medshare_desktop.secrets.keyring_store import SERVICE_NAME, KeyringTokenStore, TokenStoreError

__all__ = ["SERVICE_NAME", "AuditKeyError", "KeyringAuditKeyStore", "KeyringTokenStore", "TokenStoreError"]
