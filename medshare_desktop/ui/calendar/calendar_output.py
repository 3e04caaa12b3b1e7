"""Print, print preview, PDF and ICS export of the visible month: dialogs here, work on TaskRunner."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.services.schedule_service import MonthSchedule, ScheduleService
from medshare_desktop.ui.printing.export import default_page_size, landscape_layout, paint_on, write_pdf
from medshare_desktop.ui.shared.workers import TaskRunner

Report = Callable[[str, str], None]  # (message, "info" | "error")


def _now() -> datetime:
    return datetime.now().astimezone()


def write_ics(path: str, entries_of: Callable[[], MonthSchedule], schedule: ScheduleService) -> str:
    month = entries_of()
    try:
        Path(path).write_bytes(schedule.export_ics(month))
    except OSError as exc:
        raise MedshareError(f"{path}: cannot be written ({exc.strerror})") from None
    return f"Saved {len(month.entries)} re-share(s) of {month.first:%B %Y} to {path}."


class CalendarOutput(QObject):
    def __init__(
        self,
        page: QWidget,
        schedule: ScheduleService,
        tasks: TaskRunner,
        current: Callable[[], MonthSchedule | None],
        report: Report,
    ) -> None:
        super().__init__(page)
        self._page = page
        self._schedule = schedule
        self._tasks = tasks
        self._current = current
        self._report = report
        self._keep: list[object] = []  # printers alive until their print job ends
        self._previews: list[tuple[QPrintPreviewDialog, QPrinter]] = []

    def _month(self) -> MonthSchedule | None:
        month = self._current()
        if month is None:
            self._report("The month is still loading; try again in a moment.", "error")
        return month

    def _printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(landscape_layout(default_page_size()))
        return printer

    def _done(self, message: str) -> None:
        self._keep.clear()
        self._report(message, "info")

    def _failed(self, exc: BaseException, _details: str) -> None:
        self._keep.clear()
        self._report(str(exc) if isinstance(exc, MedshareError) else f"Printing failed: {exc}", "error")

    def _fresh(self, month: MonthSchedule) -> Callable[[], MonthSchedule]:
        return lambda: self._schedule.month(month.year, month.month)

    def print_month(self) -> None:
        month = self._month()
        if month is None:
            return
        printer = self._printer()
        dialog = QPrintDialog(printer, self._page)
        dialog.setObjectName("calendarPrintDialog")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._keep.append(printer)
        fetch, actor = self._fresh(month), self._schedule.actor

        def job() -> str:
            fresh = fetch()
            paint_on(printer, printer.resolution(), fresh, actor, _now())
            return f"Sent {fresh.first:%B %Y} to the printer."

        self._tasks.start(job, on_done=self._done, on_error=self._failed)

    def print_preview(self) -> None:
        month = self._month()
        if month is None:
            return
        printer = self._printer()  # the dialog does not own it: kept alive with the dialog
        dialog = QPrintPreviewDialog(printer, self._page)
        dialog.setObjectName("calendarPrintPreview")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        actor = self._schedule.actor
        dialog.paintRequested.connect(lambda device: paint_on(device, device.resolution(), month, actor, _now()))
        self._previews.append((dialog, printer))
        dialog.finished.connect(lambda _code: self._previews.remove((dialog, printer)))
        dialog.open()

    def _save_path(self, title: str, month: MonthSchedule, suffix: str, pattern: str) -> str:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        default = str(Path(folder) / f"reshare-calendar-{month.first:%Y-%m}.{suffix}")
        path, _ = QFileDialog.getSaveFileName(self._page, title, default, pattern)
        if path and not path.lower().endswith(f".{suffix}"):
            path += f".{suffix}"
        return path

    def export_pdf(self) -> None:
        month = self._month()
        if month is None:
            return
        path = self._save_path("Export calendar as PDF", month, "pdf", "PDF files (*.pdf)")
        if not path:
            return
        fetch, actor = self._fresh(month), self._schedule.actor

        def job() -> str:
            fresh = fetch()
            write_pdf(path, fresh, actor, _now())
            return f"Saved {fresh.first:%B %Y} as PDF to {path}."

        self._tasks.start(job, on_done=self._done, on_error=self._failed)

    def export_ics(self) -> None:
        month = self._month()
        if month is None:
            return
        path = self._save_path("Export calendar as ICS", month, "ics", "iCalendar files (*.ics)")
        if path:
            self._tasks.start(write_ics, path, self._fresh(month), self._schedule, on_done=self._done,
                              on_error=self._failed)
