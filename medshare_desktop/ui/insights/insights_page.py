"""The Insights screen: fairness and insight charts for a chosen month, printed or saved as PDF and CSV.

The report is read on the shared pool (the latest request wins); printing and saving run there too, so
the window never waits. The screen reloads when posts, the calendar or people change.
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.rules.reason_groups import ReasonGroups
from medshare_desktop.core.services.insight_service import (
    InsightReport,
    InsightService,
    build_report,
    month_start,
    report_csv,
)
from medshare_desktop.ui.insights.chart_spec import charts_for
from medshare_desktop.ui.insights.chart_view import ChartView
from medshare_desktop.ui.insights.report_renderer import paint_report, write_report_pdf
from medshare_desktop.ui.printing.export import default_page_size, portrait_layout
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.page import ScreenPage
from medshare_desktop.ui.shared.workers import TaskRunner

log = logging.getLogger(__name__)

MONTHS_BACK, MONTHS_AHEAD = 23, 2  # the months the month box offers around this one
# where each chart sits: (column, place in the column); the two columns come out about as tall
GRID = {"quarter": (0, 0), "rejections": (0, 1), "people": (0, 2), "departments": (1, 0), "findings": (1, 1)}
HOW_COUNTED = (
    "A re-share counts in the month of its day on the calendar (scheduled or done); findings and rejections "
    "in the month the post was written. Reasons for rejection appear grouped, in general words. "
    "Tab to a chart and use the arrow keys to hear each bar; right-click a chart to print or save it alone."
)


class InsightsPage(QWidget, ScreenPage):
    title = "Insights"

    def __init__(self, insights: InsightService, actor: str, parent: QWidget | None = None,
                 ops: Operations | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("insightsPage")
        self._insights = insights
        self._actor = actor
        self._ops = ops or Operations(parent=self)
        self._tasks = TaskRunner(self)  # on the shared pool
        self._keep: list[QPrinter] = []
        self.report: InsightReport | None = None

        self.month_box = QComboBox()
        self.month_box.setObjectName("insightsMonth")
        self.month_box.setAccessibleName("Month")
        this_month = insights.current_month()
        for delta in range(-MONTHS_BACK, MONTHS_AHEAD + 1):
            first = month_start(this_month, delta)
            self.month_box.addItem(f"{first:%B %Y}", first)
        self.month_box.setCurrentIndex(MONTHS_BACK)
        self.month_box.currentIndexChanged.connect(self._on_month_changed)
        month_label = QLabel("&Month:")
        month_label.setBuddy(self.month_box)
        self.print_button = QPushButton("&Print…")
        self.print_button.setToolTip("Print every chart (three pages for a team of up to 44)")
        self.print_button.clicked.connect(lambda: self.print_report())
        self.pdf_button = QPushButton("Export P&DF…")
        self.pdf_button.setToolTip("Save every chart in one PDF report")
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.csv_button = QPushButton("Export &CSV…")
        self.csv_button.setToolTip("Save the numbers behind every chart as a CSV file")
        self.csv_button.clicked.connect(lambda: self.export_csv())
        self.status = QLabel("")
        self.status.setObjectName("insightsStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bar = QHBoxLayout()
        for widget in (month_label, self.month_box):
            bar.addWidget(widget)
        bar.addStretch(1)
        for widget in (self.print_button, self.pdf_button, self.csv_button):
            bar.addWidget(widget)
        help_line = QLabel(HOW_COUNTED)
        help_line.setWordWrap(True)
        help_line.setObjectName("insightsHelp")

        self.charts: dict[str, ChartView] = {}
        grid_host = QWidget()
        grid = QHBoxLayout(grid_host)
        grid.setSpacing(24)
        columns = [QVBoxLayout(), QVBoxLayout()]
        placed: list[tuple[int, int, ChartView]] = []
        for chart in charts_for(_empty_report(this_month)):
            view = ChartView(chart)
            view.print_requested.connect(lambda key: self.print_report(only=key))
            view.export_pdf_requested.connect(lambda key: self.export_pdf(only=key))
            self.charts[chart.key] = view
            placed.append((*GRID[chart.key], view))
        for column, _place, view in sorted(placed, key=lambda item: item[:2]):
            columns[column].addWidget(view)
        for column in columns:
            column.setSpacing(18)
            column.addStretch(1)
            grid.addLayout(column, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(grid_host)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(help_line)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)

    # --- loading ------------------------------------------------------------------------------
    def chosen_month(self) -> date:
        value = self.month_box.currentData()
        assert isinstance(value, date)
        return value

    def set_month(self, month: date) -> None:
        wanted = month_start(month)
        for index in range(self.month_box.count()):
            if self.month_box.itemData(index) == wanted:
                self.month_box.setCurrentIndex(index)
                return

    def concerns(self, changes: Changes) -> bool:
        return changes.unknown or changes.posts or changes.schedule or changes.anyone

    def refresh(self) -> None:
        self.status.setText("Counting…")
        self._tasks.start(self._insights.report, self.chosen_month(), key="report", on_done=self._on_report_loaded,
                          on_error=self._on_failed)

    def _on_month_changed(self, _index: int) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def _on_report_loaded(self, report: InsightReport) -> None:
        self.report = report
        for chart in charts_for(report):
            self.charts[chart.key].set_chart(chart)
        self.status.setText(f"{report.month:%B %Y}: counted {report.generated_on or datetime.now():%H:%M}.")

    def _on_failed(self, exc: BaseException, _details: str) -> None:
        self.status.setText(str(exc) if isinstance(exc, MedshareError) else f"Could not count: {exc}")

    # --- printing and saving --------------------------------------------------------------------
    def _save_path(self, title: str, name: str, suffix: str, pattern: str) -> str:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path(folder) / f"{name}.{suffix}"), pattern)
        if path and not path.lower().endswith(f".{suffix}"):
            path += f".{suffix}"
        return path

    def _file_name(self, report: InsightReport, only: str | None) -> str:
        return f"insights-{report.month:%Y-%m}" + (f"-{only}" if only else "")

    def export_pdf(self, path: str | None = None, only: str | None = None) -> None:
        """Save every chart (or `only` one) as PDF: to `path`, else where the user chooses."""
        report = self.report
        if report is None:
            return
        path = path or self._save_path("Export insights as PDF", self._file_name(report, only), "pdf",
                                       "PDF files (*.pdf)")
        if not path:
            return
        actor = self._actor

        def job() -> str:
            pages = write_report_pdf(path, report, actor, only=only)
            return f"Saved {report.month:%B %Y} as PDF to {path} ({pages} page(s))."

        self._tasks.start(job, key="pdf", on_done=self.status.setText, on_error=self._on_failed)

    def export_csv(self, path: str | None = None) -> None:
        """Save the numbers behind every chart as CSV: to `path`, else where the user chooses."""
        report = self.report
        if report is None:
            return
        path = path or self._save_path("Export insight numbers as CSV", self._file_name(report, None), "csv",
                                       "CSV files (*.csv)")
        if not path:
            return

        def job() -> str:
            try:
                Path(path).write_text(report_csv(report), encoding="utf-8")
            except OSError as exc:
                raise MedshareError(f"{path}: cannot be written ({exc.strerror})") from None
            return f"Saved the numbers for {report.month:%B %Y} as CSV to {path}."

        self._tasks.start(job, key="csv", on_done=self.status.setText, on_error=self._on_failed)

    def print_report(self, only: str | None = None) -> None:
        report = self.report
        if report is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(portrait_layout(default_page_size()))
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("insightsPrintDialog")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._keep.append(printer)
        actor = self._actor

        def job() -> str:
            pages = paint_report(printer, printer.resolution(), report, actor, only=only)
            return f"Sent {pages} page(s) of {report.month:%B %Y} to the printer."

        def done(message: str) -> None:
            self._keep.remove(printer)
            self.status.setText(message)

        self._tasks.start(job, on_done=done, on_error=self._on_failed)


def _empty_report(month: date) -> InsightReport:
    """What the charts show before the first count arrives."""
    return build_report(month, [], [], [], [], ReasonGroups((), "Other reasons"))
