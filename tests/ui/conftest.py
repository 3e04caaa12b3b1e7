"""GUI fixtures: the demo database, a stub risk engine, and modal dialogs that never block a test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest

# The screens' tests run on a stub analyzer that answers at once (tests/stub_analyzer.py). These are about
# the real spaCy engine, so they keep it: the risk panel's own tests (what it finds and how it is shown),
# and the real engine loading in the shown window. A module can also ask for it by overriding the
# `analyzer_factory` fixture with one that returns None (test_missed_risk_panel.py, test_risk_engine_box.py).
REAL_ENGINE_MODULES = frozenset({"test_risk_panel.py"})
REAL_ENGINE_TESTS = frozenset({"test_the_risk_engine_loads_after_the_window_is_shown"})


@pytest.fixture
def analyzer_factory(request: pytest.FixtureRequest) -> object:
    """The risk engine for `services` and `demo_services`: the stub, or None (the real engine)."""
    from tests.stub_analyzer import StubAnalyzer

    real = request.path.name in REAL_ENGINE_MODULES or request.node.name in REAL_ENGINE_TESTS
    return None if real else StubAnalyzer


@pytest.fixture
def demo_services(db_url: str, analyzer_factory: object) -> Iterator[object]:
    """The demo's people and posts seeded into the test's database (SQLite file or fresh PostgreSQL)."""
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.demo_data import seed_demo

    services = build_services(db_url, actor="tester", analyzer_factory=analyzer_factory)
    seed_demo(services, today=date.today())
    yield services
    services.close()


@pytest.fixture
def show_main_window(qtbot) -> Iterator[Callable[[object], object]]:
    """Shows the main window over the services given, as app.py builds it; at the end, waits for its workers
    (ask for this fixture after the services' own, so that they close after that wait)."""
    from medshare_desktop.app import build_main_window, wait_for_background_work

    def show(services: object) -> object:
        window = build_main_window(services)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield show
    wait_for_background_work(60_000)  # the engine's queue and the other workers


@pytest.fixture
def main_window(qtbot, demo_services, show_main_window: Callable[[object], object]) -> object:
    return show_main_window(demo_services)


@pytest.fixture
def inbox(qtbot, services) -> Iterator[object]:
    """The inbox page over the test's own services, shown at a desktop size; waits for its workers."""
    from medshare_desktop.ui.inbox.inbox_page import InboxPage
    from medshare_desktop.ui.shared.workers import wait_for_background_work

    page = InboxPage(services.posts, services.people, services.imports, services.risk, services.audit)
    qtbot.addWidget(page)
    page.resize(1300, 800)
    page.show()
    page.refresh()
    yield page
    wait_for_background_work(30_000)  # its reads, and the new posts' check on the engine's queue
