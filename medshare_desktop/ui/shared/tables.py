"""Table columns sized to their content: every header stays readable, and when the table is too narrow
the columns that can give way (names, departments, handles) shrink to a minimum and elide with "…";
their full text is in the tooltip and the accessible text (the models and items provide it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QTableView

PADDING = 12  # room for the cell margins beyond the text


class ColumnFitter(QObject):
    """Keeps a table's columns at their natural width (content or header, whichever is wider, up to a
    cap), then narrows the `shrinkable` columns, in that order, down to their minimum while the view is
    too narrow. Only when every one is at its minimum does the table scroll sideways. A table that wraps
    its text connects `fitted` to resizeRowsToContents."""

    fitted = Signal()

    def __init__(
        self,
        view: QTableView,
        shrinkable: Sequence[int] = (),
        minimum: Mapping[int, int] | None = None,
        cap: Mapping[int, int] | None = None,
    ) -> None:
        super().__init__(view)
        self._view = view
        self._shrinkable = tuple(shrinkable)
        self._minimum = dict(minimum or {})
        self._cap = dict(cap or {})
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.fit)
        self._natural: dict[int, int] = {}  # measured once per change of the data, not on every resize
        header = view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        view.viewport().installEventFilter(self)
        self._watch(view.model())

    def _watch(self, model: QAbstractItemModel | None) -> None:
        if model is None:
            return
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved, model.dataChanged):
            signal.connect(self._on_data_changed)

    def _on_data_changed(self, *_args: object) -> None:
        self._natural.clear()
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize:
            self._timer.start()
        return False

    def natural_width(self, column: int) -> int:
        view = self._view
        header = view.horizontalHeader()
        content = view.sizeHintForColumn(column) if view.model() and view.model().rowCount() else 0
        width = max(content, header.sectionSizeHint(column)) + PADDING // 2
        return min(width, self._cap.get(column, width))

    def minimum_width(self, column: int) -> int:
        header_width = self._view.horizontalHeader().sectionSizeHint(column)
        return max(header_width, self._minimum.get(column, 0))

    def fit(self) -> None:
        view = self._view
        model = view.model()
        if model is None:
            return
        columns = [c for c in range(model.columnCount()) if not view.isColumnHidden(c)]
        for column in columns:
            if column not in self._natural:
                self._natural[column] = self.natural_width(column)
        widths = {c: self._natural[c] for c in columns}
        room = view.viewport().width()
        excess = sum(widths.values()) - room
        for column in self._shrinkable:
            if excess <= 0:
                break
            if column in widths:
                give = min(excess, max(0, widths[column] - self.minimum_width(column)))
                widths[column] -= give
                excess -= give
        if excess < 0 and columns:  # spare room goes to the last column, so the table has no ragged edge
            widths[columns[-1]] -= excess
        header = view.horizontalHeader()
        for column, width in widths.items():
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)
        self.fitted.emit()
