"""A team database set up as IT does it (setup-roles, then one login per desk in its groups), for the tests of
what each login may do: storage/team_roles.setup_roles and add_desk, the functions behind `medshare server`."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from medshare_desktop.storage.database import make_engine
from medshare_desktop.storage.team_roles import add_desk, setup_roles

PASSWORD = "desk-test-only"


@dataclass
class TeamDatabase:
    server: object
    name: str

    @property
    def admin_url(self) -> str:
        """The superuser's URL (it set the server up)."""
        return self.server.url_for(self.name)  # type: ignore[attr-defined]

    def add_desk(self, prefix: str, *groups: str) -> str:
        """A new login in `groups` ("viewer", "editor", ...); its URL. Roles belong to the whole cluster: one
        name per test."""
        login = f"{prefix}_{uuid.uuid4().hex[:6]}"
        engine = make_engine(self.admin_url)
        try:
            add_desk(engine, login, groups, PASSWORD)
        finally:
            engine.dispose()
        return self.server.url_for(self.name, user=login, password=PASSWORD)  # type: ignore[attr-defined]


@contextmanager
def team_database(pg_server: object) -> Iterator[TeamDatabase]:
    """A database at the app's schema after setup-roles (its owner a new role); dropped at the end."""
    name = pg_server.new_database(migrated=True)  # type: ignore[attr-defined]
    team = TeamDatabase(pg_server, name)
    engine = make_engine(team.admin_url)
    try:
        setup_roles(engine, owner=f"owner_{uuid.uuid4().hex[:6]}")
    finally:
        engine.dispose()
    try:
        yield team
    finally:
        pg_server.drop(name)  # type: ignore[attr-defined]
