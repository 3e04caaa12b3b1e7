"""Actions this login may not do, shown disabled with the reason as their tooltip (core.abilities).

`hold_disabled` keeps a button or action disabled whatever its screen's own logic says later (a selected post
in review enables Approve; a viewer's Approve stays disabled). Only a courtesy: the server still refuses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from medshare_desktop.core.abilities import Abilities

HELD = "medshareHeldReason"  # the dynamic property naming why a widget or action is held disabled


class _Hold(QObject):
    """An event filter on a widget: whenever it becomes enabled, it is disabled again."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (event.type() == QEvent.Type.EnabledChange and isinstance(watched, QWidget)
                and watched.isEnabled()):
            watched.setEnabled(False)
        return False


def hold_disabled(targets: Iterable[QWidget | QAction], reason: str) -> None:
    """Disable each of `targets` for good, with `reason` as its tooltip; nothing when `reason` is ""."""
    if not reason:
        return
    for target in targets:
        if target.property(HELD):
            continue
        target.setProperty(HELD, reason)
        target.setToolTip(reason)
        target.setStatusTip(reason)
        target.setEnabled(False)
        if isinstance(target, QAction):
            target.changed.connect(lambda action=target: action.setEnabled(False) if action.isEnabled() else None)
        else:
            target.installEventFilter(_Hold(target))


def hold(abilities: Abilities, area: str, targets: Iterable[QWidget | QAction]) -> None:
    """Hold `targets` disabled when the login may not change `area` (core.abilities.AREAS)."""
    hold_disabled(targets, abilities.why_not(area))


@runtime_checkable
class TakesAbilities(Protocol):
    """A part of a screen that disables what the login may not do (the Settings boxes)."""

    def set_abilities(self, abilities: Abilities) -> None: ...
