"""A team server saved in Settings → Database that cannot be opened at start: the problem dialog names
it and offers this computer's own database for this session, leaving the saved choice as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool

from medshare_desktop import paths
from medshare_desktop.app import open_services_or_recover
from medshare_desktop.core.database_location import ServerAddress, TlsMode
from tests.database_problem import answer_when_shown, start_args
from tests.pg_server import free_port


def test_an_unreachable_saved_server_offers_this_computers_database(qtbot, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDSHARE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv(paths.DB_ENV_VAR, raising=False)
    port = free_port()  # nothing listens there
    saved = ServerAddress("127.0.0.1", "medshare", "amy_chen", port, TlsMode.DISABLE).url()
    paths.save_database_url(saved)
    args = start_args(None)
    seen: dict[str, object] = {}
    answer_when_shown("local", seen)
    opened = open_services_or_recover(args)
    assert opened is not None
    services, guard, _notice = opened
    try:
        assert f"Nothing answers at 127.0.0.1:{port}" in str(seen["text"])
        assert "Open this computer's database" in seen["buttons"]  # type: ignore[operator]
        assert str(paths.default_db_path()) in str(seen["note"])
        assert services.database_url == "sqlite:///" + str(paths.default_db_path())
        assert args.database_fallback is True
        assert paths.saved_database_url() == saved  # the saved choice is left for the user to change
    finally:
        QThreadPool.globalInstance().waitForDone(10_000)
        services.close()
        if guard is not None:
            guard.release()


def test_a_database_named_with_dash_dash_db_is_not_second_guessed(qtbot, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDSHARE_DATA_DIR", str(tmp_path))
    url = ServerAddress("127.0.0.1", "medshare", "amy_chen", free_port(), TlsMode.DISABLE).url()
    seen: dict[str, object] = {}
    answer_when_shown("quit", seen)
    assert open_services_or_recover(start_args(url)) is None
    assert seen["buttons"] == ["Quit"]
