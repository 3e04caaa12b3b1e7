"""What a login may change, asked of the server's own grants and row policies (storage/team_roles.login_abilities):
each group gets exactly its work areas; a database file may change everything."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from medshare_desktop.core.abilities import EVERYTHING
from medshare_desktop.storage.database import make_engine
from medshare_desktop.storage.team_roles import login_abilities
from tests.team_logins import TeamDatabase, team_database


@pytest.fixture
def team(pg_server) -> Iterator[TeamDatabase]:  # noqa: ANN001
    with team_database(pg_server) as made:
        yield made


def _abilities(url: str):  # noqa: ANN202
    engine = make_engine(url)
    try:
        return login_abilities(engine)
    finally:
        engine.dispose()


def _areas(abilities) -> dict[str, bool]:  # noqa: ANN001
    return {area: abilities.may(area) for area in ("posts", "schedule", "consent", "people", "settings")}


@pytest.mark.postgresql
def test_each_group_may_change_exactly_its_work_areas(team: TeamDatabase) -> None:
    viewer = _abilities(team.add_desk("vic_view", "viewer"))
    assert viewer.read_only and viewer.groups == ("medshare_viewer",) and viewer.login.startswith("vic_view")
    assert "medshare_viewer: it may read but not change posts" in viewer.why_not("posts")
    assert viewer.why_not("posts").endswith("Ask the team server's administrator for medshare_editor.")
    assert viewer.summary() == "Read-only login (medshare_viewer)"

    # editors hold UPDATE on person and INSERT/UPDATE on setting, but the row policies only let them lock a
    # person and keep the feeds' cursors: neither people nor the team's settings are theirs
    editor = _abilities(team.add_desk("ed", "editor"))
    assert _areas(editor) == {"posts": True, "schedule": True, "consent": False, "people": False, "settings": False}
    assert "for medshare_consent" in editor.why_not("consent") and "for medshare_admin" in editor.why_not("people")

    consent = _abilities(team.add_desk("cons", "consent"))
    assert _areas(consent) == {"posts": False, "schedule": False, "consent": True, "people": False, "settings": False}

    admin = _abilities(team.add_desk("adm", "admin"))  # may re-link posts (UPDATE post) but not review them
    assert _areas(admin) == {"posts": False, "schedule": False, "consent": False, "people": True, "settings": True}

    lead = _abilities(team.add_desk("lead", "editor", "consent", "admin"))
    assert lead.everything and lead.summary() == "" and set(lead.groups) == {
        "medshare_editor", "medshare_consent", "medshare_admin"}

    assert _abilities(team.admin_url).everything  # the superuser bypasses grants and row policies


def test_a_database_file_may_change_everything(tmp_path) -> None:  # noqa: ANN001
    assert _abilities(f"sqlite:///{tmp_path}/medshare.db") == EVERYTHING
