"""A team-server URL without a password: the engine takes it from the keyring, under the screen's entry.

Against the run's real PostgreSQL server, with a role and a database whose names need escaping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import keyring
import pytest
from psycopg import sql
from sqlalchemy import text
from sqlalchemy.engine import make_url

from medshare_desktop.core.database_location import ServerAddress, TlsMode, parse_server_url
from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.storage import open_database
from medshare_desktop.storage.database import make_engine
from medshare_desktop.storage.server_connection import KEYRING_SERVICE, ConfigFileDatabaseChoice, PostgresServerProbe
from tests.keyring_memory import MemoryKeyring
from tests.pg_databases import _admin_connect

USER = f"j.doe@west:{os.getpid()}/ed"
PASSWORD = "p@ss:w/rd?#&=%+ é"
DATABASE = f"med share/{os.getpid()}?x=1"


@dataclass
class Desk:
    address: ServerAddress


@pytest.fixture
def desk(pg_server) -> Iterator[Desk]:
    """A role and an empty database with awkward names on the run's server; dropped afterwards."""
    admin = make_url(pg_server.admin_url)
    with _admin_connect(pg_server.admin_url) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(USER), sql.Literal(PASSWORD)))
        conn.execute(f'CREATE DATABASE "{DATABASE}" OWNER "{USER}"')
    MemoryKeyring.clear()
    try:
        yield Desk(ServerAddress(admin.host or "127.0.0.1", DATABASE, USER, admin.port or 5432, TlsMode.DISABLE))
    finally:
        MemoryKeyring.clear()
        with _admin_connect(pg_server.admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{USER}"')


def test_the_driver_gets_the_decoded_user_password_database_and_tls_options() -> None:
    address = ServerAddress("db.example", DATABASE, USER, 6543, TlsMode.VERIFY_CA, "/etc/ssl/a b&c.crt")
    engine = make_engine(address.url(password=PASSWORD))
    try:
        _args, params = engine.dialect.create_connect_args(engine.url)
    finally:
        engine.dispose()
    params.pop("context", None)  # psycopg's adapters
    assert params == {"host": "db.example", "port": 6543, "user": USER, "password": PASSWORD, "dbname": DATABASE,
                      "sslmode": "verify-ca", "sslrootcert": "/etc/ssl/a b&c.crt"}


@pytest.mark.postgresql
def test_a_url_without_password_opens_with_the_password_saved_in_the_keyring(desk: Desk) -> None:
    url = desk.address.url()
    assert parse_server_url(url).password is None
    keyring.set_password(KEYRING_SERVICE, desk.address.password_entry, PASSWORD)
    database = open_database(url)  # an empty database: migrated to head as the owner
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT session_user")).scalar() == USER
            assert conn.execute(text("SELECT current_database()")).scalar() == DATABASE
    finally:
        database.dispose()
    check = PostgresServerProbe().check(desk.address, PASSWORD)
    assert check.ok and "at this app's version" in check.message, check.message


@pytest.mark.postgresql
def test_without_a_stored_password_the_message_says_where_to_put_it(desk: Desk) -> None:
    with pytest.raises(DatabaseError) as raised:
        open_database(desk.address.url())
    message = str(raised.value)
    assert "none is stored in this computer's keyring" in message
    assert "Settings → Database" in message
    assert desk.address.password_entry in message  # the entry `keyring set` needs
    assert PASSWORD not in message


@pytest.mark.postgresql
def test_a_wrong_password_in_the_keyring_is_named_as_such(desk: Desk) -> None:
    keyring.set_password(KEYRING_SERVICE, desk.address.password_entry, "not-it")
    with pytest.raises(DatabaseError, match="refused the password for user"):
        open_database(desk.address.url())


def test_a_url_with_a_password_is_never_written_to_the_config(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("MEDSHARE_DATA_DIR", str(tmp_path))
    store = ConfigFileDatabaseChoice()
    with pytest.raises(DatabaseError, match="not written to disk"):
        store.save(ServerAddress("h", "d", "u").url(password="secret"))
    assert store.load() is None
    assert "secret" not in "".join(p.read_text() for p in tmp_path.rglob("*") if p.is_file())
