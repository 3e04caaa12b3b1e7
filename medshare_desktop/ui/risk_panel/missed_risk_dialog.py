"""'Missed risk…': the reviewer names the category of words the risk engine did not flag, with a note."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.models import RiskCategory
from medshare_desktop.core.rules.missed_risk import CATEGORIES

QUOTE_LIMIT = 160


class MissedRiskDialog(QDialog):
    """Shown with open() (never blocks); calls `on_ok(category, note)` when the reviewer confirms."""

    def __init__(self, parent: QWidget, words: str, on_ok: Callable[[RiskCategory, str], None]) -> None:
        super().__init__(parent)
        self.setObjectName("missedRiskDialog")
        self.setWindowTitle("Missed risk")
        self._on_ok = on_ok
        quoted = " ".join(words.split())
        if len(quoted) > QUOTE_LIMIT:
            quoted = quoted[: QUOTE_LIMIT - 1] + "…"
        intro = QLabel(
            f"The risk engine did not flag “{quoted}”. It becomes an open finding of this post, kept with the "
            "post and in the audit trail, and the team's model can learn from it."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.category = QComboBox()
        self.category.setObjectName("missedRiskCategory")
        for category in CATEGORIES:
            self.category.addItem(category.label, category)
        self.note = QLineEdit()
        self.note.setObjectName("missedRiskNote")
        self.note.setPlaceholderText("Optional: why it is risky")
        form = QFormLayout()
        form.addRow("Category", self.category)
        form.addRow("Note", self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Mark as missed risk")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def choose(self, category: RiskCategory, note: str = "") -> None:
        """Fill in and confirm (what a reviewer does; used by tests)."""
        self.category.setCurrentIndex(self.category.findData(category))
        self.note.setText(note)
        self.accept()

    def accept(self) -> None:
        super().accept()
        self._on_ok(RiskCategory(self.category.currentData()), self.note.text().strip())
