"""`medshare migrate-to URL`, run as a real subprocess against the test run's PostgreSQL server."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from medshare_desktop.bootstrap import build_services
from tests.cli.signed_consent import author_with_signed_consent
from tests.cli.test_cli import medshare

pytestmark = pytest.mark.postgresql


def _solo_database(db: Path, tmp_path: Path) -> str:
    """A person with consent and a signed form (in the default evidence folder, as the CLI finds it), posts."""
    services = build_services(f"sqlite:///{db}", actor="solo desk")
    try:
        return author_with_signed_consent(
            services, tmp_path / "form.pdf", b"%PDF-1.4\n% consent of Dr. Patel, moved to the server\n%%EOF\n", posts=3)
    finally:
        services.close()


def test_migrate_to_fills_an_empty_server_then_refuses_it_once_it_holds_data(tmp_path: Path, pg_server) -> None:
    db = tmp_path / "medshare.db"
    _solo_database(db, tmp_path)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    url = make_url(pg_server.url_for(pg_server.new_database(migrated=False)))
    without_password = url._replace(password=None).render_as_string(hide_password=False)

    result = medshare("migrate-to", without_password, "--password-stdin", stdin=f"{url.password}\n", db=db)
    assert result.returncode == 0, result.stderr
    progress = result.stderr.splitlines()
    assert all(line.startswith("medshare: migrate-to: ") for line in progress)
    assert "medshare: migrate-to: Copied person: 1 row(s)" in progress
    assert any(line.startswith("medshare: migrate-to: Copied 1 evidence file(s) (") for line in progress)
    assert "counts and checksums match and the audit trail verifies on the server" in result.stdout
    assert str(url.password) not in result.stdout + result.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before

    on_server = medshare("--db", url.render_as_string(hide_password=False), "audit", "verify")
    assert on_server.returncode == 0, on_server.stderr
    assert "audit trail intact" in on_server.stdout

    again = medshare("migrate-to", url.render_as_string(hide_password=False), db=db)
    assert again.returncode == 2
    last = again.stderr.splitlines()[-1]
    assert last.startswith("medshare: error: The database ") and "already holds data" in last
    assert "nothing was copied" in last
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_migrate_to_names_a_bad_address_and_a_missing_file(tmp_path: Path) -> None:
    result = medshare("migrate-to", "db.example/medshare", db=tmp_path / "medshare.db")
    assert result.returncode == 2
    assert result.stderr == ("medshare: error: db.example/medshare: not a server address; give one like "
                             "postgresql+psycopg://user@host/database\n")
    missing = medshare("migrate-to", "postgresql+psycopg://u@127.0.0.1:1/x", db=tmp_path / "none.db")
    assert missing.returncode == 2
    assert missing.stderr.splitlines()[-1] == f"medshare: error: {tmp_path / 'none.db'}: no database there; name " \
        "the file to move with --db"
