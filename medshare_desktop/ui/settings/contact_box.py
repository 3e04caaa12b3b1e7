"""Settings: who physicians should contact about re-shares, printed on the policy sheet and monthly notes."""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from medshare_desktop.core.abilities import Abilities
from medshare_desktop.core.changes import Changes
from medshare_desktop.core.services.settings_service import SettingKey, SettingsService
from medshare_desktop.ui.shared.abilities import hold
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.workers import TaskRunner


class ContactBox(QGroupBox):
    """One line (a name, an extension, an e-mail) and Save; read and written off the GUI thread."""

    def __init__(self, settings: SettingsService, ops: Operations, read_only: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__("Contact for physicians (policy sheet and monthly notes)", parent)
        self.setObjectName("contactBox")
        self._settings = settings
        self._ops = ops
        self._tasks = TaskRunner(self)
        self.contact = QLineEdit()
        self.contact.setObjectName("teamContact")
        self.contact.setPlaceholderText("e.g. Maya Chen, communications office, ext. 4417, maya.chen@example.org")
        self.save_button = QPushButton("Save contact")
        self.save_button.setObjectName("saveContact")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.save_button.setEnabled(not read_only)
        self.status = QLabel("Printed as who to ask about a refused post, a limit or consent (empty: "
                             "\u201cthe communications team\u201d). Help \u2192 Policy sheet for physicians\u2026 "
                             "shows the sheet.")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.contact, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)

    def set_abilities(self, abilities: Abilities) -> None:
        """A login that may not change the team's settings sees this box disabled, with the reason."""
        hold(abilities, "settings", [self])

    def refresh(self) -> None:
        self._tasks.start(self._settings.team_contact, key="load", on_done=self.contact.setText,
                          on_error=lambda exc, details: show_exception(self, exc, details))

    def _on_save_clicked(self) -> None:
        self._ops.write(self._settings.set_team_contact, self.contact.text(), initiator=self,
                        changes=Changes(settings=frozenset({SettingKey.TEAM_CONTACT})),
                        on_done=lambda _changes: self.status.setText("Saved: the policy sheet and the notes print it."),
                        on_error=lambda exc, details: show_exception(self, exc, details))
