"""An in-memory keyring backend for the tests (PYTHON_KEYRING_BACKEND=tests.keyring_memory.MemoryKeyring):
nothing reaches the developer's real keyring or a file."""

from __future__ import annotations

from typing import ClassVar

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]  # chosen explicitly through the environment anyway

    passwords: ClassVar[dict[tuple[str, str], str]] = {}  # shared: keyring keeps one instance

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"no password for {username!r}") from None

    @classmethod
    def clear(cls) -> None:
        cls.passwords.clear()
