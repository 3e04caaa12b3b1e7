"""Revoke a consent record from a date, with a reason (both kept in the record's history)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.models import ConsentRecord
from medshare_desktop.ui.consent.consent_dialog import from_qdate, to_qdate
from medshare_desktop.ui.shared.colours import themed_css
from medshare_desktop.ui.shared.dialogs import ERROR_STYLE, FIELD_ERROR_STYLE


class RevokeDialog(QDialog):
    def __init__(self, record: ConsentRecord, person_name: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("revokeDialog")
        self.setWindowTitle("Revoke consent")
        self.setMinimumWidth(460)
        self._record = record
        scopes = ", ".join(sorted(s.value for s in record.scopes))
        intro = QLabel(
            f"Revoke {person_name}'s consent ({scopes}). From the revocation date nothing new that needs it can be "
            "scheduled, and planned re-shares that need it are listed on the consent page."
        )
        intro.setWordWrap(True)
        self.on = QDateEdit(to_qdate(max(today, record.granted_on)), objectName="revokeDate")
        self.on.setCalendarPopup(True)
        self.on.setDisplayFormat("dd MMM yyyy")
        self.reason = QPlainTextEdit(objectName="revokeReason")
        self.reason.setPlaceholderText("Why, and how it was asked for (e.g. e-mail of 3 March)")
        self.reason.setFixedHeight(70)
        self.error = QLabel(objectName="revokeDialogError")
        self.error.setStyleSheet(themed_css(ERROR_STYLE))
        self.error.setWordWrap(True)
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton("Revoke", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Revoked from", self.on)
        form.addRow("Reason", self.reason)
        form.addRow("", self.error)  # right under the reason, like every other reason question
        self.reason.textChanged.connect(self._on_reason_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def revocation(self) -> tuple[date, str]:
        return from_qdate(self.on.date()), self.reason.toPlainText().strip()

    def accept(self) -> None:
        day, reason = self.revocation()
        if not reason:
            self.error.setText("Give a reason for the revocation: it is kept in the record's history.")
            self.reason.setStyleSheet(themed_css(FIELD_ERROR_STYLE.replace("QLineEdit", "QPlainTextEdit")))
            self.reason.setFocus()
        elif day < self._record.granted_on:
            self.error.setText(
                f"The consent cannot be revoked before it was granted ({self._record.granted_on:%d %b %Y})."
            )
        else:
            super().accept()
            return
        self.error.show()
        self.reason.setAccessibleDescription(self.error.text())
        self.adjustSize()

    def _on_reason_changed(self) -> None:
        self.reason.setStyleSheet("")
        self.reason.setAccessibleDescription("")
        self.error.hide()
