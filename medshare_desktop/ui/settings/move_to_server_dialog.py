"""File → Move to a team server…: asks for the server's address and password, moves this database there
in a worker (ServerMoveService, one transaction on the server) with its progress lines, Cancel, and the
report at the end. The database file is only read; nothing here touches it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.services.server_move_service import MoveCancelled, MoveReport, ServerMoveService
from medshare_desktop.ui.shared.workers import CancelToken, TaskRunner

INTRO = (
    "Copies this computer's database, with its signed consent forms, to an EMPTY database on the team "
    "server, in one transaction: if anything goes wrong nothing is kept there. Row counts, checksums and "
    "the audit trail are checked on the server before it is committed. The database file here stays "
    "exactly as it was. Afterwards, point every desk at the server (Settings → Database); backups then "
    "are the server's job."
)
PLACEHOLDER = "postgresql+psycopg://owner@db.hospital.example/medshare"


class _Lines(QObject):
    """Progress lines from the worker thread, delivered on the GUI thread (a queued signal)."""

    line = Signal(str)


class MoveToServerDialog(QDialog):
    moved = Signal(object)  # the MoveReport, once committed on the server

    def __init__(self, mover: ServerMoveService | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moveToServerDialog")
        self.setWindowTitle("Move to a team server")
        self.resize(640, 460)
        self._mover = mover
        self._runner = TaskRunner(self)
        self._token: CancelToken | None = None
        self.report: MoveReport | None = None
        intro = QLabel(INTRO if mover is not None else "This database is not a file on this computer (it is on a "
                       "server already, or in memory): there is nothing to move.")
        intro.setWordWrap(True)
        self.url = QLineEdit()
        self.url.setObjectName("serverUrl")
        self.url.setPlaceholderText(PLACEHOLDER)
        self.password = QLineEdit()
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("(if not in the address or the keyring)")
        form = QFormLayout()
        form.addRow("Server database:", self.url)
        form.addRow("Password:", self.password)
        self.log = QPlainTextEdit()
        self.log.setObjectName("moveLog")
        self.log.setReadOnly(True)
        self.status = QLabel("")
        self.status.setObjectName("moveStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox()
        self.move_button = QPushButton("Move")
        self.move_button.setObjectName("moveButton")
        self.move_button.setDefault(True)
        self.move_button.setEnabled(mover is not None)
        self.cancel_button = QPushButton("Close")
        self.cancel_button.setObjectName("cancelMoveButton")
        self.buttons.addButton(self.move_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.move_button.clicked.connect(self._on_move_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.log, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._lines = _Lines(self)
        self._lines.line.connect(self.log.appendPlainText)

    @property
    def running(self) -> bool:
        return self._token is not None

    def _on_move_clicked(self) -> None:
        url = self.url.text().strip()
        if "://" not in url:
            self.status.setText(f"Give the server database's address, for example {PLACEHOLDER}.")
            self.url.setFocus()
            return
        assert self._mover is not None
        self._token = CancelToken()
        self.log.clear()
        self.status.setText("Moving… (Cancel leaves the server database as it was)")
        for widget in (self.url, self.password, self.move_button):
            widget.setEnabled(False)
        self.cancel_button.setText("Cancel")
        self._runner.start(self._mover.move, url, progress=self._lines.line.emit, cancelled=self._token,
                           password=self.password.text(), on_done=self._on_move_done, on_error=self._on_move_failed)

    def _on_cancel_clicked(self) -> None:
        if self._token is not None:
            self._token.cancel()
            self.status.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
            return
        self.reject()

    def _finished(self, message: str, again: bool) -> None:
        self._token = None
        self.status.setText(message)
        self.cancel_button.setText("Close")
        self.cancel_button.setEnabled(True)
        for widget in (self.url, self.password, self.move_button):
            widget.setEnabled(again)

    def _on_move_done(self, report: MoveReport) -> None:
        self.report = report
        self.log.appendPlainText("\n".join(["", *report.lines()]))
        self._finished(report.summary(), again=False)
        self.moved.emit(report)

    def _on_move_failed(self, exc: BaseException, _details: str) -> None:
        if isinstance(exc, MoveCancelled | MedshareError):
            self._finished(str(exc), again=True)
        else:  # a bug: the global error dialog (with details) takes it from here
            self._finished("The move failed; nothing was kept on the server.", again=True)
            raise exc

    def reject(self) -> None:
        if self.running:  # the worker is still copying: cancel, and close once it has stopped
            self._on_cancel_clicked()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.running:
            self._on_cancel_clicked()
            event.ignore()
            return
        super().closeEvent(event)
