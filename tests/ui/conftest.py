"""GUI fixtures: the demo database, and modal dialogs that never block a test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest


@pytest.fixture
def demo_services(tmp_path: Path) -> Iterator[object]:
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.demo_data import seed_demo

    services = build_services(f"sqlite:///{tmp_path}/demo.db", actor="tester")
    seed_demo(services, today=date.today())
    yield services
    services.close()


@pytest.fixture
def main_window(qtbot, demo_services) -> Iterator[object]:
    from PySide6.QtCore import QThreadPool

    from medshare_desktop.app import build_main_window

    window = build_main_window(demo_services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    QThreadPool.globalInstance().waitForDone(60_000)
