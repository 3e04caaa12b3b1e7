"""An inline message bar: why a change was refused (with "Override…" when a reason may lift the rule)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

STYLES = {
    "error": "QFrame#calendarMessage { background: #fdecea; border: 1px solid #b3261e; border-radius: 4px; }",
    "info": "QFrame#calendarMessage { background: #e8f1fb; border: 1px solid #2f6db5; border-radius: 4px; }",
}
PREFIX = {"error": "Refused: ", "info": ""}


class MessageBar(QFrame):
    override_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarMessage")
        self.label = QLabel()
        self.label.setObjectName("calendarMessageText")
        self.label.setWordWrap(True)
        self.override_button = QPushButton("Override…")
        self.override_button.setObjectName("calendarOverride")
        self.override_button.setToolTip("Schedule anyway, with a reason kept in the audit trail")
        self.override_button.clicked.connect(self.override_requested)
        close = QPushButton("Dismiss")
        close.setObjectName("calendarMessageClose")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.override_button)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, kind: str = "info", can_override: bool = False) -> None:
        self.setStyleSheet(STYLES[kind])
        self.label.setText(PREFIX[kind] + text)
        self.setAccessibleDescription(self.label.text())
        self.override_button.setVisible(can_override)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
