"""The window shows up front what this team-server login may change: the actions of the groups it is not in are
disabled with a tooltip naming its groups and the group to ask for, and the status bar says "Read-only login".
On a database file everything stays enabled. The server's refusal stays the real guard."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.errors import PermissionDeniedError
from medshare_desktop.core.models import PostState
from medshare_desktop.core.ports import PostFilter
from tests.stub_analyzer import StubAnalyzer
from tests.team_logins import TeamDatabase, team_database


@pytest.fixture
def team(pg_server) -> Iterator[TeamDatabase]:  # noqa: ANN001
    """A team database holding the demo data (people, consent, posts in review, approved, scheduled)."""
    from medshare_desktop.demo_data import seed_demo

    with team_database(pg_server) as made:
        it = build_services(made.admin_url, actor="it-admin", analyzer_factory=StubAnalyzer)
        try:
            seed_demo(it, today=date.today())
        finally:
            it.close()
        yield made


@pytest.fixture
def desk(qtbot, team: TeamDatabase) -> Iterator[Callable[..., object]]:
    """The services of a new login in the given groups, closed at the end (after the window's workers)."""
    opened: list[object] = []

    def open_desk(prefix: str, *groups: str) -> object:
        services = build_services(team.add_desk(prefix, *groups), analyzer_factory=StubAnalyzer)
        opened.append(services)
        return services

    yield open_desk
    for services in opened:
        services.close()  # type: ignore[attr-defined]


def _window_with_abilities(qtbot, show_main_window, services):  # noqa: ANN001, ANN202
    window = show_main_window(services)
    qtbot.waitUntil(lambda: window.abilities.login != "" or services.database_url.startswith("sqlite"), timeout=10_000)
    return window


def _select_first_in_review(qtbot, window, services) -> None:  # noqa: ANN001
    inbox = window.page("inbox")
    post_id = services.posts.query(PostFilter(states=frozenset({PostState.IN_REVIEW})))[0].id
    qtbot.waitUntil(lambda: inbox.model.rowCount() > 0, timeout=10_000)
    qtbot.waitUntil(lambda: inbox.select_post(post_id), timeout=10_000)
    qtbot.waitUntil(lambda: inbox.view.post is not None and inbox.view.post.id == post_id, timeout=10_000)


@pytest.mark.postgresql
def test_a_viewers_window_disables_every_change_and_says_why(qtbot, desk, show_main_window) -> None:
    services = desk("vic_view", "viewer")
    window = _window_with_abilities(qtbot, show_main_window, services)
    login = window.abilities.login
    inbox, calendar, consent = window.page("inbox"), window.page("calendar"), window.page("consent")
    people, settings = window.page("people"), window.page("settings")

    _select_first_in_review(qtbot, window, services)  # a post in review: the screen itself would enable Approve
    approve = inbox.view.approve_button
    assert not approve.isEnabled()
    assert approve.toolTip() == (
        f"Your login {login} is in medshare_viewer: it may read but not change posts. "
        "Ask the team server's administrator for medshare_editor."
    )
    for button in (inbox.import_button, inbox.paste_button, inbox.assign_button, inbox.view.reject_button,
                   inbox.view.repurpose_button, inbox.risk_panel.save_button):
        assert not button.isEnabled() and "medshare_viewer" in button.toolTip()
    assert not window.import_action.isEnabled() and not window.paste_action.isEnabled()

    window.show_page("calendar")
    assert not calendar.side.schedule_button.isEnabled() and not calendar.toolbar.propose_button.isEnabled()
    assert "may read but not change the calendar" in calendar.side.schedule_button.toolTip()
    assert not calendar.grid.acceptDrops()
    calendar.schedule_post(1, date.today())  # Enter in the grid: said in the message bar, nothing sent
    assert "may read but not change the calendar" in calendar.message.label.text()

    window.show_page("consent")
    for button in (consent.filters.add_button, consent.details.add_button, consent.details.edit_button,
                   consent.details.revoke_button):
        assert not button.isEnabled()
    assert consent.filters.add_button.toolTip().endswith(
        "it may read but not change the consent register. Ask the team server's administrator for medshare_consent.")
    assert not people.new_button.isEnabled() and "for medshare_admin" in people.new_button.toolTip()
    assert not settings.cadence_box.isEnabled() and "the team's settings" in settings.cadence_box.toolTip()

    note = window.findChild(QLabel, "loginAbilities")
    assert note.isVisible() and note.text() == "Read-only login (medshare_viewer)"

    # trying to break it: the screen's own logic enabling the button again (a new selection) does not
    approve.setEnabled(True)
    consent.details.add_button.setEnabled(True)
    assert not approve.isEnabled() and not consent.details.add_button.isEnabled()
    # and the server is still the guard: the write itself is refused with its sentence
    post = services.posts.get(inbox.view.post.id)
    with pytest.raises(PermissionDeniedError, match="medshare_editor"):
        services.posts.approve(post)


@pytest.mark.postgresql
def test_an_editors_window_may_review_and_schedule_but_not_edit_consent(qtbot, desk, show_main_window) -> None:
    services = desk("ed", "editor")
    window = _window_with_abilities(qtbot, show_main_window, services)
    inbox, calendar, consent = window.page("inbox"), window.page("calendar"), window.page("consent")

    _select_first_in_review(qtbot, window, services)
    qtbot.waitUntil(inbox.view.approve_button.isEnabled, timeout=10_000)
    assert inbox.import_button.isEnabled() and window.import_action.isEnabled()
    assert calendar.side.schedule_button.isEnabled() and calendar.grid.acceptDrops()
    assert calendar.toolbar.propose_button.isEnabled()

    assert not consent.filters.add_button.isEnabled() and not consent.details.edit_button.isEnabled()
    assert "is in medshare_editor: it may read but not change the consent register" in consent.filters.add_button.toolTip()
    assert not window.page("people").new_button.isEnabled()
    note = window.findChild(QLabel, "loginAbilities")
    assert note.text().startswith("Limited login (medshare_editor): may not change the consent register")


@pytest.mark.sqlite_only
def test_on_a_database_file_everything_stays_enabled(qtbot, demo_services, show_main_window) -> None:
    window = show_main_window(demo_services)
    qtbot.waitUntil(lambda: not window.findChild(QObject, "startupTasks").login.busy(), timeout=10_000)
    assert window.abilities.everything and window.abilities.login == ""
    inbox = window.page("inbox")
    _select_first_in_review(qtbot, window, demo_services)
    qtbot.waitUntil(inbox.view.approve_button.isEnabled, timeout=10_000)
    assert inbox.view.approve_button.toolTip() == "" and inbox.import_button.isEnabled()
    consent = window.page("consent")
    assert consent.filters.add_button.isEnabled() and window.page("people").new_button.isEnabled()
    assert window.page("settings").cadence_box.isEnabled() and window.page("calendar").grid.acceptDrops()
    assert not window.findChild(QLabel, "loginAbilities").isVisible()
