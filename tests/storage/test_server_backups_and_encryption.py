"""On a team server the app takes no file backups and encrypts nothing: it says plainly that both are the
server's job (pg_dump / point-in-time recovery, an encrypted volume) instead of failing or pretending."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from medshare_desktop.bootstrap import build_services
from medshare_desktop.cli import parse_args, run
from medshare_desktop.core.errors import DatabaseError

pytestmark = pytest.mark.postgresql


@pytest.fixture
def server(pg_url: str, tmp_path: Path) -> Iterator[object]:
    services = build_services(pg_url, actor="tester", backup_folder=tmp_path / "backups")
    yield services
    services.close()


def test_a_server_database_has_no_app_backups_and_nothing_is_written_to_the_backups_folder(server, tmp_path) -> None:
    assert server.backups is None
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())


def test_the_encryption_status_says_encryption_at_rest_is_the_servers_job_and_encrypting_is_refused(server) -> None:
    status = server.encryption.status()
    assert status.on_server and not status.applicable and not status.can_encrypt
    assert "team server" in status.summary() and "server's job" in status.summary()
    with pytest.raises(DatabaseError, match="server's job"):
        server.encryption.encrypt()


@pytest.mark.parametrize("command", [["backup"], ["restore", "old.db"], ["encrypt"]])
def test_backup_restore_and_encrypt_commands_name_the_server_and_say_whose_job_it_is(
    pg_url: str, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(parse_args(["--db", pg_url, *command])) == 2
    err = capsys.readouterr().err
    assert "127.0.0.1" in err or "localhost" in err  # the server, by name
    assert "server's job" in err
    assert ("pg_dump" in err and "docs/team_mode.md" in err) if command[0] != "encrypt" else "encrypted disk" in err
    assert "password" not in err.lower() and (make_password(pg_url) or "\0") not in err


def make_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).password or ""
