"""File → Move to a team server…: the dialog moves this database in a worker, shows progress and the report,
and a Cancel leaves the server database as it was."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy.engine import make_url

from medshare_desktop.bootstrap import Services, build_services
from medshare_desktop.core.models import Person
from medshare_desktop.ui.main_window import MainWindow, OpeningPage, PageSpec
from medshare_desktop.ui.settings.move_to_server_dialog import MoveToServerDialog
from tests.database_tables import table_names
from tests.stub_analyzer import NoRiskAnalyzer

pytestmark = pytest.mark.postgresql


@pytest.fixture
def solo(tmp_path: Path) -> Iterator[Services]:
    services = build_services(f"sqlite:///{tmp_path}/medshare.db", actor="solo desk", analyzer_factory=NoRiskAnalyzer,
                              evidence_folder=tmp_path / "evidence")
    services.people.add_person(Person(None, "Dr. Anika Patel", department="Cardiology"))
    yield services
    services.close()


def _fill(dialog: MoveToServerDialog, qtbot, url: str) -> None:
    parsed = make_url(url)
    qtbot.keyClicks(dialog.url, parsed._replace(password=None).render_as_string(hide_password=False))
    qtbot.keyClicks(dialog.password, str(parsed.password))


def test_the_dialog_moves_the_database_in_a_worker_and_shows_the_report(qtbot, solo: Services, pg_server) -> None:
    url = pg_server.url_for(pg_server.new_database(migrated=False))
    dialog = MoveToServerDialog(solo.server_move)
    qtbot.addWidget(dialog)
    _fill(dialog, qtbot, url)
    with qtbot.waitSignal(dialog.moved, timeout=60_000) as moved:
        qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
        assert dialog.running and not dialog.move_button.isEnabled()  # the GUI thread is free meanwhile
    report = moved.args[0]
    assert report.tables and "Copied person: 1 row(s)" in dialog.log.toPlainText()
    assert dialog.status.text().startswith("Moved ") and "audit trail verifies on the server" in dialog.status.text()
    assert str(make_url(url).password) not in dialog.log.toPlainText() + dialog.status.text()
    assert not dialog.move_button.isEnabled() and dialog.cancel_button.text() == "Close"
    assert "person" in table_names(url)


def test_cancel_leaves_the_server_database_empty_and_the_dialog_ready_again(qtbot, solo: Services, pg_server) -> None:
    url = pg_server.url_for(pg_server.new_database(migrated=False))
    dialog = MoveToServerDialog(solo.server_move)
    qtbot.addWidget(dialog)
    _fill(dialog, qtbot, url)
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    assert dialog.cancel_button.text() == "Cancel"
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.running, timeout=60_000)
    assert dialog.status.text() == "The move was cancelled; nothing was kept on the server."
    assert dialog.move_button.isEnabled()
    assert table_names(url) == []


def test_an_address_that_is_not_one_is_named_before_anything_starts(qtbot, solo: Services) -> None:
    dialog = MoveToServerDialog(solo.server_move)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.url, "db.hospital.example")
    qtbot.mouseClick(dialog.move_button, Qt.MouseButton.LeftButton)
    assert not dialog.running
    assert dialog.status.text().startswith("Give the server database's address")


def test_the_file_menu_asks_for_the_move(qtbot) -> None:
    window = MainWindow([PageSpec("inbox", "Inbox", OpeningPage("Inbox"))], "Database: test")
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    [action] = [a for a in file_menu.actions() if a.text() == "&Move to a team server…"]
    with qtbot.waitSignal(window.move_to_server_requested, timeout=1_000):
        action.trigger()
