"""Settings → Backups: the list of backups with a preview of each, "Back up now" and "Restore…".

On a team server there is no list and no button: ServerBackupsBox says that backups are the server's job.

Every backup, preview and restore runs in a TaskRunner worker. A restore asks for confirmation first
(`confirm` can be replaced, e.g. in tests) and emits `restored` so the other screens can reload.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.services.backup_service import (
    SERVER_BACKUPS,
    BackupInfo,
    BackupPreview,
    BackupService,
    RestoreReport,
)
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.workers import TaskRunner

KIND_LABELS = {
    "daily": "Daily",
    "manual": "Manual",
    "before-restore": "Before a restore",
    "before-encryption": "Before encryption",
}


def kind_label(reason: str) -> str:
    if reason.startswith("before-migration"):
        return "Before an upgrade"
    return KIND_LABELS.get(reason, reason.replace("-", " ").capitalize())


def ask_to_restore(parent: QWidget, backup: BackupInfo, preview: BackupPreview | None) -> bool:
    holds = f"\n\nIt holds {preview.summary()}." if preview else ""
    answer = QMessageBox.warning(
        parent,
        "Restore from backup",
        f"Replace the current database with the backup of {backup.created.astimezone():%d %b %Y %H:%M}?{holds}\n\n"
        "The current database is backed up first, so this can be undone by restoring that copy.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class ServerBackupsBox(QGroupBox):
    """The Backups box for a database on a team server: who backs it up, and how (nothing to press here)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Backups", parent)
        self.setObjectName("backupsBox")
        self.status = QLabel(SERVER_BACKUPS)
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self).addWidget(self.status)


class BackupsBox(QGroupBox):
    backed_up = Signal(str)  # path of the new backup
    restored = Signal(str)  # the restore report's summary

    def __init__(
        self,
        backups: BackupService,
        parent: QWidget | None = None,
        confirm: Callable[[QWidget, BackupInfo, BackupPreview | None], bool] = ask_to_restore,
        read_only: bool = False,
    ) -> None:
        super().__init__("Backups", parent)
        self.setObjectName("backupsBox")
        self._backups = backups
        self._confirm = confirm
        self._read_only = read_only  # another instance has the database: no restore from here
        self._tasks = TaskRunner(self)
        self._items: list[BackupInfo] = []
        self._previews: dict[str, BackupPreview] = {}

        self.table = QTableWidget(0, 4)
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels(["Taken", "Kind", "Size", "File"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        self.table.setMaximumHeight(170)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self.preview = QLabel("Choose a backup to see what it holds.")
        self.preview.setObjectName("backupPreview")
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel("")
        self.status.setObjectName("backupStatus")
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.back_up_button = QPushButton("Back up now")
        self.back_up_button.setObjectName("backUpNow")
        self.back_up_button.clicked.connect(self._on_back_up_clicked)
        self.restore_button = QPushButton("Restore from backup…")
        self.restore_button.setObjectName("restoreBackup")
        self.restore_button.setEnabled(False)
        self.restore_button.clicked.connect(self._on_restore_clicked)

        buttons = QHBoxLayout()
        buttons.addWidget(self.back_up_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.preview)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.refresh()

    # --- list ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self._tasks.start(
            self._backups.list_backups, on_done=self._on_list_loaded, on_error=self._on_failed, key="list"
        )

    def _on_list_loaded(self, items: list[BackupInfo]) -> None:
        self._items = items
        self.table.setRowCount(len(items))
        for row, backup in enumerate(items):
            cells = (
                f"{backup.created.astimezone():%Y-%m-%d %H:%M}",
                kind_label(backup.reason),
                backup.size_label,
                backup.name,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(backup.name)
                self.table.setItem(row, column, item)
        if not items:
            self.preview.setText("No backups yet. One is taken every day when the app starts.")
        elif self.selected() is None:
            self.preview.setText(
                f"{len(items)} backup(s); one is taken every day when the app starts and before each upgrade. "
                "Choose one to see what it holds."
            )
        self._on_table_selection_changed()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._items[rows[0].row()] if rows and rows[0].row() < len(self._items) else None

    def _on_table_selection_changed(self) -> None:
        backup = self.selected()
        self.restore_button.setEnabled(backup is not None and not self._tasks.busy() and not self._read_only)
        if backup is None:
            return
        self.preview.setText("Reading the backup…")
        self._tasks.start(
            self._backups.preview,
            backup,
            on_done=lambda preview: self._on_preview_loaded(backup, preview),
            on_error=self._on_preview_failed,
            key="preview",
        )

    def _on_preview_loaded(self, backup: BackupInfo, preview: BackupPreview) -> None:
        self._previews[backup.path] = preview
        self.preview.setText(f"{backup.name}: {preview.summary()}.")

    def _on_preview_failed(self, exc: BaseException, _details: str) -> None:
        self.preview.setText(f"This backup cannot be read: {exc}")

    # --- actions ------------------------------------------------------------------------
    def _busy(self, message: str) -> None:
        self.status.setText(message)
        self.back_up_button.setEnabled(False)
        self.restore_button.setEnabled(False)

    def _idle(self, message: str) -> None:
        self.status.setText(message)
        self.back_up_button.setEnabled(True)
        self.restore_button.setEnabled(self.selected() is not None and not self._read_only)

    def _on_back_up_clicked(self) -> None:
        self._busy("Backing up…")
        self._tasks.start(self._backups.back_up_now, on_done=self._on_backed_up, on_error=self._on_failed)

    def _on_backed_up(self, backup: BackupInfo) -> None:
        self._idle(f"Backed up to {backup.name} ({backup.size_label}).")
        self.refresh()
        self.backed_up.emit(backup.path)

    def _on_restore_clicked(self) -> None:
        backup = self.selected()
        if backup is None or not self._confirm(self, backup, self._previews.get(backup.path)):
            return
        self._busy("Restoring… (the current database is backed up first)")
        self._tasks.start(self._backups.restore, backup, on_done=self._on_restored, on_error=self._on_failed)

    def _on_restored(self, report: RestoreReport) -> None:
        self._idle(report.summary())
        self.refresh()
        self.restored.emit(report.summary())

    def _on_failed(self, exc: BaseException, details: str) -> None:
        self._idle("")
        show_exception(self, exc, details)
