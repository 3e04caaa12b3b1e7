"""An inline message bar: why a change was refused (with "Override…" when a reason may lift the rule).

A message can say what it is about (`About`): the page asks again after every change and drops or
rewrites a message that no longer holds, so the bar never describes a re-share that is gone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from medshare_desktop.core.models import Channel
from medshare_desktop.ui.shared.colours import accent, tint

# (border in a light theme, in a dark theme): the background is that colour laid lightly on the palette's base
ACCENTS = {"error": ("#b3261e", "#f2837b"), "info": ("#2f6db5", "#7fb0ee")}
PREFIX = {"error": "Refused: ", "info": ""}


@dataclass(frozen=True, slots=True)
class About:
    """What a message describes: a refused change ("schedule" a post id / "move" a share id, to a day on a
    channel), or a re-share that was just placed ("placed", its share id, on its day)."""

    kind: str
    ident: int
    day: date
    channel: Channel | None = None  # the channel of a refused "schedule"


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
        close.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.override_button)
        layout.addWidget(close)
        self.about: About | None = None
        self.hide()

    def show_message(self, text: str, kind: str = "info", can_override: bool = False, about: About | None = None) -> None:
        self.about = about
        self.setStyleSheet(self._style(kind))
        self.label.setText(PREFIX[kind] + text)
        self.setAccessibleDescription(self.label.text())
        self.override_button.setVisible(can_override)
        self.show()

    def _style(self, kind: str) -> str:
        border = accent(*ACCENTS[kind], self.palette())
        return (f"QFrame#calendarMessage {{ background: {tint(self.palette(), border).name()}; "
                f"border: 1px solid {border.name()}; border-radius: 4px; }}")

    def clear(self) -> None:
        self.about = None
        self.hide()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
