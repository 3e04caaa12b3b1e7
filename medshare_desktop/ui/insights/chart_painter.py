"""Paints one `Chart` into a rectangle of any QPainter (the screen, a printer, a PDF page).

Sizes follow `base` (the text's pixel height), so the same chart reads on screen and on paper. Colours
come in a `ChartColours`: from the widget's palette on screen (light or dark theme), black on white on paper.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen

from medshare_desktop.ui.insights.chart_spec import Chart, ChartKind
from medshare_desktop.ui.shared.colours import accent, blend, is_dark

# Okabe–Ito hues, told apart with colour-blindness too; a lighter shade of each for dark themes.
SERIES_LIGHT = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#8C6D1F", "#6A6A6A")
SERIES_DARK = ("#4FA8E0", "#F2B640", "#3CC39B", "#E29CC6", "#F08A4B", "#8FD0F5", "#D1B26A", "#B0B0B0")
ATTENTION = ("#B3261E", "#FF8A80")  # a person or department never re-shared

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter


@dataclass(frozen=True, slots=True)
class ChartColours:
    text: QColor
    soft: QColor
    grid: QColor
    base: QColor
    focus: QColor
    attention: QColor
    series: tuple[QColor, ...]

    @classmethod
    def from_palette(cls, palette: QPalette) -> ChartColours:
        text = palette.color(QPalette.ColorRole.WindowText)
        base = palette.color(QPalette.ColorRole.Window)
        return cls(
            text,
            blend(base, text, 0.65),
            blend(base, text, 0.18),
            base,
            palette.color(QPalette.ColorRole.Highlight),
            accent(ATTENTION[0], ATTENTION[1], palette),
            tuple(QColor(c) for c in (SERIES_DARK if is_dark(palette) else SERIES_LIGHT)),
        )

    @classmethod
    def for_paper(cls) -> ChartColours:
        ink, white = QColor(0, 0, 0), QColor(255, 255, 255)
        return cls(ink, QColor(85, 85, 85), QColor(215, 215, 215), white, QColor(0, 0, 0), QColor(ATTENTION[0]),
                   tuple(QColor(c) for c in SERIES_LIGHT))

    def of_series(self, chart: Chart, index: int) -> QColor:
        if chart.sequential:  # oldest lightest, newest full colour
            n = max(1, len(chart.series) - 1)
            return blend(self.base, self.series[0], 0.15 + 0.85 * index / n)
        return self.series[index % len(self.series)]


@dataclass(frozen=True, slots=True)
class Hit:
    """Where a painted bar or column lies, for tooltips: the category and (segment) series it shows."""

    rect: QRectF
    category: int
    series: int  # -1: the whole category


def _font(base: float, scale: float = 1.0, bold: bool = False) -> QFont:
    font = QFont()
    font.setPixelSize(max(1, round(base * scale)))
    font.setBold(bold)
    return font


def _text(painter: QPainter, rect: QRectF, text: str, font: QFont, colour: QColor,
          align: Qt.AlignmentFlag = LEFT) -> None:
    painter.setFont(font)
    painter.setPen(colour)
    elided = QFontMetricsF(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
    painter.drawText(rect, int(align), elided)


def nice_step(maximum: int, ticks: int = 4) -> int:
    """A round step (1, 2, 5, 10, 20, 50…) giving about `ticks` grid lines up to `maximum`."""
    if maximum <= ticks:
        return 1
    raw = maximum / ticks
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def _legend(painter: QPainter, rect: QRectF, chart: Chart, colours: ChartColours, base: float) -> float:
    """The series' swatches in rows from the top of `rect`; returns the height used."""
    if len(chart.series) < (1 if chart.kind is ChartKind.COLUMNS else 2):
        return 0.0  # one bar colour needs no key, except for columns that stand for a category
    font = _font(base, 0.85)
    metrics = QFontMetricsF(font)
    x, y, line = rect.left(), rect.top(), metrics.height() * 1.3
    for i, name in enumerate(chart.series):
        width = base * 0.9 + base * 0.35 + metrics.horizontalAdvance(name) + base
        if x + width > rect.right() and x > rect.left():
            x, y = rect.left(), y + line
        painter.fillRect(QRectF(x, y + (line - base * 0.8) / 2, base * 0.9, base * 0.8), colours.of_series(chart, i))
        _text(painter, QRectF(x + base * 1.25, y, width, line), name, font, colours.text)
        x += width
    return y + line - rect.top() + base * 0.3


