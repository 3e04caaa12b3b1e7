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


# Storage, service and UI tests that use `db_url` (or `services`) run on both engines: the embedded SQLite
# file and a PostgreSQL database (team mode, issue 17). A test that is about SQLite itself (the file, its
# locks, encryption, backups of the file) carries @pytest.mark.sqlite_only.
BOTH_ENGINE_FOLDERS = ("storage", "core", "ui")
_TESTS = Path(__file__).resolve().parent


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_engine" not in metafunc.fixturenames:
        return
    try:
        folder = Path(str(metafunc.definition.path)).resolve().relative_to(_TESTS).parts[0]
    except ValueError:
        folder = ""
    both = folder in BOTH_ENGINE_FOLDERS and metafunc.definition.get_closest_marker("sqlite_only") is None
    engines = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)] if both else ["sqlite"]
    metafunc.parametrize("db_engine", engines, indirect=True)


@pytest.fixture
def db_engine(request: pytest.FixtureRequest) -> str:
    return str(getattr(request, "param", "sqlite"))


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The PostgreSQL server of this run: MEDSHARE_TEST_PG_URL, or a throw-away cluster started here."""
    from tests import pg_databases

    server = pg_databases.server_for_run(tmp_path_factory)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def pg_url(pg_server: object) -> Iterator[str]:
    """A fresh PostgreSQL database at the app's newest schema (a copy of a template migrated once)."""
    yield from pg_server.fresh_database()  # type: ignore[attr-defined]


@pytest.fixture
def db_url(request: pytest.FixtureRequest, db_engine: str, tmp_path: Path) -> str:
    if db_engine == "postgresql":
        return str(request.getfixturevalue("pg_url"))
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
