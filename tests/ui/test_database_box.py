"""Settings → Database: choose this computer or a team server, test the connection, save for the next start.

Against the run's real PostgreSQL server (the `pg_server` fixture) and the tests' in-memory keyring; the
per-user config goes to this test's own folder.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QLabel, QLineEdit
from sqlalchemy.engine import make_url

from medshare_desktop import paths
from medshare_desktop.core.database_location import TlsMode
from medshare_desktop.core.services.database_location_service import DatabaseLocationService
from medshare_desktop.storage.server_connection import (
    KEYRING_SERVICE,
    ConfigFileDatabaseChoice,
    KeyringServerPasswords,
    PostgresServerProbe,
)
from medshare_desktop.ui.settings.database_box import SAVED_PASSWORD_HINT, DatabaseBox
from tests.keyring_memory import MemoryKeyring


@dataclass
class Server:
    host: str
    port: int
    user: str
    password: str
    database: str


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("MEDSHARE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv(paths.DB_ENV_VAR, raising=False)
    MemoryKeyring.clear()
    yield tmp_path
    QThreadPool.globalInstance().waitForDone(20_000)
    MemoryKeyring.clear()


@pytest.fixture
def server(pg_server) -> Iterator[Server]:
    """A database at the app's newest schema on the run's server, and the login that reaches it."""
    name = pg_server.new_database()
    admin = make_url(pg_server.admin_url)
    try:
        yield Server(admin.host or "127.0.0.1", admin.port or 5432, admin.username or "", admin.password or "", name)
    finally:
        pg_server.drop(name)


def make_box(qtbot, config_dir: Path, started_with: str = "default", confirm=lambda *_: False) -> DatabaseBox:
    local = str(config_dir / "medshare.db")
    service = DatabaseLocationService(ConfigFileDatabaseChoice(), KeyringServerPasswords(), PostgresServerProbe(),
                                      local, "sqlite:///" + local, started_with)
    box = DatabaseBox(service, choose_file=lambda _parent: "/etc/ssl/hospital-ca.crt", confirm=confirm)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitUntil(lambda: box.local_file.text() != "", timeout=5_000)
    return box


def fill(box: DatabaseBox, server: Server, password: str) -> None:
    box.team_server.click()
    box.host.setText(server.host)
    box.port.setValue(server.port)
    box.database.setText(server.database)
    box.user.setText(server.user)
    box.password.setText(password)
    box.tls.setCurrentIndex(box.tls.findData(TlsMode.DISABLE.value))  # the test cluster has no certificate


def test_team_server_enables_the_server_fields_and_tls_starts_at_verify_full(qtbot, config_dir: Path) -> None:
    box = make_box(qtbot, config_dir)
    assert box.this_computer.isChecked()
    assert str(config_dir / "medshare.db") in box.local_file.text()
    assert "This window uses " + str(config_dir / "medshare.db") in box.in_use.text()
    assert not box.server_fields.isEnabled()
    assert not box.host.isEnabled() and not box.test_button.isEnabled()

    box.team_server.click()
    assert box.server_fields.isEnabled() and box.host.isEnabled() and box.password.isEnabled()
    assert box.port.value() == 5432
    assert box.tls.currentData() == "verify-full"
    assert box.tls_warning.isHidden()
    assert box.password.echoMode() is QLineEdit.EchoMode.Password

    box.tls.setCurrentIndex(box.tls.findData("require"))
    assert box.tls_warning.isVisible()
    assert "certificate is not checked" in box.tls_warning.text()
    box.browse.click()
    assert box.ca_file.text() == "/etc/ssl/hospital-ca.crt"

    box.host.setText("db.hospital.example")
    box.refresh()  # the page reloads (another desk changed a setting): the choice being edited stays
    qtbot.waitUntil(lambda: not box._tasks.busy(), timeout=5_000)
    assert box.team_server.isChecked() and box.host.text() == "db.hospital.example"

    box.this_computer.click()
    assert not box.server_fields.isEnabled()


def test_a_missing_field_is_named_beside_the_button(qtbot, config_dir: Path) -> None:
    box = make_box(qtbot, config_dir)
    box.team_server.click()
    box.host.setText("db.hospital.example")
    box.test_button.click()
    qtbot.waitUntil(lambda: box.result.text().startswith("✘"), timeout=5_000)
    assert "Enter your user name on the team server" in box.result.text()


@pytest.mark.postgresql
def test_test_connection_reports_the_server_and_schema_or_the_wrong_password(qtbot, config_dir: Path,
                                                                              server: Server) -> None:
    box = make_box(qtbot, config_dir)
    fill(box, server, server.password)
    box.test_button.click()
    qtbot.waitUntil(lambda: box.result.text()[:1] in "✔✘" and box.test_button.isEnabled(), timeout=15_000)
    said = box.result.text()
    assert said.startswith("✔ Connected to PostgreSQL "), said
    assert f"at {server.host}:{server.port}" in said
    assert "is at this app's version" in said

    box.password.setText("not-the-password")
    box.test_button.click()
    qtbot.waitUntil(lambda: box.result.text().startswith("✘") and box.test_button.isEnabled(), timeout=15_000)
    assert box.result.text() == (f"✘ The server at {server.host}:{server.port} refused the password for user "
                                 f"{server.user!r}: check the password (and the user name) and try again.")

    box.port.setValue(1)  # nothing listens there
    box.password.setText(server.password)
    box.test_button.click()
    qtbot.waitUntil(lambda: box.result.text().startswith("✘ Nothing answers"), timeout=15_000)
    assert f"{server.host}:1" in box.result.text()


@pytest.mark.postgresql
def test_saving_puts_the_password_in_the_keyring_and_only_the_address_in_the_config(qtbot, config_dir: Path,
                                                                                   server: Server) -> None:
    box = make_box(qtbot, config_dir)
    fill(box, server, server.password)
    with qtbot.waitSignal(box.saved, timeout=10_000) as saved:
        box.save_button.click()
    assert "from the next start" in saved.args[0] and "Restart MedShare Desktop" in saved.args[0]
    assert box.password.text() == ""  # the widget keeps no copy

    entry = f"database:{server.user}@{server.host.lower()}:{server.port}/{server.database}"
    assert keyring.get_password(KEYRING_SERVICE, entry) == server.password
    config = (paths.config_dir() / paths.DATABASE_CONFIG).read_text(encoding="utf-8")
    assert server.password not in config
    on_disk = "".join(p.read_text(errors="replace") for p in config_dir.rglob("*") if p.is_file())
    assert server.password not in on_disk
    url = paths.database_url()  # what the app opens at its next start
    assert make_url(url).password is None
    assert url == (f"postgresql+psycopg://{server.user}@{server.host}:{server.port}/{server.database}"
                   "?sslmode=disable")

    qtbot.waitUntil(lambda: box.password.placeholderText() == SAVED_PASSWORD_HINT, timeout=5_000)
    assert box.team_server.isChecked() and box.host.text() == server.host  # read back from the config
    box.test_button.click()  # the password field is empty: the keyring's is used
    qtbot.waitUntil(lambda: box.result.text()[:1] in "✔✘" and box.test_button.isEnabled(), timeout=15_000)
    assert box.result.text().startswith("✔ Connected"), box.result.text()

    from medshare_desktop.storage import open_database

    database = open_database(url)  # the engine finds the password in the keyring
    database.dispose()

    box.this_computer.click()
    with qtbot.waitSignal(box.saved, timeout=10_000) as saved:
        box.save_button.click()
    assert paths.database_url() == "sqlite:///" + str(config_dir / "medshare.db")
    assert "the database this window already uses" in saved.args[0]


def test_started_with_dash_dash_db_the_box_says_it_takes_precedence(qtbot, config_dir: Path) -> None:
    box = make_box(qtbot, config_dir, started_with="--db")
    assert "chosen with --db, which takes precedence" in box.in_use.text()
    box.team_server.click()
    box.host.setText("db.hospital.example")
    box.database.setText("medshare")
    box.user.setText("jdoe")
    with qtbot.waitSignal(box.saved, timeout=10_000) as saved:
        box.save_button.click()
    assert "started with --db, which takes precedence" in saved.args[0]
    assert "No password is stored for this user" in saved.args[0]
    texts = [w.text() for w in box.findChildren(QLabel)]
    assert any("applies when MedShare Desktop starts without it" in t for t in texts)


@pytest.mark.postgresql
def test_after_saving_another_database_restart_now_asks_then_restarts(qtbot, config_dir: Path, server: Server) -> None:
    asked: list[str] = []
    answers = iter([False, True])  # first Cancel, then Restart now
    box = make_box(qtbot, config_dir, confirm=lambda _parent, _title, question: asked.append(question) or next(answers))
    assert not box.restart_button.isVisible()  # nothing saved yet
    fill(box, server, server.password)
    with qtbot.waitSignal(box.saved, timeout=10_000):
        box.save_button.click()
    qtbot.waitUntil(box.restart_button.isVisible, timeout=5_000)  # the saved server is not this window's file

    with qtbot.assertNotEmitted(box.restart_requested):
        box.restart_button.click()  # cancelled
    assert "not saved yet is lost" in asked[0]
    with qtbot.waitSignal(box.restart_requested, timeout=2_000):
        box.restart_button.click()

    box.this_computer.click()  # back to the file this window already uses: nothing to restart for
    with qtbot.waitSignal(box.saved, timeout=10_000):
        box.save_button.click()
    qtbot.waitUntil(lambda: not box.restart_button.isVisible(), timeout=5_000)


def test_started_with_dash_dash_db_restarting_would_change_nothing_so_it_is_not_offered(qtbot, config_dir: Path) -> None:
    box = make_box(qtbot, config_dir, started_with="--db", confirm=lambda *_: True)
    box.team_server.click()
    box.host.setText("db.hospital.example")
    box.database.setText("medshare")
    box.user.setText("jdoe")
    with qtbot.waitSignal(box.saved, timeout=10_000):
        box.save_button.click()
    qtbot.waitUntil(lambda: not box._tasks.busy(), timeout=5_000)
    assert not box.restart_button.isVisible()


def test_the_app_starts_again_as_it_was_started() -> None:
    from medshare_desktop.app import relaunch_command

    assert relaunch_command(["/opt/medshare/medshare", "--verbose"], "/opt/medshare/medshare", frozen=True) == [
        "/opt/medshare/medshare", "--verbose"]
    assert relaunch_command(["/home/amy/.venv/bin/medshare"], "/home/amy/.venv/bin/python", frozen=False) == [
        "/home/amy/.venv/bin/python", "-m", "medshare_desktop"]
