"""Add or edit a consent record: person, scopes, channels, dates, signed-form evidence and notes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope, Person
from medshare_desktop.core.ports import StoredEvidence
from medshare_desktop.core.rules.consent import validate_record
from medshare_desktop.core.services.consent_service import ConsentService
from medshare_desktop.ui.shared.colours import themed_css
from medshare_desktop.ui.shared.workers import TaskRunner

EVIDENCE_FILTER = "Signed forms (*.pdf *.jpg *.jpeg *.png);;All files (*)"


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class ConsentDialog(QDialog):
    """Returns the record to save through record(); saving (a new version on edit) is the page's job."""

    def __init__(
        self,
        consent: ConsentService,
        people: list[Person],
        record: ConsentRecord | None = None,
        person_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("consentDialog")
        self.setWindowTitle("Edit consent (saved as a new version)" if record else "Add consent")
        self.setMinimumWidth(520)
        self._consent = consent
        self._original = record
        self._evidence = (record.evidence_path, record.evidence_sha256) if record else ("", "")
        self._tasks = TaskRunner(self)
        today = consent.today()

        self.person = QComboBox(objectName="consentPerson")
        for person in people:
            self.person.addItem(person.name, person.id)
        wanted = record.person_id if record else person_id
        if wanted is not None:
            self.person.setCurrentIndex(max(0, self.person.findData(wanted)))
        self.person.setEnabled(record is None)
        self.scopes = {s: QCheckBox(s.value.capitalize(), objectName=f"scope_{s.value}") for s in ConsentScope}
        self.channels = {c: QCheckBox(c.label, objectName=f"channel_{c.value}") for c in Channel}
        for scope, box in self.scopes.items():
            box.setChecked(bool(record and scope in record.scopes))
        for channel, box in self.channels.items():
            box.setChecked(bool(record and channel in record.channels))
        self.granted = self._date_edit("consentGranted", record.granted_on if record else today)
        self.expires = self._date_edit(
            "consentExpires", (record.expires_on if record else None) or today.replace(year=today.year + 2)
        )
        self.no_expiry = QCheckBox("No expiry", objectName="consentNoExpiry")
        self.no_expiry.toggled.connect(lambda on: self.expires.setEnabled(not on))
        self.no_expiry.setChecked(bool(record and record.expires_on is None))
        self.evidence_label = QLabel(objectName="evidenceLabel")
        self.evidence_label.setWordWrap(True)
        self.attach_button = QPushButton("Attach signed form…", objectName="attachEvidence")
        self.attach_button.clicked.connect(self._on_attach_clicked)
        self.notes = QPlainTextEdit(record.notes if record else "", objectName="consentNotes")
        self.notes.setFixedHeight(70)
        self.error = QLabel(objectName="consentDialogError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(themed_css("color: #b00020; font-weight: bold;"))
        self.error.hide()

        form = QFormLayout()
        form.addRow("Person", self.person)
        form.addRow("Scopes", self._row(self.scopes.values()))
        form.addRow("Channels", self._row(self.channels.values()))
        form.addRow("Granted on", self._row([self.granted]))
        form.addRow("Expires on", self._row([self.expires, self.no_expiry]))
        form.addRow("Signed form", self._row([self.attach_button, self.evidence_label], stretch_last=True))
        form.addRow("Notes", self.notes)
        form.addRow("Recorded by", QLabel("you (your computer login), with the date and time"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._show_evidence(None)

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        edit = QDateEdit(to_qdate(day), objectName=name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd MMM yyyy")
        return edit

    @staticmethod
    def _row(widgets: object, stretch_last: bool = False) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        items = list(widgets)  # type: ignore[call-overload]
        for i, widget in enumerate(items):
            row.addWidget(widget, 1 if stretch_last and i == len(items) - 1 else 0)
        if not stretch_last:
            row.addStretch(1)
        return box

    # --- evidence -------------------------------------------------------------------------
    def _on_attach_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Signed consent form", "", EVIDENCE_FILTER)
        if path:
            self.attach_file(path)

    def attach_file(self, path: str) -> None:
        """Check, clean, hash and copy the file in the background; the result shows in the dialog."""
        self.error.hide()
        self.attach_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        self.evidence_label.setText("Checking and storing the file…")
        self._tasks.start(
            self._consent.attach_evidence, path, on_done=self._on_evidence_stored, on_error=self._on_evidence_failed
        )

    def _on_evidence_stored(self, stored: StoredEvidence) -> None:
        self._evidence = (stored.stored_name, stored.sha256)
        self._attach_finished()
        self._show_evidence(stored)

    def _on_evidence_failed(self, exc: BaseException, _details: str) -> None:
        self._attach_finished()
        self._show_evidence(None)
        self.show_error(str(exc) if isinstance(exc, MedshareError) else f"The file could not be attached: {exc}")

    def _attach_finished(self) -> None:
        self.attach_button.setEnabled(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)

    def _show_evidence(self, stored: StoredEvidence | None) -> None:
        name, sha = self._evidence
        if not sha:
            self.evidence_label.setText("No signed form attached")
            return
        what = f"{stored.original_name} " if stored else ""
        cleaned = " · photo metadata removed" if stored and stored.metadata_stripped else ""
        self.evidence_label.setText(f"✔ {what}(SHA-256 {sha[:12]}…){cleaned}")
        self.evidence_label.setToolTip(f"Stored as {name}")

    @property
    def original(self) -> ConsentRecord | None:
        """The record being edited (None when adding)."""
        return self._original

    def busy(self) -> bool:
        return self._tasks.busy()

    # --- result ---------------------------------------------------------------------------
    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.adjustSize()

    def record(self) -> ConsentRecord:
        base = self._original or ConsentRecord(None, 0, frozenset(), frozenset(), date.today())
        return replace(
            base,
            id=None,
            person_id=self._person_id(),
            scopes=frozenset(s for s, box in self.scopes.items() if box.isChecked()),
            channels=frozenset(c for c, box in self.channels.items() if box.isChecked()),
            granted_on=from_qdate(self.granted.date()),
            expires_on=None if self.no_expiry.isChecked() else from_qdate(self.expires.date()),
            evidence_path=self._evidence[0],
            evidence_sha256=self._evidence[1],
            notes=self.notes.toPlainText().strip(),
        )

    def _person_id(self) -> int:
        return int(self.person.currentData()) if self.person.currentIndex() >= 0 else 0

    def accept(self) -> None:
        if not self._person_id():
            self.show_error("Choose the person this consent is from.")
            return
        try:
            validate_record(self.record())
        except MedshareError as exc:
            self.show_error(str(exc))
            return
        super().accept()
