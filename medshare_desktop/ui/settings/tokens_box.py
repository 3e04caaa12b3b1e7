"""Settings: API tokens for online refresh, kept in the system keyring.

The box shows which sources have a token, never a token itself: the token field is a password
field that is cleared as soon as Save is pressed, and keyring calls run off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from medshare_desktop.core.ports import TokenStore
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.workers import TaskRunner

KEY_PREFIX = "token:"
KINDS = (
    ("mastodon", "Mastodon instance", "instance.social"),
    ("bluesky", "Bluesky AppView", "public.api.bsky.app"),
    ("feed", "Feed host (RSS/Atom)", "blog.example.org"),
)


class TokensBox(QGroupBox):
    """Choose a source (kind + host), paste a token, Save or Remove; lists sources with a token."""

    tokens_changed = Signal()

    def __init__(self, tokens: TokenStore, parent: QWidget | None = None) -> None:
        super().__init__("API tokens (kept in the system keyring)", parent)
        self.setObjectName("tokensBox")
        self._tokens = tokens
        self._tasks = TaskRunner(self)

        self.kind = QComboBox()
        self.kind.setObjectName("tokenKind")
        for value, label, _example in KINDS:
            self.kind.addItem(label, value)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.host = QLineEdit()
        self.host.setObjectName("tokenHost")
        self.token = QLineEdit()
        self.token.setObjectName("tokenValue")
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("Paste the access token (it is not shown)")
        self.token.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.save_button = QPushButton("Save token")
        self.save_button.setObjectName("saveToken")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.remove_button = QPushButton("Remove token")
        self.remove_button.setObjectName("removeToken")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.saved = QListWidget()
        self.saved.setObjectName("savedTokens")
        self.saved.setMaximumHeight(110)
        self.saved.currentItemChanged.connect(self._on_saved_current_changed)
        self.status = QLabel("Public accounts refresh without a token; add one only where an instance asks for it.")
        self.status.setObjectName("tokensStatus")
        self.status.setWordWrap(True)

        source_row = QHBoxLayout()
        source_row.addWidget(self.kind)
        source_row.addWidget(self.host, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        form = QFormLayout(self)
        form.addRow("Source", source_row)
        form.addRow("Token", self.token)
        form.addRow("", buttons)
        form.addRow("Sources with a token", self.saved)
        form.addRow(self.status)
        self._on_kind_changed()

    # --- public -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the list of sources that have a token (off the GUI thread)."""
        self._tasks.start(self._tokens.keys, key="keys", on_done=self._on_keys_loaded, on_error=self._on_failed)

    def selected_key(self) -> str:
        host = self.host.text().strip().lower().removeprefix("https://").removeprefix("http://").strip("/")
        return f"{KEY_PREFIX}{self.kind.currentData()}:{host}" if host else ""

    # --- slots --------------------------------------------------------------------------
    def _on_kind_changed(self) -> None:
        self.host.setPlaceholderText(KINDS[max(self.kind.currentIndex(), 0)][2])

    def _on_save_clicked(self) -> None:
        key, token = self.selected_key(), self.token.text()
        self.token.clear()  # the widget keeps no copy once Save is pressed
        if not key:
            self.status.setText("Enter the host the token belongs to first.")
            return
        self._set_busy(True)
        self._tasks.start(
            self._tokens.set,
            key,
            token,
            on_done=lambda _r: self._on_changed(f"Token saved for {key}."),
            on_error=self._on_failed,
        )

    def _on_remove_clicked(self) -> None:
        key = self.selected_key()
        if not key:
            self.status.setText("Choose the source whose token should be removed.")
            return
        self._set_busy(True)
        self._tasks.start(
            self._tokens.delete,
            key,
            on_done=lambda _r: self._on_changed(f"Token removed for {key}."),
            on_error=self._on_failed,
        )

    def _on_changed(self, message: str) -> None:
        self._set_busy(False)
        self.status.setText(message)
        self.tokens_changed.emit()
        self.refresh()

    def _on_keys_loaded(self, keys: list[str]) -> None:
        self.saved.clear()
        for key in keys:
            name = key.removeprefix(KEY_PREFIX)
            item = QListWidgetItem(f"{name} — token saved")
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.saved.addItem(item)

    def _on_saved_current_changed(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is None:
            return
        kind, _, host = str(item.data(Qt.ItemDataRole.UserRole)).partition(":")
        index = self.kind.findData(kind)
        if index >= 0:
            self.kind.setCurrentIndex(index)
        self.host.setText(host)

    def _on_failed(self, exc: BaseException, details: str) -> None:
        self._set_busy(False)
        show_exception(self, exc, details)

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.remove_button.setEnabled(not busy)
