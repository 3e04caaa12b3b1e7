"""The status bar says where the data lives: the file, or the team server's login, host and database,
never its password or connection options."""

from __future__ import annotations

from types import SimpleNamespace

from medshare_desktop.app import _database_label


def _label(url: str) -> str:
    return _database_label(SimpleNamespace(database_url=url))  # type: ignore[arg-type]


def test_a_file_is_named_by_its_path() -> None:
    assert _label("sqlite:////home/maya/medshare.db") == "Database: /home/maya/medshare.db"


def test_a_team_server_is_named_by_login_host_and_database_without_password_or_options() -> None:
    label = _label("postgresql+psycopg://amy_chen:s3cret%21@db.hospital.org:5433/medshare?sslmode=verify-full"
                   "&sslrootcert=/etc/ssl/ca.pem")
    assert label == "Team server: amy_chen @ db.hospital.org:5433/medshare"
    assert "s3cret" not in label and "sslrootcert" not in label


def test_escaped_names_are_shown_as_typed() -> None:
    assert _label("postgresql+psycopg://ops%40north@db/med%20share") == "Team server: ops@north @ db/med share"
