"""Starting the app on a database it cannot open, driven as a user would: the real start-up function
(app.open_services_or_recover) with the arguments `medshare` gives it, and the real problem dialog, whose
button is clicked once it is on screen. Shared by tests/reliability/test_startup_database_problem.py (a
damaged file) and tests/ui/test_database_start_fallback.py (a saved team server that cannot be opened)."""

from __future__ import annotations

import argparse

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from medshare_desktop.ui.shared.database_problem_dialog import DatabaseProblemDialog


def start_args(db: str | None) -> argparse.Namespace:
    """The arguments of `medshare [--db DB]` with no command: open the window."""
    return argparse.Namespace(db=db, demo=False, verbose=False, command=None)


def answer_when_shown(choice: str, seen: dict[str, object]) -> None:
    """Click `choice` ("restore", "local" or "quit") on the dialog as soon as it is shown; record in `seen`
    what it said (text, note, buttons) and the other windows on screen then (windows)."""

    tries = iter(range(500))  # ten seconds at most: a dialog that never comes fails the test, not a later one

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, DatabaseProblemDialog):
            if next(tries, None) is not None:
                QTimer.singleShot(20, act)
            return
        seen["text"] = dialog.text()
        seen["note"] = dialog.informativeText()
        seen["buttons"] = [b.text() for b in dialog.buttons()]
        seen["windows"] = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not dialog]
        button = {"restore": dialog.restore_button, "local": dialog.local_button, "quit": dialog.quit_button}[choice]
        assert button is not None
        button.click()

    QTimer.singleShot(0, act)
