"""The reading pane's "Suggested" part: the post's score, the reasons in words, and the evergreen mark."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from medshare_desktop.core.rules.suggestion import Suggestion

MAX_REASONS = 6


class SuggestionView(QWidget):
    evergreen_toggled = Signal(int, bool)  # post id, marked: the page writes it through the service

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionView")
        self._post_id: int | None = None
        self.summary = QLabel()
        self.summary.setObjectName("suggestionReasons")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.evergreen = QCheckBox("Evergreen (does not age: a guide, a standing invitation)")
        self.evergreen.setObjectName("evergreenBox")
        self.evergreen.setToolTip("Marked by the team; kept in the audit trail. An evergreen post keeps its freshness.")
        self.evergreen.clicked.connect(self._on_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.evergreen)
        self.show_suggestion(None)

    @property
    def post_id(self) -> int | None:
        return self._post_id

    def show_suggestion(self, found: tuple[Suggestion, bool] | None) -> None:
        if found is None:
            self._post_id = None
            self.summary.clear()
            self.setVisible(False)
            return
        suggestion, evergreen = found
        self._post_id = suggestion.post_id
        # one wrapped paragraph, not a line per reason: the risk review below stays the larger part of the pane
        reasons = " · ".join(suggestion.reasons[:MAX_REASONS])
        self.summary.setText(f"Suggested: {suggestion.score} / 100 — {reasons}" if reasons else
                             f"Suggested: {suggestion.score} / 100")
        self.evergreen.setChecked(evergreen)
        self.setVisible(True)

    def _on_clicked(self, checked: bool) -> None:
        if self._post_id is not None:
            self.evergreen_toggled.emit(self._post_id, checked)
