"""For physicians, in the app: the policy sheet (Help → Policy sheet…) and a person's monthly note (People →
Monthly note…) in one dialog: a preview, Print… and Save as PDF…. The data is read and the PDF or printout
painted on the TaskRunner's threads (as the calendar's PDF export is); the dialog only chooses the device."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QStandardPaths
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.models import Person
from medshare_desktop.core.services.policy_service import PolicyService
from medshare_desktop.ui.printing.export import default_page_size
from medshare_desktop.ui.printing.policy_document import (
    STYLE,
    note_html,
    note_title,
    policy_html,
    policy_title,
    print_html,
    sheet_layout,
    write_html_pdf,
)
from medshare_desktop.ui.shared.workers import TaskRunner


@dataclass(frozen=True, slots=True)
class Paper:
    html: str
    title: str
    file_name: str  # suggested PDF name


def policy_paper(policy: PolicyService) -> Paper:
    return Paper(policy_html(policy.sheet()), policy_title(), "reshare-policy.pdf")


def note_paper(policy: PolicyService, person_id: int, year: int, month: int) -> Paper:
    note = policy.monthly_note(person_id, year, month)
    slug = "-".join(note.person.name.lower().replace(".", "").replace(",", "").split())
    return Paper(note_html(note), note_title(note), f"reshare-note-{slug}-{year:04d}-{month:02d}.pdf")


class PaperDialog(QDialog):
    """A preview of one paper with Print… and Save as PDF…; `month` adds a month chooser (the monthly note)."""

    def __init__(self, title: str, load: Callable[[date], Paper], month: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("paperDialog")
        self.resize(760, 820)
        self._load = load
        self._paper: Paper | None = None
        self._tasks = TaskRunner(self)
        self._keep: list[QPrinter] = []
        self.month = QDateEdit()
        self.month.setObjectName("paperMonth")
        self.month.setDisplayFormat("MMMM yyyy")
        self.month.setCalendarPopup(True)
        self.preview = QTextBrowser()
        self.preview.setObjectName("paperPreview")
        self.preview.document().setDefaultStyleSheet(STYLE)
        self.status = QLabel()
        self.status.setObjectName("paperStatus")
        self.status.setWordWrap(True)
        self.print_button = QPushButton("&Print…")
        self.pdf_button = QPushButton("Save as P&DF…")
        self.pdf_button.setObjectName("paperSavePdf")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.pdf_button.clicked.connect(self._on_pdf_clicked)
        layout = QVBoxLayout(self)
        if month is not None:
            row = QHBoxLayout()
            row.addWidget(QLabel("Month"))
            row.addWidget(self.month)
            row.addStretch(1)
            layout.addLayout(row)
            self.month.setDate(QDate(month.year, month.month, 1))
            self.month.dateChanged.connect(lambda _d: self.reload())
        else:
            self.month.hide()
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.reload()

    def _month(self) -> date:
        chosen = self.month.date()
        return date(chosen.year(), chosen.month(), 1)

    def reload(self) -> None:
        self._set_ready(None)
        self.status.setText("Loading…")
        self._tasks.start(self._load, self._month(), key="load", on_done=self._set_ready, on_error=self._failed)

    def _set_ready(self, paper: Paper | None) -> None:
        self._paper = paper
        self.print_button.setEnabled(paper is not None)
        self.pdf_button.setEnabled(paper is not None)
        if paper is not None:
            self.preview.setHtml(paper.html)
            self.status.setText("")

    def paper(self) -> Paper | None:
        return self._paper

    def _failed(self, exc: BaseException, _details: str) -> None:
        self._keep.clear()
        self.status.setText(str(exc) if isinstance(exc, MedshareError) else f"Something went wrong: {exc}")

    def _done(self, message: str) -> None:
        self._keep.clear()
        self.status.setText(message)

    def save_pdf(self, path: str) -> None:
        """Write the shown paper as a PDF in a worker; the status line says where (or what went wrong)."""
        paper = self._paper
        if paper is None:
            return

        def job() -> str:
            pages = write_html_pdf(path, paper.html, paper.title)
            return f"Saved as PDF ({pages} page{'s' if pages != 1 else ''}) to {path}."

        self.status.setText("Saving…")
        self._tasks.start(job, on_done=self._done, on_error=self._failed)

    def _on_pdf_clicked(self) -> None:
        if self._paper is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getSaveFileName(self, "Save as PDF", str(Path(folder) / self._paper.file_name),
                                              "PDF files (*.pdf)")
        if path:
            self.save_pdf(path if path.lower().endswith(".pdf") else path + ".pdf")

    def _on_print_clicked(self) -> None:
        paper = self._paper
        if paper is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(sheet_layout(default_page_size()))
        dialog = QPrintDialog(printer, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._keep.append(printer)  # alive until the job ends

        def job() -> str:
            pages = print_html(paper.html, printer, paper.title)
            return f"Sent {pages} page{'s' if pages != 1 else ''} to the printer."

        self._tasks.start(job, on_done=self._done, on_error=self._failed)


def open_policy_sheet(parent: QWidget, policy: PolicyService) -> PaperDialog:
    dialog = PaperDialog("Policy sheet for physicians", lambda _month: policy_paper(policy), parent=parent)
    dialog.setObjectName("policySheetDialog")
    dialog.open()
    return dialog


def open_monthly_note(parent: QWidget, policy: PolicyService, person: Person, today: date) -> PaperDialog:
    if person.id is None:
        raise MedshareError("Save the person first.")
    person_id = person.id
    dialog = PaperDialog(f"Monthly note — {person.name}",
                         lambda month: note_paper(policy, person_id, month.year, month.month),
                         month=date(today.year, today.month, 1), parent=parent)
    dialog.setObjectName("monthlyNoteDialog")
    dialog.open()
    return dialog
