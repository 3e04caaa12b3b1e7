"""A chart's numbers as a table model: one row per category (month, person, reason), one column per series
and a Total. The chart view paints from it; tests and assistive tools read it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from medshare_desktop.ui.insights.chart_spec import Chart, ChartKind

_Index = QModelIndex | QPersistentModelIndex


class ChartTableModel(QAbstractTableModel):
    def __init__(self, chart: Chart, parent: Any = None) -> None:
        super().__init__(parent)
        self.chart = chart

    def set_chart(self, chart: Chart) -> None:
        self.beginResetModel()
        self.chart = chart
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.chart.categories)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid():
            return 0
        return len(self.chart.series) + (0 if self.chart.kind is ChartKind.SHARE else 1)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column < len(self.chart.series):
                return self.chart.values[column][row]
            return self.chart.total(row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.chart.describe(row)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return self.chart.categories[section] if 0 <= section < len(self.chart.categories) else None
        if 0 <= section < len(self.chart.series):
            return self.chart.series[section]
        return "Total" if section == len(self.chart.series) else None

    def value(self, category: str, series: str | None = None) -> int:
        """The count a category shows (of one series, or in total) — what a reader sees on the bar."""
        row = self.chart.categories.index(category)
        column = len(self.chart.series) if series is None else self.chart.series.index(series)
        if series is None and self.chart.kind is ChartKind.SHARE:
            return self.chart.total(row)
        return int(self.data(self.index(row, column)))
