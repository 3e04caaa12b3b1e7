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


@pytest.fixture
def inbox(qtbot, services) -> Iterator[object]:
    """The inbox page over the test's own services, shown at a desktop size; waits for its workers."""
    from PySide6.QtCore import QThreadPool

    from medshare_desktop.ui.inbox.inbox_page import InboxPage

    page = InboxPage(services.posts, services.people, services.imports, services.risk, services.audit)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.refresh()
    yield page
    QThreadPool.globalInstance().waitForDone(30_000)
