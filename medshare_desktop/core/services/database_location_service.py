"""Settings → Database: where this desk's data lives, tested and saved for the next start.

The choice is written to the per-user config as a URL without a password; the password goes to the
system keyring under the address's entry, where the engine finds it at connect time. `--db` and
`MEDSHARE_DB` still win over the saved choice (paths.database_url).
"""

from __future__ import annotations

from dataclasses import dataclass

from medshare_desktop.core.database_location import (
    DatabaseChoice,
    DatabaseKind,
    ServerAddress,
    ServerCheck,
    is_server_url,
    parse_server_url,
)
from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.ports import DatabaseChoiceStore, ServerPasswordStore, ServerProbe

RESTART = "Restart MedShare Desktop to switch."


@dataclass(frozen=True, slots=True)
class DatabaseSetup:
    """What the screen shows: the saved choice, the default file, the database in use and why."""

    saved: DatabaseChoice
    local_file: str  # this computer's default SQLite file
    in_use: str  # the database this window has open (a URL without a password, or a file path)
    started_with: str  # "--db", "MEDSHARE_DB", "--demo", "saved", "default" or "fallback" (the saved server failed)
    password_saved: bool  # a password for the saved server is in the keyring

    @property
    def overridden(self) -> bool:
        return self.started_with in ("--db", "MEDSHARE_DB", "--demo")


class DatabaseLocationService:
    def __init__(
        self,
        choices: DatabaseChoiceStore,
        passwords: ServerPasswordStore,
        probe: ServerProbe,
        local_file: str,
        in_use: str = "",
        started_with: str = "default",
    ) -> None:
        self._choices = choices
        self._passwords = passwords
        self._probe = probe
        self._local_file = local_file
        self._in_use = in_use
        self._started_with = started_with

    def current(self) -> DatabaseSetup:
        """The saved choice (reads the config file and the keyring: call it off the GUI thread)."""
        saved = self.saved_choice()
        has_password = bool(saved.server and self._passwords.get(saved.server.password_entry))
        return DatabaseSetup(saved, self._local_file, self._in_use, self._started_with, has_password)

    def saved_choice(self) -> DatabaseChoice:
        url = self._choices.load()
        if not url or not is_server_url(url):
            return DatabaseChoice()
        try:
            return DatabaseChoice(DatabaseKind.TEAM_SERVER, parse_server_url(url).address)
        except ValidationError:
            return DatabaseChoice()

    def test(self, address: ServerAddress, password: str = "") -> ServerCheck:
        """Connect once with these fields (the typed password, else the one in the keyring) and report."""
        checked = address.checked()
        return self._probe.check(checked, password or self._passwords.get(checked.password_entry))

    def restart_would_switch(self) -> bool:
        """Whether starting again would open another database than this window's: the saved choice differs
        from the database in use, and no --db, MEDSHARE_DB or --demo overrides it."""
        if self._started_with in ("--db", "MEDSHARE_DB", "--demo"):
            return False
        saved = self._choices.load()
        if saved is None:  # this computer: a switch only for a window on the team server
            return self._started_with not in ("default", "fallback")
        return saved != self._in_use

    def save_this_computer(self) -> str:
        self._choices.save(None)
        return self._saved_message(f"this computer's database ({self._local_file})", this_computer=True)

    def save_team_server(self, address: ServerAddress, password: str = "") -> str:
        """Keep the password in the keyring (first), then the address in the config: never the password."""
        checked = address.checked()
        if password:
            self._passwords.set(checked.password_entry, password)
        url = checked.url()
        self._choices.save(url)
        message = self._saved_message(f"the team server {checked.shown()}")
        if not password and not self._passwords.get(checked.password_entry):
            message += (" No password is stored for this user: the server must let you in without one "
                        "(enter it and save again if it asks for one).")
        return message

    def _saved_message(self, what: str, this_computer: bool = False) -> str:
        if self._started_with in ("--db", "MEDSHARE_DB"):
            return (f"Saved: {what}. This window was started with {self._started_with}, which takes precedence; "
                    f"the saved choice applies when MedShare Desktop starts without it.")
        if self._started_with == "--demo":
            return f"Saved: {what}. This is the demo; the saved choice applies when MedShare Desktop starts normally."
        same = (this_computer and self._started_with in ("default", "fallback")) or (
            not this_computer and self._choices.load() == self._in_use)
        if same:
            return f"Saved: {what}, the database this window already uses."
        return f"Saved: this desk will use {what} from the next start. {RESTART}"
