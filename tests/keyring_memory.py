"""An in-memory keyring backend for the tests (PYTHON_KEYRING_BACKEND=tests.keyring_memory.MemoryKeyring):
nothing reaches the developer's real keyring.

Like a real keyring it is shared by every process of the test run: when MEDSHARE_TEST_KEYRING_FILE
names a file (tests/conftest.py puts one in the run's temporary folder), each call reads the entries
from it and each change writes them back, so a `medshare` subprocess sees the keys the test process
stored (the audit trail's key, for one) and the other way round.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import ClassVar

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

SHARED_FILE = "MEDSHARE_TEST_KEYRING_FILE"


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]  # chosen explicitly through the environment anyway

    passwords: ClassVar[dict[tuple[str, str], str]] = {}  # shared: keyring keeps one instance

    def get_password(self, service: str, username: str) -> str | None:
        self._load()
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._load()
        self.passwords[(service, username)] = password
        self._save()

    def delete_password(self, service: str, username: str) -> None:
        self._load()
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise PasswordDeleteError(f"no password for {username!r}") from None
        self._save()

    @classmethod
    def clear(cls) -> None:
        cls.passwords.clear()
        cls._save()

    @classmethod
    def _file(cls) -> Path | None:
        name = os.environ.get(SHARED_FILE)
        return Path(name) if name else None

    @classmethod
    def _load(cls) -> None:
        path = cls._file()
        if path is None:
            return
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
        except (FileNotFoundError, ValueError):
            entries = []
        cls.passwords.clear()
        cls.passwords.update({(service, user): value for service, user, value in entries})

    @classmethod
    def _save(cls) -> None:
        path = cls._file()
        if path is None:
            return
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        temporary.write_text(json.dumps([[s, u, v] for (s, u), v in cls.passwords.items()]), encoding="utf-8")
        os.replace(temporary, path)
