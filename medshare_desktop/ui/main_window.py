"""The main window: a thin shell with a sidebar of screens, menus with shortcuts and a status bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QSettings, QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop import __version__
from medshare_desktop.core.abilities import EVERYTHING, Abilities
from medshare_desktop.core.changes import Changes
from medshare_desktop.ui.shared.abilities import hold
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.page import OpeningPage, Page
from medshare_desktop.ui.shared.server_banner import ServerBanner

GEOMETRY_KEY = "main_window/geometry"  # QSettings holds the window geometry only (settings live in the database)


@dataclass(frozen=True)
class PageSpec:
    key: str  # "inbox", "calendar", ...
    title: str
    page: Page

    @property
    def widget(self) -> QWidget:
        return self.page.widget


class MainWindow(QMainWindow):
    """The shell: the sidebar shows one Page at a time; the menus ask for work through signals, which
    app.py connects to the screens that do it (the window calls no screen's methods by name)."""

    page_changed = Signal(str)
    import_requested = Signal()
    paste_requested = Signal()
    print_requested = Signal()
    print_preview_requested = Signal()
    export_pdf_requested = Signal()
    export_ics_requested = Signal()
    policy_sheet_requested = Signal()  # Help → Policy sheet for physicians…
    move_to_server_requested = Signal()  # File → Move to a team server…

    def __init__(self, pages: list[PageSpec], database_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("MedShare Desktop")
        self.setObjectName("mainWindow")
        self._pages = pages
        self.operations: Operations | None = None  # attach(): the window's one door for changes
        self._sidebar = QListWidget()
        self._sidebar.setObjectName("sidebar")
        self._sidebar.setFixedWidth(170)
        self._sidebar.setIconSize(QSize(20, 20))
        self._stack = QStackedWidget()
        for spec in pages:
            item = QListWidgetItem(spec.title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            item.setSizeHint(QSize(150, 36))
            self._sidebar.addItem(item)
            self._stack.addWidget(spec.widget)
        self._sidebar.currentRowChanged.connect(self._on_sidebar_row_changed)
        self.server_banner = ServerBanner()  # a team server that went away (Operations.server_reachable_changed)
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.server_banner)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._sidebar)
        layout.addWidget(self._stack, 1)
        outer.addLayout(layout, 1)
        self.setCentralWidget(central)
        self._engine_label = QLabel("Risk engine: loading…")
        self._engine_label.setObjectName("engineStatus")
        self._database_label = QLabel(database_label)
        self._login_label = QLabel()  # set_abilities: "Read-only login (medshare_viewer)" on a team server
        self._login_label.setObjectName("loginAbilities")
        self._login_label.hide()
        self.abilities = EVERYTHING
        self.statusBar().addPermanentWidget(self._login_label)
        self.statusBar().addPermanentWidget(self._database_label)
        self.statusBar().addPermanentWidget(self._engine_label)
        self._build_menus()
        self._restore_geometry()
        self._sidebar.setCurrentRow(0)

    def fill(self, pages: list[PageSpec], database_label: str) -> None:
        """The real screens in place of the ones shown while the database was opening (same keys, same order)."""
        if [p.key for p in pages] != [p.key for p in self._pages]:
            raise ValueError("fill() takes the same screens in the same order")
        current = self._stack.currentIndex()
        for index, spec in enumerate(pages):
            waiting = self._stack.widget(index)
            self._stack.insertWidget(index, spec.widget)
            self._stack.removeWidget(waiting)
            waiting.deleteLater()
        self._pages = list(pages)
        self._database_label.setText(database_label)
        self._on_sidebar_row_changed(current)  # the screen on show loads, as when it is chosen

    # --- navigation ----------------------------------------------------------------------
    def page(self, key: str) -> QWidget:
        for spec in self._pages:
            if spec.key == key:
                return spec.widget
        raise KeyError(key)

    def current_key(self) -> str:
        return self._pages[self._stack.currentIndex()].key

    def show_page(self, key: str) -> None:
        for row, spec in enumerate(self._pages):
            if spec.key == key:
                self._sidebar.setCurrentRow(row)
                return
        raise KeyError(key)

    def _on_sidebar_row_changed(self, row: int) -> None:
        if row < 0:
            return
        self._stack.setCurrentIndex(row)
        spec = self._pages[row]
        spec.page.on_shown()
        self.page_changed.emit(spec.key)

    def attach(self, ops: Operations) -> None:
        """Hand every change the operations announce to every screen."""
        self.operations = ops
        ops.setParent(self)
        ops.changes_applied.connect(self.apply_changes)
        ops.server_reachable_changed.connect(self._on_ops_server_reachable_changed)

    def _on_ops_server_reachable_changed(self, reachable: bool) -> None:
        self.server_banner.set_reachable(reachable)
        if reachable:
            self.show_message(f"Reconnected to the team server at {self.server_banner.server}.", 10_000)

    def apply_changes(self, changes: Changes, initiator: object = None) -> None:
        """Every screen hears of a change (Operations.changes_applied); the one that made it has updated itself."""
        for spec in self._pages:
            if spec.page is not initiator:
                spec.page.apply_changes(changes)

    # --- menus ---------------------------------------------------------------------------
    def _action(self, text: str, shortcut: QKeySequence | str | None, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _request(self, key: str, signal: SignalInstance) -> Callable[[], None]:
        def call() -> None:
            self.show_page(key)
            signal.emit()

        return call

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.import_action = self._action("&Import posts…", "Ctrl+I", self._request("inbox", self.import_requested))
        self.paste_action = self._action("&Paste a post…", "Ctrl+Shift+V", self._request("inbox", self.paste_requested))
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.paste_action)
        file_menu.setToolTipsVisible(True)  # a disabled action says why (set_abilities)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Print calendar…", QKeySequence.StandardKey.Print,
                                         self._request("calendar", self.print_requested)))
        file_menu.addAction(self._action("Print pre&view…", "Ctrl+Shift+P",
                                         self._request("calendar", self.print_preview_requested)))
        file_menu.addAction(self._action("Export calendar as P&DF…", None, self._request("calendar", self.export_pdf_requested)))
        file_menu.addAction(self._action("Export calendar as I&CS…", None, self._request("calendar", self.export_ics_requested)))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Move to a team server…", None, self.move_to_server_requested.emit))
        file_menu.addSeparator()
        quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, self.close)
        quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(quit_action)

        go_menu = bar.addMenu("&Go")
        for number, spec in enumerate(self._pages, start=1):
            go_menu.addAction(self._action(spec.title, f"Ctrl+{number}", lambda _checked=False, k=spec.key: self.show_page(k)))
        go_menu.addSeparator()
        go_menu.addAction(self._action("&Refresh", QKeySequence.StandardKey.Refresh, self._refresh_current))

        help_menu = bar.addMenu("&Help")
        policy_sheet = self._action("&Policy sheet for physicians…", None, self.policy_sheet_requested.emit)
        policy_sheet.setObjectName("policySheetAction")
        help_menu.addAction(policy_sheet)
        help_menu.addSeparator()
        about = self._action("&About MedShare Desktop", None, self.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(about)

    def _refresh_current(self) -> None:
        self._pages[self._stack.currentIndex()].page.refresh()

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setObjectName("aboutBox")
        box.setWindowTitle("About MedShare Desktop")
        box.setText(f"<b>MedShare Desktop {__version__}</b>")
        box.setInformativeText(
            "Review, consent-check and schedule re-shares of your staff's social posts — offline, "
            "with every decision kept in an audit trail."
        )
        box.open()

    # --- what this login may change --------------------------------------------------------
    def set_abilities(self, abilities: Abilities) -> None:
        """Every screen disables what this login may not change (with the reason as a tooltip), and the status
        bar says so: "Read-only login (medshare_viewer)". Only a courtesy: the server refuses such changes."""
        self.abilities = abilities
        hold(abilities, "posts", [self.import_action, self.paste_action])
        for spec in self._pages:
            spec.page.set_abilities(abilities)
        note = abilities.summary()
        self._login_label.setText(note)
        self._login_label.setToolTip("\n\n".join(abilities.why_not(area) for area in abilities.refused()))
        self._login_label.setVisible(bool(note))

    # --- status --------------------------------------------------------------------------
    def set_engine_status(self, text: str) -> None:
        self._engine_label.setText(text)

    def show_message(self, text: str, msecs: int = 6000) -> None:
        self.statusBar().showMessage(text, msecs)

    # --- geometry ------------------------------------------------------------------------
    def _restore_geometry(self) -> None:
        """Where and how big the window was when last closed (maximised included); maximised the first time."""
        geometry = QSettings().value(GEOMETRY_KEY)
        if geometry is not None and self.restoreGeometry(geometry):
            return
        self.resize(1280, 800)  # the size it returns to when the user un-maximises it
        self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        QSettings().setValue(GEOMETRY_KEY, self.saveGeometry())
        super().closeEvent(event)


def opening_page(title: str) -> OpeningPage:
    """What a screen shows for the moment the database takes to open at start-up."""
    return OpeningPage(title)
