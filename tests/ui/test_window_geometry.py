"""The main window opens maximised the first time, then where and as large as it was left."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings

from medshare_desktop.ui.main_window import MainWindow, PageSpec
from medshare_desktop.ui.shared.page import OpeningPage


@pytest.fixture
def own_settings(qapp, tmp_path: Path) -> Iterator[Path]:
    """QSettings in a folder of this test's own, as a fresh user account would have."""
    saved = (QCoreApplication.organizationName(), QCoreApplication.applicationName(), QSettings.defaultFormat())
    QCoreApplication.setOrganizationName("MedShare")
    QCoreApplication.setApplicationName("MedShare Desktop geometry test")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    yield tmp_path
    QCoreApplication.setOrganizationName(saved[0])
    QCoreApplication.setApplicationName(saved[1])
    QSettings.setDefaultFormat(saved[2])


def _window(qtbot) -> MainWindow:
    window = MainWindow([PageSpec("inbox", "Inbox", OpeningPage("Inbox"))], "Database: test")
    qtbot.addWidget(window)
    return window


def test_the_first_start_opens_maximised_and_later_starts_reopen_as_left(qtbot, own_settings) -> None:
    first = _window(qtbot)
    first.show()
    qtbot.waitExposed(first)
    assert first.isMaximized()
    first.close()  # maximised is remembered too
    second = _window(qtbot)
    assert second.isMaximized()

    second.show()
    second.showNormal()
    second.resize(700, 500)
    qtbot.waitUntil(lambda: second.size().width() == 700)
    second.close()

    third = _window(qtbot)
    third.show()
    qtbot.waitExposed(third)
    assert not third.isMaximized()
    assert (third.width(), third.height()) == (700, 500)
    assert list(own_settings.rglob("*.ini")), "only the geometry is kept, in the user's settings file"
