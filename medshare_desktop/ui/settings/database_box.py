"""Settings → Database: where this desk's data lives — this computer's file or the team's server.

The box edits a ServerAddress and hands it to DatabaseLocationService: "Test connection" and "Save"
run in workers (a server may take seconds to answer, the keyring may ask to be unlocked). The
password field is cleared once Save is pressed; the service puts the password in the keyring and
only the address in the config file. The switch happens at the next start; "Restart now" (shown when the
saved choice would open another database) asks, then closes the window and app.run starts the app again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.database_location import DEFAULT_PORT, DatabaseKind, ServerAddress, ServerCheck, TlsMode
from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.services.database_location_service import DatabaseLocationService, DatabaseSetup
from medshare_desktop.ui.shared.colours import themed_css
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.workers import TaskRunner

OK_STYLE = "color: #0a6b2d; font-weight: 600;"
PROBLEM_STYLE = "color: #b00020; font-weight: 600;"
WARNING_STYLE = "color: #8a4b00;"
NO_PASSWORD_HINT = "Kept in this computer's keyring, never in a file"
SAVED_PASSWORD_HINT = "A password is saved in the keyring (type to replace it)"


def choose_ca_file(parent: QWidget) -> str:
    name, _ = QFileDialog.getOpenFileName(parent, "The server's CA certificate", "",
                                          "Certificates (*.crt *.pem *.cer);;All files (*)")
    return name


def confirm_restart(parent: QWidget, title: str, question: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, question,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.button(QMessageBox.StandardButton.Yes).setText("Restart now")
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    return box.exec() == QMessageBox.StandardButton.Yes


def _multiline_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    return label


class DatabaseBox(QGroupBox):
    """Choose "This computer" or "Team server", test the server, save the choice for the next start."""

    saved = Signal(str)  # the sentence saying what was saved and when it applies
    restart_requested = Signal()  # the user asked to close and start again on the saved database

    def __init__(
        self,
        locations: DatabaseLocationService,
        parent: QWidget | None = None,
        choose_file: Callable[[QWidget], str] = choose_ca_file,
        confirm: Callable[[QWidget, str, str], bool] = confirm_restart,
    ) -> None:
        super().__init__("Database: where this desk's data lives", parent)
        self.setObjectName("databaseBox")
        self._locations = locations
        self._choose_file = choose_file
        self._confirm = confirm
        self._tasks = TaskRunner(self)
        self._fill_form = True  # the saved choice fills the form once, and after a save; never over edits

        self.in_use = _multiline_label(name="databaseInUse")
        self.this_computer = QRadioButton("This computer")
        self.this_computer.setObjectName("databaseThisComputer")
        self.team_server = QRadioButton("Team server (PostgreSQL, shared by the team)")
        self.team_server.setObjectName("databaseTeamServer")
        self.kind = QButtonGroup(self)
        self.kind.addButton(self.this_computer)
        self.kind.addButton(self.team_server)
        self.this_computer.setChecked(True)
        self.kind.buttonToggled.connect(self._on_kind_toggled)
        self.local_file = _multiline_label(name="databaseLocalFile")
        self.local_file.setIndent(24)

        self.host = QLineEdit()
        self.host.setObjectName("serverHost")
        self.host.setPlaceholderText("db.hospital.example")
        self.port = QSpinBox()
        self.port.setObjectName("serverPort")
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setGroupSeparatorShown(False)
        self.database = QLineEdit("medshare")
        self.database.setObjectName("serverDatabase")
        self.user = QLineEdit()
        self.user.setObjectName("serverUser")
        self.user.setPlaceholderText("your own user on the server, e.g. jdoe")
        self.password = QLineEdit()
        self.password.setObjectName("serverPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.password.setPlaceholderText(NO_PASSWORD_HINT)
        self.tls = QComboBox()
        self.tls.setObjectName("serverTls")
        for mode in TlsMode:
            self.tls.addItem(mode.label, mode.value)
        self.tls.currentIndexChanged.connect(self._on_tls_changed)
        self.ca_file = QLineEdit()
        self.ca_file.setObjectName("serverCaFile")
        self.ca_file.setPlaceholderText("Optional: the CA certificate from your IT team (.crt or .pem)")
        self.browse = QPushButton("Choose…")
        self.browse.setObjectName("chooseCaFile")
        self.browse.clicked.connect(self._on_browse_clicked)
        self.tls_warning = _multiline_label(name="tlsWarning")
        self.tls_warning.setStyleSheet(themed_css(WARNING_STYLE))
        self.tls_warning.setVisible(False)
        self.test_button = QPushButton("Test connection")
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self._on_test_clicked)
        self.result = _multiline_label(name="connectionResult")
        self.result.setVisible(False)

        address_row = QHBoxLayout()
        address_row.addWidget(self.host, 1)
        address_row.addWidget(QLabel("Port"))
        address_row.addWidget(self.port)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.browse)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addStretch(1)
        self.server_fields = QWidget()
        self.server_fields.setObjectName("serverFields")
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Host", address_row)
        form.addRow("Database", self.database)
        form.addRow("User", self.user)
        form.addRow("Password", self.password)
        form.addRow("Encryption (TLS)", self.tls)
        form.addRow("CA file", ca_row)
        server_layout = QVBoxLayout(self.server_fields)
        server_layout.setContentsMargins(24, 0, 0, 0)
        server_layout.addLayout(form)
        server_layout.addWidget(self.tls_warning)
        server_layout.addLayout(test_row)
        server_layout.addWidget(self.result)

        self.save_button = QPushButton("Save database choice")
        self.save_button.setObjectName("saveDatabaseChoice")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.status = _multiline_label("The choice applies when MedShare Desktop next starts.", "databaseStatus")
        self.restart_button = QPushButton("Restart now")  # shown once a saved choice would open another database
        self.restart_button.setObjectName("restartToSwitch")
        self.restart_button.setVisible(False)
        self.restart_button.clicked.connect(self._on_restart_clicked)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.restart_button)
        save_row.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.in_use)
        layout.addWidget(self.this_computer)
        layout.addWidget(self.local_file)
        layout.addWidget(self.team_server)
        layout.addWidget(self.server_fields)
        layout.addLayout(save_row)
        layout.addWidget(self.status)
        self._on_kind_toggled()
        self._on_tls_changed()
        self.refresh()

    # --- public -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Load the saved choice (config file and keyring: off the GUI thread)."""
        self._tasks.start(self._locations.current, key="current", on_done=self._on_loaded, on_error=self._on_failed)

    def address(self) -> ServerAddress:
        return ServerAddress(
            host=self.host.text(),
            database=self.database.text(),
            user=self.user.text(),
            port=self.port.value(),
            tls=TlsMode(self.tls.currentData()),
            ca_file=self.ca_file.text(),
        )

    # --- slots --------------------------------------------------------------------------
    def _on_loaded(self, setup: DatabaseSetup) -> None:
        self.local_file.setText(f"The file {setup.local_file}")
        in_use = setup.in_use.removeprefix("sqlite:///")
        if "://" in in_use:
            in_use = "the team server " + in_use.split("@")[-1].split("?")[0]
        note = {
            "--db": " (chosen with --db, which takes precedence over the choice saved here)",
            "MEDSHARE_DB": " (chosen with MEDSHARE_DB, which takes precedence over the choice saved here)",
            "--demo": " (the demo database)",
            "fallback": " (opened instead of the team server saved here, which could not be opened at start)",
        }.get(setup.started_with, "")
        self.in_use.setText(f"This window uses {in_use}{note}." if in_use else "")
        server = setup.saved.server
        if self._fill_form:
            self._fill_form = False
            self._show_saved(setup)
        same = server is not None and self.address().password_entry == server.password_entry
        self.password.setPlaceholderText(SAVED_PASSWORD_HINT if same and setup.password_saved else NO_PASSWORD_HINT)

    def _show_saved(self, setup: DatabaseSetup) -> None:
        server = setup.saved.server
        if setup.saved.kind is DatabaseKind.TEAM_SERVER and server is not None:
            self.team_server.setChecked(True)
            self.host.setText(server.host)
            self.port.setValue(server.port)
            self.database.setText(server.database)
            self.user.setText(server.user)
            self.tls.setCurrentIndex(max(self.tls.findData(server.tls.value), 0))
            self.ca_file.setText(server.ca_file)
        else:
            self.this_computer.setChecked(True)

    def _on_kind_toggled(self, *_args: object) -> None:
        self.server_fields.setEnabled(self.team_server.isChecked())
        self.local_file.setEnabled(self.this_computer.isChecked())

    def _on_tls_changed(self, *_args: object) -> None:
        warning = TlsMode(self.tls.currentData()).warning
        self.tls_warning.setText(warning)
        self.tls_warning.setVisible(bool(warning))

    def _on_browse_clicked(self) -> None:
        chosen = self._choose_file(self)
        if chosen:
            self.ca_file.setText(chosen)

    def _on_test_clicked(self) -> None:
        address = self.address()
        self.test_button.setEnabled(False)
        self._say(f"Connecting to {address.host.strip() or '…'}:{address.port}…", "")
        self._tasks.start(self._locations.test, address, self.password.text(), key="test",
                          on_done=self._on_tested, on_error=self._on_test_failed)

    def _on_tested(self, check: ServerCheck) -> None:
        self.test_button.setEnabled(True)
        self._say(("✔ " if check.ok else "✘ ") + check.message, OK_STYLE if check.ok else PROBLEM_STYLE)

    def _on_test_failed(self, exc: BaseException, details: str) -> None:
        self.test_button.setEnabled(True)
        if isinstance(exc, MedshareError):  # a field to fix: said beside the button, not in a dialog
            self._say("✘ " + str(exc), PROBLEM_STYLE)
            return
        self._say("", "")
        show_exception(self, exc, details)

    def _on_save_clicked(self) -> None:
        password = self.password.text()
        self.password.clear()  # the widget keeps no copy once Save is pressed
        self.save_button.setEnabled(False)
        if self.team_server.isChecked():
            self._tasks.start(self._locations.save_team_server, self.address(), password,
                              on_done=self._on_saved, on_error=self._on_save_failed)
        else:
            self._tasks.start(self._locations.save_this_computer, on_done=self._on_saved, on_error=self._on_save_failed)

    def _on_saved(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.status.setText(message)
        self.status.setStyleSheet(themed_css(OK_STYLE))
        self.saved.emit(message)
        self._fill_form = True  # show what was saved, as the next start will read it
        self.refresh()
        self._tasks.start(self._locations.restart_would_switch, key="switch", on_done=self.restart_button.setVisible,
                          on_error=self._on_failed)

    def _on_restart_clicked(self) -> None:
        answer = self._confirm(
            self, "Restart MedShare Desktop",
            "MedShare Desktop will close and open again on the database you saved. An edit you have not saved "
            "yet is lost: save it first. Restart now?")
        if answer:
            self.restart_requested.emit()

    def _on_save_failed(self, exc: BaseException, details: str) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, MedshareError):
            self.status.setText(str(exc))
            self.status.setStyleSheet(themed_css(PROBLEM_STYLE))
            return
        show_exception(self, exc, details)

    def _on_failed(self, exc: BaseException, details: str) -> None:
        show_exception(self, exc, details)

    def _say(self, text: str, style: str) -> None:
        self.result.setText(text)
        self.result.setStyleSheet(themed_css(style) if style else "")
        self.result.setVisible(bool(text))
