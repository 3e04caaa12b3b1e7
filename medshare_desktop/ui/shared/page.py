"""What the main window needs of a screen: a typed Protocol instead of methods looked up by name."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from medshare_desktop.core.abilities import Abilities
from medshare_desktop.core.changes import Changes


class Page(Protocol):
    title: str

    @property
    def widget(self) -> QWidget: ...

    def on_shown(self) -> None:
        """The screen was chosen in the sidebar: load what it shows."""

    def refresh(self) -> None:
        """Go → Refresh: load again what it shows."""

    def apply_changes(self, changes: Changes) -> None:
        """Something changed (here, in another screen or elsewhere): reload what concerns this screen, now
        if it is on show, else when it is next shown."""

    def set_abilities(self, abilities: Abilities) -> None:
        """What this login may change (asked of the server at start-up): disable, with the reason, what it may not."""


@runtime_checkable
class Reloadable(Protocol):
    """A part of a screen that loads again when its screen does (the Settings boxes)."""

    def refresh(self) -> None: ...


class OpeningPage(QLabel):
    """What a screen shows for the moment the database takes to open at start-up."""

    def __init__(self, title: str) -> None:
        super().__init__(f"{title}: opening the database…")
        self.title = title
        self.setObjectName("openingPage")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    @property
    def widget(self) -> QWidget:
        return self

    def on_shown(self) -> None:
        pass

    def refresh(self) -> None:
        pass

    def apply_changes(self, changes: Changes) -> None:
        pass

    def set_abilities(self, abilities: Abilities) -> None:
        pass


class ScreenPage:
    """The Page protocol for a screen that reloads as a whole: mixed into its QWidget class
    (`class PeoplePage(QWidget, ScreenPage)`), which says in `concerns()` which changes matter to it."""

    title = ""
    stale = False  # a change concerned this screen while it was hidden: it reloads when shown

    @property
    def widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def refresh(self) -> None:
        raise NotImplementedError

    def concerns(self, changes: Changes) -> bool:
        return changes.unknown

    def set_abilities(self, abilities: Abilities) -> None:
        """Nothing to disable by default (a screen that only reads)."""

    def on_shown(self) -> None:
        self.stale = False
        self.refresh()

    def apply_changes(self, changes: Changes) -> None:
        if not self.concerns(changes):
            return
        if self.widget.isVisible():
            self.stale = False
            self.reload(changes)
        else:
            self.stale = True

    def reload(self, changes: Changes) -> None:
        """Load again what the change concerns, the screen being on show (default: everything it shows)."""
        self.refresh()
