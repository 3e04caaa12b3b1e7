"""Tag who is shown in a post's photos, so their photo consent is checked before any re-share."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.models import Person


class PhotoPeopleDialog(QDialog):
    def __init__(self, people: Iterable[Person], tagged: Iterable[int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photoPeopleDialog")
        self.setWindowTitle("People shown in the photos")
        chosen = set(tagged)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Find a person…")
        self.list = QListWidget()
        self.list.setObjectName("photoPeopleList")
        for person in people:
            item = QListWidgetItem(f"{person.name} — {person.department}" if person.department else person.name)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if person.id in chosen else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.filter.textChanged.connect(self._on_filter_changed)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick everyone who can be recognised in the attached photos or videos.\n"
                                "Their photo consent is checked before the post can be scheduled."))
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(440, 480)

    def _on_filter_changed(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    def chosen_ids(self) -> list[int]:
        return [
            self.list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]
