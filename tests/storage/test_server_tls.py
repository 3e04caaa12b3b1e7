"""Test connection with TLS as a hospital server has it: verify-full against a certificate for "localhost".

A private throw-away cluster (tests/pg_server.py) with a self-signed certificate that is also its own CA.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from medshare_desktop.core.database_location import ServerAddress, TlsMode
from medshare_desktop.storage.server_connection import PostgresServerProbe
from tests import pg_databases, pg_server

pytestmark = pytest.mark.postgresql


@dataclass
class TlsServer:
    port: int
    ca_file: str

    def address(self, host: str = "localhost", tls: TlsMode = TlsMode.VERIFY_FULL, ca_file: str | None = None) -> ServerAddress:
        return ServerAddress(host, "postgres", pg_server.SUPERUSER, self.port, tls,
                             self.ca_file if ca_file is None else ca_file)


@pytest.fixture(scope="module")
def tls_server() -> Iterator[TlsServer]:
    if pg_server.server_bin() is None or shutil.which("openssl") is None:
        pytest.skip("needs PostgreSQL's server programs and openssl on this computer")
    folder = Path(tempfile.mkdtemp(prefix="medshare-tls-"))
    cluster = pg_server.start(folder)
    try:
        cert, key = folder / "server.crt", folder / "server.key"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                       check=True, capture_output=True, timeout=60)
        os.chmod(key, 0o600)
        for path in (cert, key):
            pg_server._chown_to_server_user(path)
        with pg_databases._admin_connect(cluster.url()) as conn:
            conn.execute(f"ALTER SYSTEM SET ssl_cert_file = '{cert}'")
            conn.execute(f"ALTER SYSTEM SET ssl_key_file = '{key}'")
            conn.execute("ALTER SYSTEM SET ssl = on")
            conn.execute("SELECT pg_reload_conf()")
        yield TlsServer(cluster.port, str(cert))
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_verify_full_with_the_servers_ca_connects(tls_server: TlsServer) -> None:
    check = PostgresServerProbe().check(tls_server.address(), pg_server.PASSWORD)
    assert check.ok, check.message
    assert check.message.startswith(f"Connected to PostgreSQL {check.server_version} at localhost:{tls_server.port}")


def test_a_certificate_for_another_name_fails_in_words(tls_server: TlsServer) -> None:
    check = PostgresServerProbe().check(tls_server.address(host="127.0.0.1"), pg_server.PASSWORD)
    assert not check.ok
    assert check.message == ("The server's certificate failed: it was not issued for the name '127.0.0.1'. Use the "
                             "host name written on the certificate (ask your IT team).")


def test_a_ca_that_did_not_sign_the_certificate_fails_in_words(tls_server: TlsServer, tmp_path: Path) -> None:
    other = tmp_path / "other.crt"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=other",
                    "-keyout", str(tmp_path / "other.key"), "-out", str(other)], check=True, capture_output=True)
    check = PostgresServerProbe().check(tls_server.address(ca_file=str(other)), pg_server.PASSWORD)
    assert not check.ok
    assert check.message.startswith(f"The server's certificate failed for localhost:{tls_server.port}: it is not "
                                    "signed by the CA file chosen here")


def test_a_missing_ca_file_is_named(tls_server: TlsServer, tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.crt")
    check = PostgresServerProbe().check(tls_server.address(ca_file=missing), pg_server.PASSWORD)
    assert check.message == f"The CA file {missing} does not exist on this computer: choose it again."


def test_require_connects_without_checking_the_certificate(tls_server: TlsServer) -> None:
    check = PostgresServerProbe().check(tls_server.address(host="127.0.0.1", tls=TlsMode.REQUIRE, ca_file=""),
                                        pg_server.PASSWORD)
    assert check.ok, check.message
