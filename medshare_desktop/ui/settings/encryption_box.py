"""Settings → Encryption at rest: the database's state and the opt-in "Encrypt database…" button.

Without the SQLCipher driver the box says that encryption is unavailable and the button stays off.
Status and encryption run in workers; encrypting asks for confirmation (`confirm`, replaceable in tests).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from medshare_desktop.core.services.encryption_service import EncryptionService, EncryptionStatus
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.workers import TaskRunner


def ask_to_encrypt(parent: QWidget) -> bool:
    answer = QMessageBox.warning(
        parent,
        "Encrypt the database",
        "Encrypt the database with a random key kept in this computer's keyring?\n\n"
        "Without that keyring entry the database and its backups cannot be opened, on this computer or "
        "any other. Keep an unencrypted export elsewhere if you may need one.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class EncryptionBox(QGroupBox):
    encrypted = Signal(str)  # the summary of what was done

    def __init__(
        self,
        encryption: EncryptionService,
        parent: QWidget | None = None,
        confirm: Callable[[QWidget], bool] = ask_to_encrypt,
        read_only: bool = False,
    ) -> None:
        super().__init__("Encryption at rest", parent)
        self.setObjectName("encryptionBox")
        self._encryption = encryption
        self._confirm = confirm
        self._read_only = read_only
        self._tasks = TaskRunner(self)
        self.state = QLabel("Checking…")
        self.state.setObjectName("encryptionState")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.encrypt_button = QPushButton("Encrypt database…")
        self.encrypt_button.setObjectName("encryptDatabase")
        self.encrypt_button.setEnabled(False)
        self.encrypt_button.clicked.connect(self._on_encrypt_clicked)
        row = QHBoxLayout()
        row.addWidget(self.encrypt_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self._tasks.start(self._encryption.status, key="status", on_done=self._on_status, on_error=self._on_failed)

    def _on_status(self, status: EncryptionStatus) -> None:
        self.current = status
        self.state.setText(status.summary())
        self.encrypt_button.setEnabled(status.can_encrypt and not self._read_only)
        self.encrypt_button.setVisible(status.applicable and not status.encrypted)

    def _on_encrypt_clicked(self) -> None:
        if not self._confirm(self):
            return
        self.encrypt_button.setEnabled(False)
        self.state.setText("Encrypting… (the app's other screens wait until it is done)")
        self._tasks.start(self._encryption.encrypt, on_done=self._on_encrypted, on_error=self._on_failed)

    def _on_encrypted(self, summary: str) -> None:
        self.encrypted.emit(summary)
        self.refresh()

    def _on_failed(self, exc: BaseException, details: str) -> None:
        show_exception(self, exc, details)
        self.refresh()
