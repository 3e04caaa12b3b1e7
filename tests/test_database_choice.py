"""Which database the app opens: --db, then MEDSHARE_DB, then the choice saved in Settings → Database,
then this computer's default file."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshare_desktop import paths

SAVED = "postgresql+psycopg://jdoe@db.hospital.example:5432/medshare?sslmode=verify-full"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MEDSHARE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv(paths.DB_ENV_VAR, raising=False)
    return tmp_path


def test_precedence_is_dash_dash_db_then_environment_then_saved_then_default(data_dir: Path, monkeypatch) -> None:
    default = "sqlite:///" + str(data_dir / "medshare.db")
    assert paths.database_url() == default and paths.database_source() == "default"

    paths.save_database_url(SAVED)
    assert paths.database_url() == SAVED and paths.database_source() == "saved"

    monkeypatch.setenv(paths.DB_ENV_VAR, str(data_dir / "env.db"))
    assert paths.database_url() == "sqlite:///" + str(data_dir / "env.db")
    assert paths.database_source() == paths.DB_ENV_VAR

    assert paths.database_url(str(data_dir / "cli.db")) == "sqlite:///" + str(data_dir / "cli.db")
    assert paths.database_source(str(data_dir / "cli.db")) == "--db"

    monkeypatch.delenv(paths.DB_ENV_VAR)
    paths.save_database_url(None)  # "This computer" saved again
    assert paths.database_url() == default


def test_an_unreadable_config_falls_back_to_the_default_file(data_dir: Path) -> None:
    (paths.config_dir() / paths.DATABASE_CONFIG).write_text("{not json", encoding="utf-8")
    assert paths.database_url() == "sqlite:///" + str(data_dir / "medshare.db")