def paint_chart(painter: QPainter, rect: QRectF, chart: Chart, colours: ChartColours, base: float,
                focus: int | None = None) -> list[Hit]:
    """Paint the chart (title, subtitle, legend, plot, note) inside `rect`; returns where its bars lie."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    title_h = base * 1.6
    _text(painter, QRectF(rect.left(), rect.top(), rect.width(), title_h), chart.title, _font(base, 1.2, True),
          colours.text)
    sub_font = _font(base, 0.85)
    sub_h = QFontMetricsF(sub_font).height() * 1.3
    _text(painter, QRectF(rect.left(), rect.top() + title_h, rect.width(), sub_h), chart.subtitle, sub_font,
          colours.soft)
    top = rect.top() + title_h + sub_h + base * 0.3
    note_h = 0.0
    if chart.note:
        note_h = QFontMetricsF(sub_font).height() * 2.6
        note_rect = QRectF(rect.left(), rect.bottom() - note_h, rect.width(), note_h)
        painter.setFont(sub_font)
        painter.setPen(colours.text)
        painter.drawText(note_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                         chart.note)
    top += _legend(painter, QRectF(rect.left(), top, rect.width(), rect.height()), chart, colours, base)
    plot = QRectF(rect.left(), top, rect.width(), rect.bottom() - note_h - top)
    hits: list[Hit] = []
    if chart.empty or plot.height() < base * 2:
        _text(painter, plot, chart.empty_text, _font(base), colours.soft, CENTRE)
    elif chart.kind is ChartKind.COLUMNS:
        hits = _columns(painter, plot, chart, colours, base, focus)
    elif chart.kind is ChartKind.BARS:
        hits = _bars(painter, plot, chart, colours, base, focus)
    else:
        hits = _share(painter, plot, chart, colours, base, focus)
    painter.restore()
    return hits


def _focus_frame(painter: QPainter, rect: QRectF, colours: ChartColours, base: float) -> None:
    pen = QPen(colours.focus, max(1.0, base * 0.15))
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect.adjusted(-base * 0.2, -base * 0.2, base * 0.2, base * 0.2))


def _columns(painter: QPainter, plot: QRectF, chart: Chart, colours: ChartColours, base: float,
             focus: int | None) -> list[Hit]:
    small = _font(base, 0.8)
    metrics = QFontMetricsF(small)
    maximum = max(chart.total(c) for c in range(len(chart.categories)))
    step = nice_step(maximum)
    top_value = step * math.ceil(maximum / step) if maximum else 1
    axis_w = metrics.horizontalAdvance(str(top_value)) + base * 0.6
    label_h = metrics.height() * 1.5
    unit_h = metrics.height() * 1.2
    area = QRectF(plot.left() + axis_w, plot.top() + unit_h + metrics.height(), plot.width() - axis_w,
                  plot.height() - label_h - unit_h - metrics.height())
    _text(painter, QRectF(plot.left(), plot.top(), plot.width(), unit_h), chart.unit.capitalize(), small, colours.soft)
    for value in range(0, top_value + 1, step):  # grid lines and the value axis
        y = area.bottom() - area.height() * value / top_value
        painter.setPen(QPen(colours.grid, 1))
        painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
        _text(painter, QRectF(plot.left(), y - metrics.height() / 2, axis_w - base * 0.3, metrics.height()),
              str(value), small, colours.soft, RIGHT)
    n = len(chart.categories)
    slot = area.width() / n
    width = min(slot * 0.62, base * 5)
    hits: list[Hit] = []
    for c in range(n):
        x = area.left() + slot * c + (slot - width) / 2
        y = area.bottom()
        for s in range(len(chart.series)):
            value = chart.values[s][c]
            if not value:
                continue
            h = area.height() * value / top_value
            segment = QRectF(x, y - h, width, h)
            colour = colours.of_series(chart, s)
            painter.fillRect(segment, colour)
            if h >= metrics.height() * 1.05 and len(chart.series) > 1:
                ink = QColor(0, 0, 0) if colour.lightness() > 140 else QColor(255, 255, 255)
                _text(painter, segment, str(value), small, ink, CENTRE)
            hits.append(Hit(segment, c, s))
            y -= h
        total_rect = QRectF(x - slot * 0.2, y - metrics.height() * 1.1, width + slot * 0.4, metrics.height())
        _text(painter, total_rect, str(chart.total(c)), _font(base, 0.85, True), colours.text, CENTRE)
        label = QRectF(area.left() + slot * c, area.bottom() + base * 0.25, slot, label_h)
        _text(painter, label, chart.categories[c], small, colours.text, CENTRE)
        whole = QRectF(x, y, width, area.bottom() - y)
        hits.append(Hit(QRectF(area.left() + slot * c, area.top(), slot, area.height() + label_h), c, -1))
        if focus == c:
            _focus_frame(painter, whole.united(label) if chart.total(c) else label, colours, base)
    return hits


def _bars(painter: QPainter, plot: QRectF, chart: Chart, colours: ChartColours, base: float,
          focus: int | None) -> list[Hit]:
    small = _font(base, 0.85)
    metrics = QFontMetricsF(small)
    n = len(chart.categories)
    row = min(plot.height() / max(1, n), base * 2.2)
    label_w = min(plot.width() * 0.36, max(metrics.horizontalAdvance(c) for c in chart.categories) + base)
    maximum = max(chart.scale, *(chart.total(c) for c in range(n))) or 1
    value_w = metrics.horizontalAdvance(str(maximum)) + base
    bar_w = plot.width() - label_w - value_w
    hits: list[Hit] = []
    for c in range(n):
        y = plot.top() + row * c
        total = chart.total(c)
        label_colour = colours.attention if total == 0 else colours.text
        _text(painter, QRectF(plot.left(), y, label_w - base * 0.5, row), chart.categories[c], small, label_colour, RIGHT)
        x = plot.left() + label_w
        h = row * 0.68
        for s in range(len(chart.series)):
            value = chart.values[s][c]
            if not value:
                continue
            w = bar_w * value / maximum
            segment = QRectF(x, y + (row - h) / 2, w, h)
            painter.fillRect(segment, colours.of_series(chart, s))
            if x > plot.left() + label_w:  # a thin gap between one month and the next
                painter.fillRect(QRectF(x, segment.top(), max(1.0, base * 0.08), h), colours.base)
            hits.append(Hit(segment, c, s))
            x += w
        _text(painter, QRectF(x + base * 0.3, y, value_w, row), str(total), _font(base, 0.85, True), label_colour)
        hits.append(Hit(QRectF(plot.left(), y, plot.width(), row), c, -1))
        if focus == c:
            _focus_frame(painter, QRectF(plot.left(), y, plot.width(), row).adjusted(base * 0.2, base * 0.2,
                                                                                    -base * 0.2, -base * 0.2),
                         colours, base)
    painter.setPen(QPen(colours.grid, 1))
    painter.drawLine(QPointF(plot.left() + label_w, plot.top()), QPointF(plot.left() + label_w, plot.top() + row * n))
    return hits


def _share(painter: QPainter, plot: QRectF, chart: Chart, colours: ChartColours, base: float,
           focus: int | None) -> list[Hit]:
    part, rest = chart.values[0][0], chart.values[0][1]
    whole = part + rest
    percent = f"{round(100 * part / whole)}%" if whole else "–"
    big = _font(base, 3.2, True)
    big_h = QFontMetricsF(big).height()
    _text(painter, QRectF(plot.left(), plot.top(), plot.width(), big_h), percent, big, colours.of_series(chart, 0))
    caption = f"{part} of {whole} active staff re-shared at least once"
    _text(painter, QRectF(plot.left(), plot.top() + big_h, plot.width(), base * 1.5), caption, _font(base),
          colours.text)
    bar = QRectF(plot.left(), plot.top() + big_h + base * 2, plot.width(), base * 1.6)
    done = QRectF(bar.left(), bar.top(), bar.width() * part / whole if whole else 0, bar.height())
    todo = QRectF(done.right(), bar.top(), bar.right() - done.right(), bar.height())
    painter.fillRect(todo, colours.grid)
    painter.fillRect(done, colours.of_series(chart, 0))
    small = _font(base, 0.8)
    y = bar.bottom() + base * 0.3
    _text(painter, QRectF(bar.left(), y, bar.width() / 2, base * 1.3), f"{chart.categories[0]}: {part}", small,
          colours.text)
    _text(painter, QRectF(bar.center().x(), y, bar.width() / 2, base * 1.3), f"{chart.categories[1]}: {rest}",
          small, colours.attention if rest else colours.text, RIGHT)
    for index, rect in ((0, done), (1, todo)):
        if focus == index and rect.width() > 0:
            _focus_frame(painter, rect, colours, base)
    return [Hit(done, 0, 0), Hit(todo, 1, 0)]
