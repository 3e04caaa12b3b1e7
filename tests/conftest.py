"""Shared fixtures: an offscreen Qt platform, a private data folder, and services on a real SQLite file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["MEDSHARE_DATA_DIR"] = tempfile.mkdtemp(prefix="medshare-tests-")
os.environ.pop("MEDSHARE_DB", None)
os.environ["PYTHON_KEYRING_BACKEND"] = "tests.keyring_memory.MemoryKeyring"
# one keyring for the test run and the `medshare` subprocesses it starts, as a real keyring is
os.environ["MEDSHARE_TEST_KEYRING_FILE"] = os.path.join(tempfile.mkdtemp(prefix="medshare-keyring-"), "keyring.json")


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path}/medshare.db"


@pytest.fixture
def analyzer_factory() -> object:
    """The risk engine the `services` fixture is built with: None is the real one (tests/ui gives a stub)."""
    return None


@pytest.fixture
def services(db_url: str, analyzer_factory: object) -> Iterator[object]:
    from medshare_desktop.bootstrap import build_services

    built = build_services(db_url, actor="tester", analyzer_factory=analyzer_factory)
    yield built
    built.close()


def make_imported(n: int, platform: str = "linkedin", handle: str = "anika-patel-md", start: int = 0) -> list[object]:
    from medshare_desktop.core.models import ImportedPost, Platform

    return [
        ImportedPost(
            Platform(platform),
            f"Post number {i}: proud of our cardiology team and the flu shot clinic #{i}",
            datetime(2026, 10, 1 + i % 28, 9, 0, tzinfo=UTC),
            author="Dr. Anika Patel",
            handle=handle,
            external_id=f"ext-{i}",
            url=f"https://www.linkedin.com/feed/update/urn:li:share:{i}",
        )
        for i in range(start, start + n)
    ]
