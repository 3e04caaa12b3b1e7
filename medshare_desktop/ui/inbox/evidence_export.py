"""Inbox → "Export evidence…": the snapshot kept at a post's approval, as a zip for legal or compliance.

Reading the snapshot and checking it against the audit trail (the whole chain: the slow part) and writing
the zip run on worker threads; the PDF summary is painted in between on the GUI thread (QTextDocument, a
page or two). Nothing is written to the database, so this does not go through Operations.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from medshare_desktop.core.services.evidence_service import EvidencePackage, EvidenceService, write_zip
from medshare_desktop.ui.printing.evidence_summary import summary_pdf
from medshare_desktop.ui.shared.workers import TaskRunner


class EvidenceExporter(QObject):
    """Asks where to save, then exports; `finished(message, ok)` says what was written and whether it verified."""

    finished = Signal(str, bool)
    failed = Signal(BaseException, str)
    running_changed = Signal(bool)

    def __init__(self, service: EvidenceService, parent: QWidget) -> None:
        super().__init__(parent)
        self._service = service
        self._parent = parent
        self._tasks = TaskRunner(self)
        self.running = False

    def export(self, post_id: int) -> None:
        if self.running:
            return
        path, _ = QFileDialog.getSaveFileName(
            self._parent, "Export evidence at approval", f"post-{post_id}-evidence.zip", "Zip archive (*.zip)"
        )
        if not path:
            return
        if not path.lower().endswith(".zip"):
            path += ".zip"
        self._set_running(True)
        self._tasks.start(self._service.package, post_id,
                          on_done=lambda package: self._on_package(package, path), on_error=self._on_error)

    def _on_package(self, package: EvidencePackage, path: str) -> None:
        try:
            pdf = summary_pdf(package)
        except Exception as exc:  # noqa: BLE001 - shown to the user like a worker's error
            self._on_error(exc, repr(exc))
            return
        self._tasks.start(write_zip, path, package, pdf,
                          on_done=lambda _target: self._on_written(package, path), on_error=self._on_error)

    def _on_written(self, package: EvidencePackage, path: str) -> None:
        self._set_running(False)
        check = package.check
        if check.verified:
            message = (f"Evidence of post {package.evidence.post_id} saved to {path}: the snapshot matches its sealed "
                       "audit event and the audit trail verifies.")
        else:
            first = (list(check.snapshot_problems) + list(check.chain_problems))[0]
            message = f"Evidence saved to {path}, but it does NOT verify: {first}"
        self.finished.emit(message, check.verified)

    def _on_error(self, exc: BaseException, details: str) -> None:
        self._set_running(False)
        self.failed.emit(exc, details)

    def _set_running(self, running: bool) -> None:
        self.running = running
        self.running_changed.emit(running)
