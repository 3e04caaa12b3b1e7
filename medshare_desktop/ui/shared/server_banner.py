"""The strip across the top of the main window that says the team server went away, and that it is back.

Shown while Operations reports the server unreachable (`server_reachable_changed(False)`); the screens stay
as they are, with every unsaved edit in its widget, while the change feed reconnects with a growing delay.
When the server answers again the strip turns into a short note and hides itself; the screens reload.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QWidget

from medshare_desktop.ui.shared.colours import themed_css

AWAY_STYLE = "#serverBanner { background: #fdecea; border-bottom: 2px solid #b00020; }"
BACK_STYLE = "#serverBanner { background: #e6f4ea; border-bottom: 2px solid #0a6b2d; }"
BACK_NOTE_MS = 8_000  # how long "back" stays before the strip hides


class ServerBanner(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("serverBanner")
        self.server = "the server"
        self.away = False
        self.label = QLabel()
        self.label.setObjectName("serverBannerText")
        self.label.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.label)
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.setInterval(BACK_NOTE_MS)
        self._hide_timer.timeout.connect(self.hide)
        self.hide()

    def set_server(self, host: str) -> None:
        self.server = host or "the server"

    def set_reachable(self, reachable: bool) -> None:
        if not reachable:
            self._hide_timer.stop()
            self.away = True
            self.setStyleSheet(themed_css(AWAY_STYLE))
            self.label.setText(f"⚠ The team server at {self.server} cannot be reached — your unsaved edits are "
                               "kept; reconnecting…")
            self.show()
        elif self.away:
            self.away = False
            self.setStyleSheet(themed_css(BACK_STYLE))
            self.label.setText(f"The team server at {self.server} is back; the screens show its latest data.")
            self.show()
            self._hide_timer.start()
