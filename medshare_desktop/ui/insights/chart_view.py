"""One chart on screen: painted from its table model, with tooltips on hover and keyboard focus on bars.

Tab reaches the chart; the arrow keys (Home, End) move from bar to bar, each read out in words (the
tooltip and the accessible description), so the numbers are there without a mouse or good eyesight.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QContextMenuEvent, QFocusEvent, QHelpEvent, QKeyEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolTip, QWidget

from medshare_desktop.ui.insights.chart_model import ChartTableModel
from medshare_desktop.ui.insights.chart_painter import ChartColours, Hit, paint_chart
from medshare_desktop.ui.insights.chart_spec import Chart, ChartKind

MARGIN = 12


class ChartView(QWidget):
    focus_moved = Signal(str)  # the focused bar in words
    print_requested = Signal(str)  # this chart's key: print it alone
    export_pdf_requested = Signal(str)  # this chart's key: save it alone as a PDF

    def __init__(self, chart: Chart, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ChartTableModel(chart, self)
        self.model.modelReset.connect(self._on_model_reset)
        self.focused: int | None = None
        self._hits: list[Hit] = []
        self.setObjectName(f"chart_{chart.key}")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._on_model_reset()

    @property
    def chart(self) -> Chart:
        return self.model.chart

    def set_chart(self, chart: Chart) -> None:
        self.model.set_chart(chart)

    def _on_model_reset(self) -> None:
        chart = self.chart
        self.setAccessibleName(chart.title)
        self.setAccessibleDescription(self.summary())
        self.setToolTip("")
        if self.focused is not None and self.focused >= len(chart.categories):
            self.focused = None
        self.updateGeometry()
        self.update()

    def summary(self) -> str:
        chart = self.chart
        if chart.empty:
            return f"{chart.subtitle}. {chart.empty_text}"
        return f"{chart.subtitle}. " + "; ".join(chart.describe(c) for c in range(len(chart.categories)))

    def _base(self) -> float:
        return float(self.fontMetrics().height())

    def sizeHint(self) -> QSize:
        base = self._base()
        chart = self.chart
        header = base * (4.5 + (1.4 if chart.series else 0) + (2.6 if chart.note else 0))
        if chart.kind is ChartKind.BARS:
            body = base * 2.0 * max(2, len(chart.categories))
        elif chart.kind is ChartKind.SHARE:
            body = base * 9
        else:
            body = base * 18
        return QSize(420, int(header + body + 2 * MARGIN))

    def minimumSizeHint(self) -> QSize:
        return QSize(300, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        colours = ChartColours.from_palette(self.palette())
        area = QRectF(self.rect()).adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        self._hits = paint_chart(painter, area, self.chart, colours, self._base(),
                                 self.focused if self.hasFocus() else None)
        painter.end()

    def hit_at(self, x: float, y: float) -> Hit | None:
        """The segment under a point, else the whole category's row or column."""
        segments = [h for h in self._hits if h.rect.contains(x, y)]
        segments.sort(key=lambda h: h.series < 0)
        return segments[0] if segments else None

    def text_for(self, hit: Hit) -> str:
        chart = self.chart
        if hit.series < 0 or len(chart.series) < 2:
            return chart.describe(hit.category)
        value = chart.values[hit.series][hit.category]
        return f"{chart.categories[hit.category]} · {chart.series[hit.series]}: {value} {chart.unit}".rstrip()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            hit = self.hit_at(event.pos().x(), event.pos().y())
            if hit is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.text_for(hit), self)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        n = len(self.chart.categories)
        key = event.key()
        moves = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1, Qt.Key.Key_Up: -1}
        if n and key in moves:
            current = self.focused if self.focused is not None else (-1 if moves[key] > 0 else n)
            self.focus_category(max(0, min(n - 1, current + moves[key])))
        elif n and key == Qt.Key.Key_Home:
            self.focus_category(0)
        elif n and key == Qt.Key.Key_End:
            self.focus_category(n - 1)
        else:
            super().keyPressEvent(event)

    def focus_category(self, index: int) -> None:
        self.focused = index
        text = self.chart.describe(index)
        self.setAccessibleDescription(text)
        self.setToolTip(text)
        self.update()
        self.repaint()
        hits = [h for h in self._hits if h.category == index and h.series < 0]
        if hits and self.isVisible():
            QToolTip.showText(self.mapToGlobal(hits[0].rect.center().toPoint()), text, self)
        self.focus_moved.emit(text)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """Print or save this chart alone (the right mouse button, or the Menu key / Shift+F10)."""
        menu = QMenu(self)
        menu.addAction("Print this chart…", lambda: self.print_requested.emit(self.chart.key))
        menu.addAction("Export this chart as PDF…", lambda: self.export_pdf_requested.emit(self.chart.key))
        menu.exec(event.globalPos())

    def focusOutEvent(self, event: QFocusEvent) -> None:
        QToolTip.hideText()
        super().focusOutEvent(event)
