"""What this desk's login may change (core.abilities), asked once at start-up off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable

from medshare_desktop.core.abilities import EVERYTHING, Abilities


class LoginService:
    def __init__(self, read: Callable[[], Abilities] = lambda: EVERYTHING) -> None:
        self._read = read  # storage.team_roles.login_abilities over the database's engine

    def abilities(self) -> Abilities:
        """What the login may change, area by area: everything on a database file; on a team server what its
        groups are granted. Only a courtesy for the screens: the server still refuses what it must."""
        return self._read()
