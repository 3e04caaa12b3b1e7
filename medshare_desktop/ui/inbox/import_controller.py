"""Bringing posts into the inbox: a file picked or dropped (several run one after another), a pasted
post, or the watched accounts' feeds fetched. Shows progress with Cancel, says the result in a
sentence, asks "Whose posts are these?" when a file could not tell, and has the new posts checked for
risks in the background. The inbox page owns the buttons and the list; this owns the work."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog, QWidget

from medshare_desktop.core.models import ImportReport
from medshare_desktop.core.services.import_service import ImportService
from medshare_desktop.core.services.refresh_service import RefreshReport, RefreshService
from medshare_desktop.core.services.risk_service import RiskService
from medshare_desktop.ui.inbox.assign_person_dialog import PersonAssigner
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.workers import CancelToken, TaskRunner, engine_pool

IMPORT_FILTER = "Post files (*.csv *.json *.js *.zip *.xml *.rss *.atom);;All files (*)"


class ImportController(QObject):
    import_finished = Signal(object)  # ImportReport
    refresh_finished = Signal(object)  # RefreshReport
    import_running = Signal(bool)  # a file is being imported: the Import button waits
    refresh_running = Signal(bool)  # the feeds are being fetched: the Refresh button waits
    posts_arrived = Signal()  # new posts are stored, or their risk has been checked: reload the list
    status = Signal(str)  # a sentence for the inbox's status line ("Import: 3 new, …")

    def __init__(
        self,
        imports: ImportService,
        risk: RiskService,
        assigner: PersonAssigner,
        tasks: TaskRunner,
        refresher: RefreshService | None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._window = parent  # the dialogs open over it
        self._imports = imports
        self._risk = risk
        self._assigner = assigner
        self._tasks = tasks
        self._engine_jobs = TaskRunner(self, engine_pool())  # queued with the window's other engine jobs
        self._refresher = refresher
        self._cancel: CancelToken | None = None
        self._progress: QProgressDialog | None = None
        self._queued: list[str] = []  # dropped files still to import, one after another

    # --- files ----------------------------------------------------------------------------
    def import_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._window, "Import posts", "", IMPORT_FILTER)
        if path:
            self.start_import(path)

    def import_dropped(self, paths: list[str]) -> None:
        self._queued.extend(paths)
        if self._progress is None:  # otherwise they follow the import that is running
            self.start_import(self._queued.pop(0))

    def start_import(self, source: str, fmt: str = "auto") -> None:
        self._cancel = CancelToken()
        self._progress = self._progress_dialog(f"Importing {source}…", "importProgress", "Import")
        self.import_running.emit(True)
        self._tasks.start(
            self._imports.import_source, source, fmt,
            cancelled=self._cancel, with_progress=True,
            on_progress=self._on_progress,
            on_done=self._on_import_done, on_error=self._on_import_failed,
        )

    def paste_post(self) -> None:
        text, ok = QInputDialog.getMultiLineText(self._window, "Paste a post", "Post text:")
        if not ok or not text.strip():
            return
        url, ok = QInputDialog.getText(self._window, "Paste a post", "Link to the original post (optional):")
        if not ok:
            return
        self._tasks.start(self._imports.import_pasted, text, url, on_done=self._on_import_done,
                          on_error=self._on_error)

    def _on_import_done(self, report: ImportReport) -> None:
        self._finish()
        self.status.emit(f"Import: {report.summary()}")
        self.import_finished.emit(report)
        self.posts_arrived.emit()
        self._assigner.ask_after_import(report)  # whose posts are these, when the file could not tell
        if report.new:
            self._analyse_new_posts()
        self._next_queued()

    def _on_import_failed(self, exc: BaseException, details: str) -> None:
        self._finish()
        self._on_error(exc, details)
        self._next_queued()  # each file lands whole or not at all: the others still import

    def _next_queued(self) -> None:
        if self._queued and not (self._cancel is not None and self._cancel()):  # Cancel stops the rest too
            self.start_import(self._queued.pop(0))
        else:
            self._queued.clear()

    # --- feeds ----------------------------------------------------------------------------
    def refresh_feeds(self) -> None:
        """Fetch new posts of watched accounts; offline, it says so and nothing changes."""
        if self._refresher is None:
            return
        self._cancel = CancelToken()
        self._progress = self._progress_dialog("Fetching new posts of watched accounts…", "refreshProgress", "Refresh")
        self.refresh_running.emit(True)
        self._tasks.start(
            self._refresher.refresh, cancelled=self._cancel, with_progress=True,
            on_progress=self._on_progress, on_done=self._on_refresh_done, on_error=self._on_refresh_failed,
        )

    def _on_refresh_done(self, report: RefreshReport) -> None:
        self._finish()
        self.refresh_running.emit(False)
        self.status.emit(f"Refresh: {report.summary()}")
        self.refresh_finished.emit(report)
        details = "\n".join(report.lines)
        box = QMessageBox(QMessageBox.Icon.Information, "Refresh", report.summary(), QMessageBox.StandardButton.Ok,
                          self._window)
        box.setObjectName("refreshReport")
        if details:
            box.setDetailedText(details)
        box.open()
        if report.new:
            self.posts_arrived.emit()
            self._analyse_new_posts()

    def _on_refresh_failed(self, exc: BaseException, details: str) -> None:
        self._finish()
        self.refresh_running.emit(False)
        self._on_error(exc, details)

    # --- shared ---------------------------------------------------------------------------
    def _progress_dialog(self, text: str, name: str, title: str) -> QProgressDialog:
        assert self._cancel is not None
        progress = QProgressDialog(text, "Cancel", 0, 100, self._window)
        progress.setObjectName(name)
        progress.setWindowTitle(title)
        progress.setMinimumDuration(300)
        progress.canceled.connect(self._cancel.cancel)
        return progress

    def _on_progress(self, done: int, total: int) -> None:
        if self._progress is not None and total > 0:
            self._progress.setValue(min(99, int(done * 100 / total)))

    def _finish(self) -> None:
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        self.import_running.emit(False)

    def _analyse_new_posts(self) -> None:
        self._engine_jobs.start(self._risk.analyze_unanalysed, key="analyse",
                                on_done=lambda _n: self.posts_arrived.emit(), on_error=self._on_error)

    def _on_error(self, exc: BaseException, details: str) -> None:
        show_exception(self._window, exc, details)
