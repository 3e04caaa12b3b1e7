"""The dialog shown before the main window when the database cannot be opened.

It says what is wrong (the sentence of a DatabaseError) and, when a usable backup was found, offers
to restore it: "Restore newest backup" or "Quit". When the database was a team server saved in
Settings → Database, it also offers "Open this computer's database" for this session. The caller
does the restore or the opening; this only asks.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

RESTORE_NOTE = (
    "Restoring puts that backup in place of the database. The file there now is kept beside it, "
    "renamed, not deleted."
)
NO_BACKUP_NOTE = "Nothing was changed. Quit, then start MedShare Desktop again with another database or path."
LOCAL_NOTE = (
    "This desk is set to the team server in Settings → Database. You can open this computer's own "
    "database ({path}) this time, and check the server's settings there; nothing is changed."
)


class DatabaseProblemDialog(QMessageBox):
    def __init__(self, problem: str, backup: str | None = None, parent: QWidget | None = None,
                 local_database: str | None = None) -> None:
        super().__init__(QMessageBox.Icon.Critical, "MedShare Desktop — the database cannot be opened", problem,
                         QMessageBox.StandardButton.NoButton, parent)
        self.setObjectName("databaseProblem")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # paths can be copied
        self.setInformativeText(RESTORE_NOTE if backup else NO_BACKUP_NOTE)
        self.restore_button: QPushButton | None = None
        if backup:
            self.restore_button = self.addButton("Restore newest backup", QMessageBox.ButtonRole.AcceptRole)
            self.restore_button.setObjectName("restoreNewestBackup")
        self.local_button: QPushButton | None = None
        if local_database:
            self.setInformativeText(LOCAL_NOTE.format(path=local_database))
            self.local_button = self.addButton("Open this computer's database", QMessageBox.ButtonRole.ActionRole)
            self.local_button.setObjectName("openLocalDatabase")
        self.quit_button = self.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        self.quit_button.setObjectName("quit")
        self.setDefaultButton(self.restore_button or self.local_button or self.quit_button)
        self.setEscapeButton(self.quit_button)

    def restore_chosen(self) -> bool:
        return self.restore_button is not None and self.clickedButton() is self.restore_button

    def local_chosen(self) -> bool:
        return self.local_button is not None and self.clickedButton() is self.local_button
