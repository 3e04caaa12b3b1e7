"""The consent register screen: everyone's status at a glance, one person's records, revocations, reminders."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QItemSelection, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.abilities import Abilities
from medshare_desktop.core.changes import Changes
from medshare_desktop.core.models import ConsentRecord
from medshare_desktop.core.services.consent_register import PersonConsent
from medshare_desktop.core.services.consent_service import ConsentService
from medshare_desktop.core.services.people_service import PeopleService
from medshare_desktop.core.services.schedule_service import ScheduleService
from medshare_desktop.ui.consent.consent_details import ConsentDetails
from medshare_desktop.ui.consent.consent_dialog import ConsentDialog
from medshare_desktop.ui.consent.consent_sheet import print_sheet
from medshare_desktop.ui.consent.consent_table_model import (
    EXPIRY_COLUMN,
    PERSON_ID_ROLE,
    ConsentFilterProxy,
    ConsentTableModel,
)
from medshare_desktop.ui.consent.filter_bar import ConsentFilterBar
from medshare_desktop.ui.consent.reminder_widgets import AffectedBanner, ExpiryPanel
from medshare_desktop.ui.consent.revoke_dialog import RevokeDialog
from medshare_desktop.ui.shared.abilities import hold
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.page import ScreenPage
from medshare_desktop.ui.shared.tables import ColumnFitter
from medshare_desktop.ui.shared.workers import TaskRunner

log = logging.getLogger(__name__)


class ConsentPage(QWidget, ScreenPage):
    title = "Consent"

    refreshed = Signal()  # the table, banner and reminders show fresh data
    details_loaded = Signal(int)  # person id
    consent_changed = Signal(int)  # a record of this person was added, edited or revoked
    share_unscheduled = Signal(int)  # share id

    def __init__(
        self,
        consent: ConsentService,
        people: PeopleService,
        parent: QWidget | None = None,
        schedule: ScheduleService | None = None,
        ops: Operations | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("consentPage")
        self._consent = consent
        self._people = people
        self._schedule = schedule  # the banner's Unschedule (None: the button says why it is off)
        self._ops = ops or Operations(parent=self)
        self._tasks = TaskRunner(self)
        self._person_id: int | None = None
        self.dialog: ConsentDialog | RevokeDialog | None = None  # the open dialog (tests drive it)

        self._consent_refused = ""  # set_abilities: why this login may not change the register
        self.filters = ConsentFilterBar()
        self.filters.filter_changed.connect(self._apply_filter)
        self.filters.channel_changed.connect(lambda channel: self.model.set_channel(channel))
        self.filters.add_button.clicked.connect(lambda: self.open_add_dialog(self._person_id))
        self.filters.export_button.clicked.connect(self._on_export_clicked)

        self.banner = AffectedBanner(schedule is not None)
        self.banner.unschedule_requested.connect(self.unschedule_share)
        self.model = ConsentTableModel(self)
        self.proxy = ConsentFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView(objectName="consentTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(EXPIRY_COLUMN, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        # names and departments give way first (elided, full text in the tooltip); statuses and dates never
        self.columns = ColumnFitter(self.table, shrinkable=(1, 0), minimum={0: 130, 1: 90}, cap={0: 240, 1: 220})
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.expiry = ExpiryPanel()
        self.expiry.window_changed.connect(lambda _d: self.refresh())
        self.expiry.person_activated.connect(self.select_person)
        self.details = ConsentDetails()
        self.details.add_requested.connect(self.open_add_dialog)
        self.details.edit_requested.connect(self.open_edit_dialog)
        self.details.revoke_requested.connect(self.open_revoke_dialog)
        self.details.evidence_requested.connect(self.open_evidence)
        self.details.print_requested.connect(self._on_print_requested)
        self.status = QLabel(objectName="consentStatusLine")

        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table)
        left.addWidget(self.expiry)
        left.setSizes([600, 130])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.details)
        split.setStretchFactor(0, 2)  # a wider window widens the table most, the details a little
        split.setStretchFactor(1, 1)
        split.setSizes([800, 440])
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    # --- loading --------------------------------------------------------------------------
    def set_abilities(self, abilities: Abilities) -> None:
        """A login that may not change the consent register (or the calendar) sees those actions disabled, with
        the reason; a double-click on a version opens no dialog either. The server still refuses them."""
        self._consent_refused = abilities.why_not("consent")
        details = self.details
        hold(abilities, "consent", [self.filters.add_button, details.add_button, details.edit_button,
                                    details.revoke_button])
        self.banner.refuse_unschedule(abilities.why_not("schedule"))

    def concerns(self, changes: Changes) -> bool:
        return changes.consent

    def refresh(self) -> None:
        self._tasks.start(self._load, self.expiry.days(), key="refresh", on_done=self._on_loaded, on_error=self._failed)

    def _load(self, days: int) -> tuple[Any, ...]:  # runs on a worker thread
        c = self._consent
        return c.overview(), c.affected_shares(), c.expiring_within(days), c.today()

    def _on_loaded(self, result: tuple[Any, ...]) -> None:
        overview, affected, expiring, today = result
        self.model.set_rows(overview, today)
        self.banner.set_items(affected)
        self.expiry.set_items(expiring)
        if self._person_id is not None:
            self.select_person(self._person_id)
        elif self.proxy.rowCount():
            self.table.selectRow(0)  # show someone's records rather than an empty details pane
        self.refreshed.emit()

    def _failed(self, exc: BaseException, details: str) -> None:
        self.status.setText("")
        show_exception(self, exc, details)

    def _apply_filter(self) -> None:
        self.proxy.set_filter(*self.filters.values())

    def select_person(self, person_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, 0).data(PERSON_ID_ROLE) == person_id:
                self.table.selectRow(row)
                return
        self._person_id = person_id
        self._load_details()

    def _on_table_selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes:
            self._person_id = indexes[0].data(PERSON_ID_ROLE)
            self._load_details()

    def _load_details(self) -> None:
        if self._person_id is not None:
            self._tasks.start(
                self._consent.details, self._person_id, key="details", on_done=self._on_details, on_error=self._failed
            )

    def _on_details(self, details: PersonConsent) -> None:
        self.details.set_details(details)
        self.details_loaded.emit(details.person.id)

    # --- changes (each write runs on a worker, then the page reloads) ----------------------
    def _write(self, fn: Callable[..., Any], *args: Any, done: str, person_id: int | None = None) -> None:
        def finished(_result: Any) -> None:
            self.status.setText(done)
            if person_id is not None:
                self._person_id = person_id
                self.consent_changed.emit(person_id)
            self.refresh()

        self.status.setText("Saving…")
        self._ops.write(fn, *args, on_done=finished, on_error=self._failed, initiator=self)

    def open_add_dialog(self, person_id: int | None = None) -> None:
        if self._consent_refused:
            return
        self._open_record_dialog(ConsentDialog(self._consent, self._known_people(), None, person_id, self))

    def open_edit_dialog(self, record: ConsentRecord) -> None:
        if self._consent_refused:
            return
        self._open_record_dialog(ConsentDialog(self._consent, self._known_people(), record, None, self))

    def _known_people(self) -> list[Any]:
        return [self.model.overview(row).person for row in range(self.model.rowCount())]

    def _open_record_dialog(self, dialog: ConsentDialog) -> None:
        self.dialog = dialog
        original = dialog.original

        def accepted() -> None:
            record = dialog.record()
            if original is None:
                self._write(self._consent.add_record, record, done="Consent saved.", person_id=record.person_id)
            else:
                self._write(
                    self._consent.edit_record,
                    original.id,
                    record,
                    done="New version saved.",
                    person_id=record.person_id,
                )

        dialog.accepted.connect(accepted)
        dialog.open()

    def open_revoke_dialog(self, record: ConsentRecord) -> None:
        if self._consent_refused:
            return
        name = self.details.details().person.name if self.details.details() else "this person"  # type: ignore[union-attr]
        dialog = RevokeDialog(record, name, self._consent.today(), self)
        self.dialog = dialog

        def accepted() -> None:
            day, reason = dialog.revocation()
            self._write(
                self._consent.revoke, record.id, day, reason, done="Consent revoked.", person_id=record.person_id
            )

        dialog.accepted.connect(accepted)
        dialog.open()

    def unschedule_share(self, share_id: int) -> None:
        if self._schedule is None:
            return
        self._write(self._schedule.unschedule, share_id, done="Re-share unscheduled.")
        self.share_unscheduled.emit(share_id)

    # --- evidence, export, printing ------------------------------------------------------
    def open_evidence(self, record: ConsentRecord) -> None:
        """Check the stored copy's hash in the background, then open it with the system viewer."""

        def opened(path: str) -> None:
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(path)):
                self.status.setText(f"No program is set up to open {path}.")

        self._tasks.start(self._consent.evidence_file, record, on_done=opened, on_error=self._failed)

    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export consent register", "consent-register.csv", "CSV (*.csv)")
        if path:
            self.export_to(path)

    def export_to(self, path: str) -> None:
        def exported(count: int) -> None:
            self.status.setText(f"Exported {count} consent record(s) to {path}.")

        self._tasks.start(self._consent.export_csv, path, on_done=exported, on_error=self._failed)

    def _on_print_requested(self, details: PersonConsent) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(f"Print consent sheet — {details.person.name}")
        dialog.finished.connect(lambda result: result and print_sheet(details, printer))
        dialog.open()
        self._print_dialog = (dialog, printer)
