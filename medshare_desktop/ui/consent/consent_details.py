"""The details pane: one person's statuses by scope and channel, and every version of their records."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope
from medshare_desktop.core.services.consent_register import PersonConsent
from medshare_desktop.ui.consent.consent_sheet import HEADERS, day_text, record_cells
from medshare_desktop.ui.consent.consent_table_model import STATUS_COLOUR, STATUS_TEXT
from medshare_desktop.ui.shared.colours import for_theme
from medshare_desktop.ui.shared.tables import ColumnFitter

TABLE_COLUMNS = 6  # Record … Revoked; who recorded it, the evidence and the notes show below the table


class ConsentDetails(QWidget):
    edit_requested = Signal(object)  # ConsentRecord
    revoke_requested = Signal(object)  # ConsentRecord
    evidence_requested = Signal(object)  # ConsentRecord
    add_requested = Signal(int)  # person id
    print_requested = Signal(object)  # PersonConsent

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentDetails")
        self._details: PersonConsent | None = None
        self.title = QLabel("Choose a person to see their consent records.", objectName="consentDetailsTitle")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.grid = QTableWidget(len(ConsentScope), len(Channel), objectName="consentStatusGrid")
        self.grid.setHorizontalHeaderLabels([c.label for c in Channel])
        self.grid.setVerticalHeaderLabels([s.value.capitalize() for s in ConsentScope])
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        frame = 2 * self.grid.frameWidth()
        self.grid.setFixedHeight(
            self.grid.verticalHeader().length() + self.grid.horizontalHeader().height() + frame + 2
        )
        self.history = QTableWidget(0, TABLE_COLUMNS, objectName="consentHistory")
        self.history.setHorizontalHeaderLabels(HEADERS[:TABLE_COLUMNS])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.history.verticalHeader().setVisible(False)
        # wrapped columns narrow first so that every column stays in view (the rows grow instead)
        self.history_columns = ColumnFitter(self.history, shrinkable=(2, 1, 5, 3, 4, 0), minimum={2: 80, 1: 70})
        self.history_columns.fitted.connect(self.history.resizeRowsToContents)
        self.history.setWordWrap(True)
        self.history.itemSelectionChanged.connect(self._update_buttons)
        self.record_info = QLabel(objectName="recordInfo")
        self.record_info.setWordWrap(True)
        self.record_info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history.doubleClicked.connect(lambda _i: self._emit(self.edit_requested))
        self.add_button = QPushButton("Add consent…", objectName="detailsAdd")
        self.edit_button = QPushButton("Edit…", objectName="detailsEdit")
        self.revoke_button = QPushButton("Revoke…", objectName="detailsRevoke")
        self.evidence_button = QPushButton("View signed form", objectName="detailsEvidence")
        self.print_button = QPushButton("Print sheet…", objectName="detailsPrint")
        self.add_button.clicked.connect(lambda: self._details and self.add_requested.emit(self._details.person.id))
        self.edit_button.clicked.connect(lambda: self._emit(self.edit_requested))
        self.revoke_button.clicked.connect(lambda: self._emit(self.revoke_requested))
        self.evidence_button.clicked.connect(lambda: self._emit(self.evidence_requested))
        self.print_button.clicked.connect(lambda: self._details and self.print_requested.emit(self._details))
        self.hint = QLabel("Edits never overwrite: each one is kept below as a new version.", objectName="historyHint")
        self.hint.setStyleSheet("color: #555;")
        buttons = QGridLayout()  # two rows, so the panel leaves the consent table room for its columns
        for column, button in enumerate((self.add_button, self.edit_button, self.revoke_button)):
            buttons.addWidget(button, 0, column)
        buttons.addWidget(self.evidence_button, 1, 0, 1, 2)
        buttons.addWidget(self.print_button, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.grid)
        layout.addWidget(QLabel("<b>Records and history</b> (newest last)"))
        layout.addWidget(self.history, 1)
        layout.addWidget(self.record_info)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        self.set_details(None)

    def details(self) -> PersonConsent | None:
        return self._details

    def set_details(self, details: PersonConsent | None) -> None:
        self._details = details
        self.history.setRowCount(0)
        for row, scope in enumerate(ConsentScope):
            for column, channel in enumerate(Channel):
                item = QTableWidgetItem("")
                if details is not None:
                    status = details.statuses[(scope, channel)]
                    item.setText(STATUS_TEXT[status])
                    item.setForeground(QColor(for_theme(STATUS_COLOUR[status])))
                    item.setToolTip(f"{scope.value.capitalize()} on {channel.label.lower()}: {status.label}")
                self.grid.setItem(row, column, item)
        if details is None:
            self.title.setText("Choose a person to see their consent records.")
            self._update_buttons()
            return
        person = details.person
        self.title.setText(f"{person.name}" + (f" — {person.department}" if person.department else ""))
        current = {r.id for r in details.current}
        for record in details.history:
            row = self.history.rowCount()
            self.history.insertRow(row)
            for column, text in enumerate(record_cells(record)[:TABLE_COLUMNS]):
                if column == 0:
                    text = f"#{record.id} · {'current' if record.id in current else 'replaced'}"
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, record)
                item.setToolTip(record.notes or text)
                if record.id not in current:
                    item.setForeground(QColor(for_theme("#777777")))
                else:
                    bold = QFont(item.font())
                    bold.setBold(True)
                    item.setFont(bold)
                self.history.setItem(row, column, item)
        self.history_columns.fit()
        if current:
            last_current = max(i for i, r in enumerate(details.history) if r.id in current)
            self.history.selectRow(last_current)
        self._update_buttons()

    def selected_record(self) -> ConsentRecord | None:
        items = self.history.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def select_record(self, record_id: int) -> None:
        for row in range(self.history.rowCount()):
            if self.history.item(row, 0).data(Qt.ItemDataRole.UserRole).id == record_id:
                self.history.selectRow(row)

    def _emit(self, signal: Signal) -> None:  # type: ignore[type-arg]
        record = self.selected_record()
        if record is not None:
            signal.emit(record)  # type: ignore[attr-defined]

    def _describe(self, record: ConsentRecord | None) -> str:
        if record is None or self._details is None:
            return ""
        lines = [f"<b>Record #{record.id}</b>" + (f" replaces #{record.supersedes_id}" if record.supersedes_id else "")]
        if record.recorded_at:
            lines.append(f"Recorded {record.recorded_at.astimezone():%d %b %Y %H:%M} by {escape(record.recorded_by)}")
        if record.revoked_on:
            lines.append(f"Revoked from {day_text(record.revoked_on)}: {escape(record.revoke_reason)}")
        evidence = self._details.evidence.get(record.evidence_sha256)
        if record.evidence_sha256:
            name = f"{escape(evidence.original_name)}, " if evidence else ""
            lines.append(f"Signed form: {name}SHA-256 {record.evidence_sha256}")
        else:
            lines.append("No signed form attached.")
        if record.notes:
            lines.append(f"Notes: {escape(record.notes)}")
        return "<br>".join(lines)

    def _update_buttons(self) -> None:
        record = self.selected_record()
        self.record_info.setText(self._describe(record))
        current = bool(record and self._details and any(r.id == record.id for r in self._details.current))
        self.add_button.setEnabled(self._details is not None)
        self.print_button.setEnabled(self._details is not None)
        revoked = record is not None and record.revoked_on is not None
        self.edit_button.setEnabled(current and not revoked)
        self.edit_button.setToolTip("A revoked record stays revoked: add a new consent instead." if revoked else "")
        self.revoke_button.setEnabled(current and not revoked)
        self.evidence_button.setEnabled(bool(record and record.evidence_path))
