"""One row per person with a compact consent status per scope on a chosen channel, plus filtering."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from medshare_desktop.core.models import Channel, ConsentScope
from medshare_desktop.core.rules.consent import ConsentStatus
from medshare_desktop.core.services.consent_service import ConsentOverview
from medshare_desktop.ui.shared.colours import for_theme

Index = QModelIndex | QPersistentModelIndex
SCOPES = tuple(ConsentScope)
COLUMNS = ("Person", "Department", *(s.value.capitalize() for s in SCOPES), "Next expiry")
EXPIRY_COLUMN = len(COLUMNS) - 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 2
STATUS_ROLE = Qt.ItemDataRole.UserRole + 3

# Symbol + word, so the status never depends on colour alone.
STATUS_TEXT = {
    ConsentStatus.VALID: "✔ Valid",
    ConsentStatus.EXPIRING: "⚠ Expiring",
    ConsentStatus.EXPIRED: "✖ Expired",
    ConsentStatus.REVOKED: "⊘ Revoked",
    ConsentStatus.NOT_YET: "◷ Not yet",
    ConsentStatus.NONE: "– None",
}
STATUS_COLOUR = {
    ConsentStatus.VALID: "#1b6e2a",
    ConsentStatus.EXPIRING: "#8a5a00",
    ConsentStatus.EXPIRED: "#b00020",
    ConsentStatus.REVOKED: "#b00020",
    ConsentStatus.NOT_YET: "#555555",
    ConsentStatus.NONE: "#666666",
}


def expiry_text(day: date | None, today: date) -> str:
    if day is None:
        return "—"
    left = (day - today).days
    return f"{day:%d %b %Y} ({'today' if left == 0 else f'in {left} d'})"


class ConsentTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ConsentOverview] = []
        self._channel = Channel.PUBLIC_SOCIAL
        self._today = date.today()

    def set_rows(self, rows: list[ConsentOverview], today: date) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._today = today
        self.endResetModel()

    def set_channel(self, channel: Channel) -> None:
        self._channel = channel
        if self._rows:
            self.dataChanged.emit(self.index(0, 2), self.index(len(self._rows) - 1, 1 + len(SCOPES)))

    def channel(self) -> Channel:
        return self._channel

    def overview(self, row: int) -> ConsentOverview:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def status(self, row: int, scope: ConsentScope) -> ConsentStatus:
        return self._rows[row].statuses[(scope, self._channel)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item, column = self._rows[index.row()], index.column()
        if role == PERSON_ID_ROLE:
            return item.person.id
        if 2 <= column < 2 + len(SCOPES):
            status = self.status(index.row(), SCOPES[column - 2])
            if role == Qt.ItemDataRole.DisplayRole:
                return STATUS_TEXT[status]
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return f"{SCOPES[column - 2].value.capitalize()} on {self._channel.label.lower()}: {status.label}"
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor(for_theme(STATUS_COLOUR[status]))
            if role in (SORT_ROLE, STATUS_ROLE):
                return status.value
            return None
        full_text = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole)
        if column == 0 and role in (*full_text, SORT_ROLE):  # the tooltip: the whole name when the cell elides it
            return item.person.name if role != SORT_ROLE else item.person.name.lower()
        if column == 1 and role in (*full_text, SORT_ROLE):
            return item.person.department
        if column == EXPIRY_COLUMN:
            if role in full_text:
                return expiry_text(item.next_expiry, self._today)
            if role == SORT_ROLE:
                return item.next_expiry.toordinal() if item.next_expiry else date.max.toordinal()
        return None


class ConsentFilterProxy(QSortFilterProxyModel):
    """Search by name; keep rows with a given status (in one scope, or in any scope)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._search = ""
        self._status: ConsentStatus | None = None
        self._scope: ConsentScope | None = None

    def set_filter(self, search: str, status: ConsentStatus | None, scope: ConsentScope | None) -> None:
        self.beginFilterChange()
        self._search, self._status, self._scope = search.strip().lower(), status, scope
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802 - Qt API
        model = self.sourceModel()
        assert isinstance(model, ConsentTableModel)
        item = model.overview(source_row)
        if self._search and self._search not in " ".join((item.person.name, *item.person.aliases)).lower():
            return False
        scopes = [self._scope] if self._scope else list(SCOPES)
        if self._status is not None:
            return any(model.status(source_row, s) is self._status for s in scopes)
        if self._scope is not None:  # a scope alone: people with any consent on file for it
            return model.status(source_row, self._scope) is not ConsentStatus.NONE
        return True
