"""The inbox's filter row: state, platform, person, risk category and a date range."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from medshare_desktop.core.models import Person, Platform, PostState, RiskCategory
from medshare_desktop.core.ports import PostFilter


class FilterBar(QWidget):
    changed = Signal()  # any filter changed: load the rows again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state_filter = _combo("stateFilter", "All states", [(s.label, s) for s in PostState])
        self.platform_filter = _combo("platformFilter", "All platforms", [(p.label, p) for p in Platform])
        self.person_filter = _combo("personFilter", "Everyone", [])
        self.risk_filter = _combo("riskFilter", "Any risk", [(c.label, c) for c in RiskCategory])
        self.date_from = _date_edit("dateFrom")
        self.date_to = _date_edit("dateTo")

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.state_filter, self.platform_filter, self.person_filter, self.risk_filter):
            row.addWidget(widget)
        row.addWidget(QLabel("From"))
        row.addWidget(self.date_from)
        row.addWidget(QLabel("to"))
        row.addWidget(self.date_to)
        row.addStretch(1)

        for combo in (self.state_filter, self.platform_filter, self.person_filter, self.risk_filter):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.date_from.dateChanged.connect(lambda _d: self.changed.emit())
        self.date_to.dateChanged.connect(lambda _d: self.changed.emit())

    def set_people(self, people: list[Person]) -> None:
        """The person filter's choices, keeping the one chosen (quietly: the caller reloads the rows)."""
        current = self.person_filter.currentData()
        self.person_filter.blockSignals(True)
        while self.person_filter.count() > 1:
            self.person_filter.removeItem(1)
        for person in people:
            self.person_filter.addItem(person.name, person.id)
        index = self.person_filter.findData(current)
        self.person_filter.setCurrentIndex(max(index, 0))
        self.person_filter.blockSignals(False)

    def narrow(self, flt: PostFilter) -> PostFilter:
        """`flt` with the chosen state, platform, person, risk and dates."""
        # Qt hands enum values back as plain strings: turn them into the core's enums again
        state = self.state_filter.currentData()
        platform = self.platform_filter.currentData()
        category = self.risk_filter.currentData()
        return replace(
            flt,
            states=frozenset({PostState(state)}) if state else frozenset(),
            platform=Platform(platform) if platform else None,
            person_id=self.person_filter.currentData(),
            risk_category=RiskCategory(category) if category else None,
            date_from=_day(self.date_from),
            date_to=_day(self.date_to),
        )


def _combo(name: str, everything: str, items: list[tuple[str, Any]]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem(everything, None)
    for label, value in items:
        combo.addItem(label, value)
    return combo


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setSpecialValueText("any")
    edit.setMinimumDate(QDate(2000, 1, 1))
    edit.setDate(edit.minimumDate())  # the special value: no bound
    return edit


def _day(edit: QDateEdit) -> date | None:
    chosen = edit.date()
    return None if chosen == edit.minimumDate() else date(chosen.year(), chosen.month(), chosen.day())
