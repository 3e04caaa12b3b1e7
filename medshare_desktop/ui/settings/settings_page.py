"""Team settings kept in the database: cadence policy and extra risk terms; plus data locations."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.abilities import Abilities
from medshare_desktop.core.changes import Changes
from medshare_desktop.core.models import RiskCategory
from medshare_desktop.core.rules.cadence import CadencePolicy
from medshare_desktop.core.services.settings_service import SettingsService
from medshare_desktop.ui.shared.abilities import TakesAbilities, hold
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.page import Reloadable, ScreenPage
from medshare_desktop.ui.shared.workers import TaskRunner


class SettingsPage(QWidget, ScreenPage):
    title = "Settings"

    def __init__(
        self,
        settings: SettingsService,
        locations: dict[str, str],
        parent: QWidget | None = None,
        extra_boxes: list[QWidget] | None = None,
        ops: Operations | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops or Operations(parent=self)
        self.setObjectName("settingsPage")
        self._settings = settings
        self._tasks = TaskRunner(self)

        self.monthly_limit = QSpinBox()
        self.monthly_limit.setObjectName("monthlyLimit")
        self.monthly_limit.setRange(0, 31)
        self.day_cap = QSpinBox()
        self.day_cap.setObjectName("dayCap")
        self.day_cap.setRange(0, 50)
        self.day_cap.setSpecialValueText("No cap")
        self.spacing = QSpinBox()
        self.spacing.setObjectName("minDaysBetween")
        self.spacing.setRange(0, 60)
        self.spacing.setSuffix(" days")
        for spin in (self.monthly_limit, self.day_cap, self.spacing):
            spin.setMaximumWidth(140)
        save_cadence = QPushButton("Save cadence rules")
        save_cadence.setMaximumWidth(200)
        save_cadence.setObjectName("saveCadence")
        save_cadence.clicked.connect(self._on_save_cadence_clicked)
        self.cadence_box = cadence = QGroupBox("Re-share cadence")
        cadence_form = QFormLayout(cadence)
        cadence_form.addRow("Re-shares per person per calendar month", self.monthly_limit)
        cadence_form.addRow("Re-shares per channel per day", self.day_cap)
        cadence_form.addRow("Minimum days between two re-shares of a person", self.spacing)
        cadence_form.addRow("", save_cadence)

        self.terms = QTableWidget(0, 2)
        self.terms.setObjectName("riskTerms")
        self.terms.setHorizontalHeaderLabels(["Term or phrase", "Category"])
        self.terms.horizontalHeader().setStretchLastSection(True)
        self.terms.setColumnWidth(0, 320)
        self.new_term = QLineEdit()
        self.new_term.setObjectName("newTerm")
        self.new_term.setPlaceholderText("A word or phrase the risk panel should flag")
        self.new_category = QComboBox()
        for category in RiskCategory:
            self.new_category.addItem(category.label, category)
        add_term = QPushButton("Add")
        add_term.clicked.connect(self._on_add_term_clicked)
        remove_term = QPushButton("Remove selected")
        remove_term.clicked.connect(self._on_remove_term_clicked)
        save_terms = QPushButton("Save terms")
        save_terms.setObjectName("saveTerms")
        save_terms.clicked.connect(self._on_save_terms_clicked)
        term_row = QHBoxLayout()
        term_row.addWidget(self.new_term, 1)
        term_row.addWidget(self.new_category)
        term_row.addWidget(add_term)
        term_row.addWidget(remove_term)
        term_row.addWidget(save_terms)
        self.terms_box = terms = QGroupBox("The team's own risk terms")
        terms_layout = QVBoxLayout(terms)
        terms_layout.addWidget(self.terms)
        terms_layout.addLayout(term_row)

        places = QGroupBox("Where your data lives")
        places_form = QFormLayout(places)
        for label, value in locations.items():
            field = QLabel(value)
            field.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            places_form.addRow(label, field)

        self.status = QLabel()
        self.status.setObjectName("settingsStatus")
        self.terms.setMinimumHeight(110)
        self.terms.setMaximumHeight(200)
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(cadence)
        layout.addWidget(terms)
        self._extra_boxes = list(extra_boxes or [])
        for box in self._extra_boxes:
            layout.addWidget(box)
        layout.addWidget(places)
        layout.addWidget(self.status)
        layout.addStretch(1)
        scroll = QScrollArea()  # the boxes need more height than a small laptop screen has
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def set_abilities(self, abilities: Abilities) -> None:
        """A login that may not change the team's settings sees the boxes that write them disabled, with the reason
        (the server still refuses them: this is only a courtesy)."""
        hold(abilities, "settings", [self.cadence_box, self.terms_box])
        for box in self._extra_boxes:
            if isinstance(box, TakesAbilities):
                box.set_abilities(abilities)

    def concerns(self, changes: Changes) -> bool:
        return changes.any_setting

    def refresh(self) -> None:
        for box in self._extra_boxes:
            if isinstance(box, Reloadable):
                box.refresh()
        self._tasks.start(lambda: (self._settings.cadence_policy(), self._settings.extra_terms()),
                          key="load", on_done=self._on_loaded, on_error=self._err)

    def _on_loaded(self, result: tuple[CadencePolicy, list[tuple[str, RiskCategory]]]) -> None:
        policy, terms = result
        self.monthly_limit.setValue(policy.monthly_limit)
        self.day_cap.setValue(policy.per_day_channel_cap or 0)
        self.spacing.setValue(policy.min_days_between)
        self.terms.setRowCount(0)
        for term, category in terms:
            self._append_term(term, category)

    def _append_term(self, term: str, category: RiskCategory) -> None:
        row = self.terms.rowCount()
        self.terms.insertRow(row)
        self.terms.setItem(row, 0, QTableWidgetItem(term))
        item = QTableWidgetItem(category.label)
        item.setData(Qt.ItemDataRole.UserRole, category.value)
        self.terms.setItem(row, 1, item)

    def _on_add_term_clicked(self) -> None:
        term = self.new_term.text().strip()
        if term:
            self._append_term(term, RiskCategory(self.new_category.currentData()))
            self.new_term.clear()

    def _on_remove_term_clicked(self) -> None:
        for row in sorted({i.row() for i in self.terms.selectedIndexes()}, reverse=True):
            self.terms.removeRow(row)

    def _on_save_terms_clicked(self) -> None:
        terms = [
            (self.terms.item(row, 0).text(), RiskCategory(self.terms.item(row, 1).data(Qt.ItemDataRole.UserRole)))
            for row in range(self.terms.rowCount())
        ]
        self._ops.write(self._settings.set_extra_terms, terms, on_done=lambda _r: self.status.setText(
            f"Saved {len(terms)} term(s). New analyses use them."), on_error=self._err, initiator=self)

    def _on_save_cadence_clicked(self) -> None:
        policy = CadencePolicy(
            monthly_limit=self.monthly_limit.value(),
            per_day_channel_cap=self.day_cap.value() or None,
            min_days_between=self.spacing.value(),
        )
        self._ops.write(self._settings.set_cadence_policy, policy,
                        on_done=lambda _r: self.status.setText("Cadence rules saved."), on_error=self._err,
                        initiator=self)

    def _err(self, exc: BaseException, details: str) -> None:
        show_exception(self, exc, details)
