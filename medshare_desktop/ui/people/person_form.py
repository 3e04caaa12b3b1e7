"""Edit one person's details (name, role, department, monthly limit, other spellings of the name)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from medshare_desktop.core.models import Person, Role

NO_OVERRIDE = -1


class PersonForm(QWidget):
    save_requested = Signal(object)  # Person

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._person: Person | None = None
        self.name = QLineEdit()
        self.name.setObjectName("personName")
        self.role = QComboBox()
        for role in Role:
            self.role.addItem(role.value.capitalize(), role)
        self.department = QLineEdit()
        self.email = QLineEdit()
        self.limit = QSpinBox()
        self.limit.setObjectName("personLimit")
        self.limit.setRange(NO_OVERRIDE, 31)
        self.limit.setSpecialValueText("Team default")
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText("Other spellings, comma-separated (e.g. Anika Patel, Dr Patel)")
        self.active = QCheckBox("Active")
        self.save_button = QPushButton("&Save person")
        self.save_button.setObjectName("savePerson")
        self.save_button.clicked.connect(self._on_save_clicked)
        form = QFormLayout(self)
        form.addRow("Name", self.name)
        form.addRow("Role", self.role)
        form.addRow("Department", self.department)
        form.addRow("Email", self.email)
        form.addRow("Re-shares a month", self.limit)
        form.addRow("Also written as", self.aliases)
        form.addRow("", self.active)
        form.addRow("", self.save_button)
        self.show_person(None)

    def show_person(self, person: Person | None) -> None:
        """Show a person, or an empty form for a new one."""
        self._person = person
        p = person or Person(None, "")
        self.name.setText(p.name)
        self.role.setCurrentIndex(self.role.findData(p.role))
        self.department.setText(p.department)
        self.email.setText(p.email)
        self.limit.setValue(NO_OVERRIDE if p.monthly_limit is None else p.monthly_limit)
        self.aliases.setText(", ".join(p.aliases))
        self.active.setChecked(p.active)
        self.save_button.setText("&Save person" if person else "&Add person")

    def _on_save_clicked(self) -> None:
        base = self._person or Person(None, "")
        limit = self.limit.value()
        self.save_requested.emit(
            replace(
                base,
                name=self.name.text(),
                role=Role(self.role.currentData()),
                department=self.department.text().strip(),
                email=self.email.text().strip(),
                monthly_limit=None if limit == NO_OVERRIDE else limit,
                aliases=tuple(a.strip() for a in self.aliases.text().split(",") if a.strip()),
                active=self.active.isChecked(),
            )
        )
