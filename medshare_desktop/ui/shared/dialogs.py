"""Message helpers: user-facing errors from MedshareError, one global dialog for the unexpected, and the
one dialog that asks for a reason (reject, accept a risk, override a rule)."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.errors import MedshareError, ServerUnreachableError
from medshare_desktop.ui.shared.colours import themed_css

log = logging.getLogger(__name__)


SERVER_AWAY_BOX = "serverAwayMessage"  # the one box saying the team server cannot be reached


def show_error(parent: QWidget | None, message: str, title: str = "MedShare Desktop") -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorMessage")
    box.open()
    return box


def show_exception(parent: QWidget | None, exc: BaseException, details: str = "") -> None:
    """A MedshareError's sentence as is; anything else as an unexpected error with details to copy."""
    if isinstance(exc, ServerUnreachableError):  # one box at a time: the banner says it too
        window = parent.window() if parent is not None else None
        if window is not None and any(box.isVisible() for box in window.findChildren(QMessageBox, SERVER_AWAY_BOX)):
            return
        show_error(parent, str(exc)).setObjectName(SERVER_AWAY_BOX)
        return
    if isinstance(exc, MedshareError):
        show_error(parent, str(exc))
        return
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Unexpected error",
        "Something went wrong that MedShare Desktop did not expect. Your data is safe; the details "
        "below are also in the log file.",
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("unexpectedError")
    box.setDetailedText(details or "".join(traceback.format_exception(exc)))
    copy = box.addButton("Copy details", QMessageBox.ButtonRole.ActionRole)
    copy.clicked.disconnect()
    copy.clicked.connect(lambda: QApplication.clipboard().setText(box.detailedText()))
    box.open()


def install_excepthook() -> None:
    """Unhandled exceptions in slots reach one dialog and the log instead of killing the app."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(kind, exc, tb))
        log.error("unhandled exception: %s", details)
        if QApplication.instance() is not None:
            show_exception(QApplication.activeWindow(), exc, details)
        else:
            sys.__excepthook__(kind, exc, tb)

    sys.excepthook = hook


ERROR_STYLE = "color: #b00020; font-weight: bold;"
FIELD_ERROR_STYLE = "QLineEdit { border: 2px solid #b00020; border-radius: 3px; }"


class ReasonDialog(QDialog):
    """Asks for a reason (kept in the audit trail). A blank reason never closes it: OK is refused, the
    field is marked and a sentence under it says what is missing, until something is typed."""

    reason_given = Signal(str)  # the reason, stripped, once the dialog was accepted with one

    def __init__(
        self,
        title: str,
        prompt: str,
        *,
        ok_text: str = "OK",
        placeholder: str = "",
        missing: str = "Give a reason: it is kept in the audit trail.",
        check: Callable[[str], str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self._missing = missing
        self._check = check
        self.prompt = QLabel(prompt)
        self.prompt.setWordWrap(True)
        self.field = QLineEdit(objectName="reasonField")
        self.field.setPlaceholderText(placeholder)
        self.field.setAccessibleName(prompt)
        self.prompt.setBuddy(self.field)
        self.error = QLabel(objectName="reasonError")
        self.error.setStyleSheet(themed_css(ERROR_STYLE))
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.field.textChanged.connect(self._on_field_text_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.field)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.ok_button.setDefault(True)  # Enter means OK (only takes effect once the button is in the dialog)
        self.field.setFocus()

    def reason(self) -> str:
        return self.field.text().strip()

    def accept(self) -> None:
        reason = self.reason()
        problem = self._missing if not reason else (self._check(reason) if self._check else None)
        if problem:
            self._show_problem(problem)
            return
        super().accept()
        self.reason_given.emit(reason)

    def _show_problem(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
        self.field.setStyleSheet(themed_css(FIELD_ERROR_STYLE))
        self.field.setAccessibleDescription(text)
        self.field.setFocus()

    def _on_field_text_changed(self, _text: str) -> None:
        if self.error.isVisible():
            self.error.hide()
            self.field.setStyleSheet("")
            self.field.setAccessibleDescription("")


def ask_reason(
    parent: QWidget,
    title: str,
    prompt: str,
    on_reason: Callable[[str], object],
    **options: object,
) -> ReasonDialog:
    """Open a ReasonDialog (window-modal, without blocking) and call `on_reason` with the reason once it is
    given. Returns the dialog, so that the caller (and its tests) can keep hold of it."""
    dialog = ReasonDialog(title, prompt, parent=parent, **options)  # type: ignore[arg-type]
    dialog.reason_given.connect(on_reason)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
