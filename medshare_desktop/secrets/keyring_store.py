"""KeyringTokenStore: API tokens in the system keyring (Windows Credential Manager, macOS
Keychain, Secret Service/KWallet on Linux) under the service name "MedShare Desktop".

Keys look like "token:mastodon:instance.social". Keyrings cannot list their entries, so the
names of the keys that hold a token are kept in one more keyring entry ("index"): names only.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from typing import TypeVar

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import KeyringError, NoKeyringError, PasswordDeleteError

from medshare_desktop.core.errors import MedshareError, ValidationError

log = logging.getLogger(__name__)

SERVICE_NAME = "MedShare Desktop"
INDEX_KEY = "index"
NO_KEYRING_MESSAGE = (
    "No system keyring is available: tokens cannot be stored. Public sources still refresh without "
    "a token; to save one, install or unlock a keyring (Windows Credential Manager, macOS Keychain, "
    "GNOME Keyring or KWallet) and try again."
)
T = TypeVar("T")
_KEY = re.compile(r"^token:[a-z][a-z0-9_-]*:[A-Za-z0-9._:-]+$")


class TokenStoreError(MedshareError):
    """The keyring is missing, locked or refused the change; the message never holds a token."""


def check_key(key: str) -> str:
    key = key.strip()
    if not _KEY.match(key):
        raise ValidationError(f"{key[:60]!r} is not a token name like token:mastodon:instance.social.")
    return key


class KeyringTokenStore:
    """The core's TokenStore port over `keyring` (or a given backend, for tests)."""

    def __init__(self, service: str = SERVICE_NAME, backend: KeyringBackend | None = None) -> None:
        self._service = service
        self._backend = backend
        self._lock = threading.Lock()  # the index is read-modify-write

    def get(self, key: str) -> str | None:
        key = check_key(key)
        return self._call("read the token", lambda kr: kr.get_password(self._service, key))

    def set(self, key: str, value: str) -> None:
        key = check_key(key)
        token = value.strip()
        if not token:
            raise ValidationError("Paste the token first.")
        if any(c in token for c in "\r\n\t ") or not token.isprintable():
            raise ValidationError("A token is one line without spaces; paste it again.")
        with self._lock:
            self._call("save the token", lambda kr: kr.set_password(self._service, key, token), secret=token)
            self._write_index(self._read_index() | {key})
        log.info("token saved for %s", key)

    def delete(self, key: str) -> None:
        key = check_key(key)
        with self._lock:
            self._call("remove the token", lambda kr: _delete(kr, self._service, key))
            self._write_index(self._read_index() - {key})
        log.info("token removed for %s", key)

    def keys(self) -> list[str]:
        """The names of the keys that hold a token (never the tokens)."""
        return sorted(self._read_index())

    # --- helpers --------------------------------------------------------------------------
    def _read_index(self) -> set[str]:
        text = self._call("read the list of tokens", lambda kr: kr.get_password(self._service, INDEX_KEY))
        return {line for line in (text or "").splitlines() if _KEY.match(line)}

    def _write_index(self, keys: set[str]) -> None:
        if keys:
            text = "\n".join(sorted(keys))
            self._call("save the list of tokens", lambda kr: kr.set_password(self._service, INDEX_KEY, text))
        else:
            self._call("save the list of tokens", lambda kr: _delete(kr, self._service, INDEX_KEY))

    def _call(self, action: str, fn: Callable[[KeyringBackend], T], secret: str = "") -> T:
        try:
            return fn(self._backend or keyring.get_keyring())
        except NoKeyringError:
            raise TokenStoreError(NO_KEYRING_MESSAGE) from None
        except (KeyringError, RuntimeError, OSError) as err:
            detail = str(err).replace(secret, "…") if secret else str(err)
            log.warning("keyring could not %s (%s)", action, type(err).__name__)
            raise TokenStoreError(
                f"The system keyring could not {action} ({type(err).__name__}: {detail[:120]}). "
                "Unlock the keyring and try again."
            ) from None


def _delete(backend: KeyringBackend, service: str, key: str) -> None:
    try:
        backend.delete_password(service, key)
    except PasswordDeleteError:
        pass  # nothing saved under that name: already removed
