"""Settings on a team server: the Backups and Encryption boxes say that both are the server's job, with
nothing to press, instead of a backup list that could only ever be empty."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton

pytestmark = pytest.mark.postgresql


@pytest.fixture
def db_url(pg_url: str) -> str:
    """The `services` fixture on a team server only: what these boxes say is about one."""
    return pg_url


@pytest.fixture
def window(qtbot, services, show_main_window: Callable[[object], object]) -> object:
    return show_main_window(services)


def test_the_backups_box_says_backups_are_the_servers_job_and_offers_no_button(qtbot, window) -> None:
    box = window.findChild(QGroupBox, "backupsBox")
    text = box.findChild(QLabel, "backupStatus").text()
    assert "team server" in text and "pg_dump" in text and "docs/team_mode.md" in text
    assert box.findChild(QPushButton, "backUpNow") is None and box.findChild(QPushButton, "restoreBackup") is None


def test_the_encryption_box_says_encryption_at_rest_is_the_servers_job(qtbot, window) -> None:
    box = window.findChild(QGroupBox, "encryptionBox")
    state = box.findChild(QLabel, "encryptionState")
    qtbot.waitUntil(lambda: "server's job" in state.text(), timeout=10_000)
    assert not box.findChild(QPushButton, "encryptDatabase").isVisible()
