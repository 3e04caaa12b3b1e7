"""Message helpers: user-facing errors from MedshareError, and one global dialog for the unexpected."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from medshare_desktop.core.errors import MedshareError

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, message: str, title: str = "MedShare Desktop") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorMessage")
    box.open()


def show_exception(parent: QWidget | None, exc: BaseException, details: str = "") -> None:
    """A MedshareError's sentence as is; anything else as an unexpected error with details to copy."""
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
