"""The bar above the consent table: search, channel, status and scope filters, add and export."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from medshare_desktop.core.models import Channel, ConsentScope
from medshare_desktop.core.rules.consent import ConsentStatus

ANY = ""  # the "any" entry's data: never None (PySide6 6.12 on Python 3.11 mis-counts None read from a QVariant)


def combo(name: str, any_label: str | None, items: list[tuple[str, Any]]) -> QComboBox:
    """Items keep their enum's value (QVariant gives StrEnums back as plain str)."""
    box = QComboBox(objectName=name)
    if any_label:
        box.addItem(any_label, ANY)
    for label, value in items:
        box.addItem(label, value.value)
    return box


class ConsentFilterBar(QWidget):
    filter_changed = Signal()  # search, status or scope
    channel_changed = Signal(object)  # Channel

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(objectName="consentSearch", placeholderText="Search people by name…")
        self.search.setClearButtonEnabled(True)
        self.channel = combo("consentChannel", None, [(c.label, c) for c in Channel])
        self.channel.setCurrentIndex(self.channel.findData(Channel.PUBLIC_SOCIAL.value))
        self.channel.setToolTip("The table shows each scope's status on this channel.")
        self.status = combo("consentStatusFilter", "Any status", [(s.label, s) for s in ConsentStatus])
        self.scope = combo("consentScopeFilter", "Any scope", [(s.value.capitalize(), s) for s in ConsentScope])
        self.add_button = QPushButton("&Add consent…", objectName="addConsent")
        self.export_button = QPushButton("Export CSV…", objectName="exportConsent")
        self.search.textChanged.connect(self.filter_changed)
        self.status.currentIndexChanged.connect(self.filter_changed)
        self.scope.currentIndexChanged.connect(self.filter_changed)
        self.channel.currentIndexChanged.connect(lambda _i: self.channel_changed.emit(self.current_channel()))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search, 2)
        for label, widget in (("Channel", self.channel), ("Status", self.status), ("Scope", self.scope)):
            row.addWidget(QLabel(label))
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.add_button)
        row.addWidget(self.export_button)

    def current_channel(self) -> Channel:
        return Channel(self.channel.currentData())

    def values(self) -> tuple[str, ConsentStatus | None, ConsentScope | None]:
        status, scope = self.status.currentData(), self.scope.currentData()
        return self.search.text(), ConsentStatus(status) if status else None, ConsentScope(scope) if scope else None
