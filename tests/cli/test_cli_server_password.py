"""`--db` / `MEDSHARE_DB` with a team-server URL that has no password: the keyring's, under the screen's entry.

Real `medshare` processes against the run's PostgreSQL server; the test keyring is shared with them
(tests/keyring_memory.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from medshare_desktop.core.database_location import parse_server_url
from medshare_desktop.storage.server_connection import KEYRING_SERVICE
from tests.cli.test_cli_database_problems import _one_line_error, medshare
from tests.keyring_memory import MemoryKeyring

pytestmark = pytest.mark.postgresql


@pytest.fixture
def server_url(pg_server) -> Iterator[tuple[str, str]]:
    """A migrated database's URL without its password, and that password."""
    name = pg_server.new_database()
    full = parse_server_url(pg_server.url_for(name))
    MemoryKeyring.clear()
    try:
        yield full.address.url(), full.password or ""
    finally:
        MemoryKeyring.clear()
        pg_server.drop(name)


def test_without_a_stored_password_the_command_says_where_to_store_it(tmp_path: Path, server_url) -> None:
    url, _password = server_url
    line = _one_line_error(medshare(tmp_path, "--db", url, "audit", "verify"))
    entry = parse_server_url(url).address.password_entry
    assert "none is stored in this computer's keyring" in line
    assert f'keyring set "{KEYRING_SERVICE}" "{entry}"' in line


def test_with_the_password_in_the_keyring_both_db_and_the_environment_open_the_server(tmp_path: Path,
                                                                                      server_url) -> None:
    url, password = server_url
    keyring.set_password(KEYRING_SERVICE, parse_server_url(url).address.password_entry, password)
    by_option = medshare(tmp_path, "--db", url, "audit", "verify")
    assert by_option.returncode == 0, by_option.stderr
    by_environment = medshare(tmp_path, "audit", "verify", db=url)  # type: ignore[arg-type]
    assert by_environment.returncode == 0, by_environment.stderr
    assert password not in by_option.stdout + by_option.stderr + by_environment.stdout + by_environment.stderr
