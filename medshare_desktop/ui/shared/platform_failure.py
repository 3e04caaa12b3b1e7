"""While the QApplication is being made: if Qt cannot load a platform plugin (it then ends the
process), say which system libraries are missing and how to install them, not only Qt's own words."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

from medshare_desktop.system_libraries import platform_failure_message

log = logging.getLogger(__name__)

_FAILED_PLUGIN = re.compile(r'Could not load the Qt platform plugin "([\w-]+)"')

Handler = Callable[[QtMsgType, QMessageLogContext, str], None] | None


def install_platform_failure_handler() -> Handler:
    """Installs the handler; returns the previous one, to put back once the QApplication exists."""
    failed: list[str] = []

    def handler(kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        sys.stderr.write(message + "\n")  # Qt's own words, as it would have printed them
        match = _FAILED_PLUGIN.search(message)
        if match:
            failed.append(match.group(1))
        if kind == QtMsgType.QtFatalMsg and (failed or "platform plugin" in message):
            text = platform_failure_message(message, failed[-1] if failed else None)
            log.critical("%s", text)
            sys.stderr.write(f"medshare: error: {text}\n")
            sys.stderr.flush()

    return qInstallMessageHandler(handler)
