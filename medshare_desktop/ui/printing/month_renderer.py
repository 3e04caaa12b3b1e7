"""The pure renderer: one month of re-shares on one landscape page, readable in black and white.

`paint_month` paints onto any QPainter (QPrinter, QPdfWriter, QImage); sizes are fractions of the
page rectangle, so the same layout comes out on A4, Letter and the screen preview.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

from medshare_desktop.core.services.schedule_service import MonthSchedule, grid_bounds
from medshare_desktop.ui.printing.labels import ATTENTION, CHANNEL_SHORT, LEGEND, badges, excerpt_text, fit_name

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
GRID_SHARE = 0.74  # of the page width; the rest is the side panel
INK = QColor(0, 0, 0)
SOFT_INK = QColor(90, 90, 90)
OTHER_MONTH = QColor(238, 238, 238)
ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _font(size: float, bold: bool = False, italic: bool = False, condensed: bool = False) -> QFont:
    font = QFont("DejaVu Sans")
    if condensed:
        font.setStretch(QFont.Stretch.Condensed)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPixelSize(max(1, round(size)))
    font.setBold(bold)
    font.setItalic(italic)
    return font


def _text(painter: QPainter, rect: QRectF, text: str, font: QFont, align: Qt.AlignmentFlag = ALIGN_LEFT) -> None:
    painter.setFont(font)
    elided = painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(rect.width()))
    painter.drawText(rect, int(align), elided)


def wrap_lines(metrics: QFontMetricsF, text: str, width: float, max_lines: int) -> list[str]:
    """Word-wrap text into at most max_lines lines of the given width; the last one elided if cut."""
    lines: list[str] = []
    words = text.split()
    current = ""
    while words and len(lines) < max_lines:
        candidate = f"{current} {words[0]}".strip()
        if metrics.horizontalAdvance(candidate) <= width or not current:
            current = candidate
            words.pop(0)
        else:
            lines.append(current)
            current = ""
    if current and len(lines) < max_lines:
        lines.append(current)
    if words and lines:
        rest = " ".join([lines[-1], *words])
        lines[-1] = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, int(width))
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, int(width)) for line in lines]


def _wrapped(painter: QPainter, rect: QRectF, text: str, font: QFont, line_h: float, max_lines: int = 20) -> float:
    """Paint word-wrapped text from rect's top; returns the height used."""
    painter.setFont(font)
    lines = wrap_lines(QFontMetricsF(font, painter.device()), text, rect.width(), max_lines)
    for n, line in enumerate(lines):
        painter.drawText(QRectF(rect.left(), rect.top() + n * line_h, rect.width(), line_h), int(ALIGN_LEFT), line)
    return len(lines) * line_h


def paint_month(
    painter: QPainter, page_rect: QRectF, month: MonthSchedule, generated_by: str, generated_on: datetime
) -> None:
    """Lay the month out on one page: title, grid, per-person counts, legend and footer."""
    page = QRectF(page_rect)
    unit = page.height() / 100.0
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setPen(QPen(INK, max(1.0, unit * 0.12)))

    title = QRectF(page.left(), page.top(), page.width(), unit * 5)
    _text(painter, title, f"Re-share calendar — {month.first:%B %Y}", _font(unit * 3.4, bold=True))
    summary = f"{len(month.entries)} re-share(s) · {len(month.flagged)} need attention"
    _text(painter, title, summary, _font(unit * 1.9), ALIGN_RIGHT)

    footer = QRectF(page.left(), page.bottom() - unit * 3, page.width(), unit * 3)
    painter.drawLine(footer.topLeft(), footer.topRight())
    stamp = f"Generated on {generated_on:%d %b %Y %H:%M} by {generated_by} · MedShare Desktop"
    _text(painter, footer, stamp, _font(unit * 1.6))
    _text(painter, footer, "Page 1 of 1", _font(unit * 1.6), ALIGN_RIGHT)

    body_top = title.bottom() + unit
    body_height = footer.top() - unit - body_top
    grid = QRectF(page.left(), body_top, page.width() * GRID_SHARE, body_height)
    side = QRectF(grid.right() + unit * 2, body_top, page.right() - grid.right() - unit * 2, body_height)
    _paint_grid(painter, grid, month, unit)
    _paint_side(painter, side, month, unit)
    painter.restore()


def _paint_grid(painter: QPainter, grid: QRectF, month: MonthSchedule, unit: float) -> None:
    first, last = grid_bounds(month.year, month.month)
    weeks = ((last - first).days + 1) // 7
    header = unit * 3
    col_w = grid.width() / 7
    row_h = (grid.height() - header) / weeks
    for col, name in enumerate(WEEKDAYS):
        _text(
            painter,
            QRectF(grid.left() + col * col_w, grid.top(), col_w, header),
            name,
            _font(unit * 1.9, bold=True),
            Qt.AlignmentFlag.AlignCenter,
        )
    by_day: dict[date, list] = {}
    for entry in month.entries:
        by_day.setdefault(entry.share.day, []).append(entry)
    line_font = _font(unit * 1.55, condensed=True)
    excerpt_font = _font(unit * 1.4, italic=True)
    line_h = unit * 2.05
    for index in range(weeks * 7):
        day = first + timedelta(days=index)
        cell = QRectF(grid.left() + (index % 7) * col_w, grid.top() + header + (index // 7) * row_h, col_w, row_h)
        inside = day.month == month.month
        if not inside:
            painter.fillRect(cell, OTHER_MONTH)
        painter.setPen(QPen(INK, max(1.0, unit * 0.1)))
        painter.drawRect(cell)
        painter.setPen(INK if inside else SOFT_INK)
        pad = unit * 0.5
        number = QRectF(cell.left() + pad, cell.top() + pad * 0.5, cell.width() - 2 * pad, line_h)
        _text(painter, number, str(day.day), _font(unit * 1.8, bold=inside))
        if not inside:
            continue
        entries = by_day.get(day, [])
        if len(entries) > 0:
            _text(painter, number, f"{len(entries)}", _font(unit * 1.4), ALIGN_RIGHT)
        capacity = max(0, int((cell.bottom() - number.bottom() - pad) // line_h))
        shown = entries if len(entries) <= capacity else entries[: max(0, capacity - 1)]
        excerpt_lines = (capacity - len(shown)) // len(shown) if shown else 0
        y = number.bottom()
        for entry in shown:
            row = QRectF(cell.left() + pad, y, cell.width() - 2 * pad, line_h)
            channel = CHANNEL_SHORT[entry.share.channel]
            if not excerpt_lines:  # busy day: the channel goes on the name line
                _text(painter, row, channel, line_font, ALIGN_RIGHT)
                row.setWidth(row.width() - painter.fontMetrics().horizontalAdvance(channel) - pad)
            marks = badges(entry, month.flagged)
            painter.setFont(line_font)
            mark_w = painter.fontMetrics().horizontalAdvance(f"{marks} ") if marks else 0
            person = fit_name(painter.fontMetrics().horizontalAdvance, entry.person_name, row.width() - mark_w)
            name = f"{marks} {person}" if marks else person
            used = _wrapped(painter, row, name, line_font, line_h, 2 if excerpt_lines >= 2 else 1)
            y += used
            extra = excerpt_lines - (round(used / line_h) - 1)  # a wrapped name takes an excerpt line
            if extra > 0:
                text_rect = QRectF(row.left() + pad, y, cell.width() - 3 * pad, line_h)
                y += _wrapped(painter, text_rect, f"{channel} · {excerpt_text(entry)}", excerpt_font, line_h, extra)
        if len(shown) < len(entries):
            _text(
                painter,
                QRectF(cell.left() + pad, y, cell.width() - 2 * pad, line_h),
                f"+{len(entries) - len(shown)} more",
                _font(unit * 1.5, bold=True),
            )


def _paint_side(painter: QPainter, side: QRectF, month: MonthSchedule, unit: float) -> None:
    painter.setPen(INK)
    line_h = unit * 2.3
    y = side.top()

    def line(text: str, font: QFont, right: str = "") -> None:
        nonlocal y
        if y + line_h > side.bottom():
            return
        row = QRectF(side.left(), y, side.width(), line_h)
        if right:
            _text(painter, row, right, font, ALIGN_RIGHT)
            row.setWidth(row.width() - painter.fontMetrics().horizontalAdvance(right) - unit)
            _text(painter, row, text, font)
            y += line_h
            return
        room = max(1, int((side.bottom() - y) // (line_h * 0.8)))
        y += _wrapped(painter, row, text, font, line_h * 0.8, min(room, 4)) + line_h * 0.2

    line("Re-shares per person (this month / limit)", _font(unit * 1.75, bold=True))
    if not month.entries:
        line("No re-shares scheduled.", _font(unit * 1.6))
    for count in month.counts:
        line(count.person.name, _font(unit * 1.6, bold=count.over_limit), count.label)
    if month.unassigned:  # counted in the header too: the panel adds up to it
        line(f"{ATTENTION} No person linked", _font(unit * 1.6, bold=True), str(month.unassigned))
    y += unit
    line("Legend", _font(unit * 1.75, bold=True))
    for symbol, meaning in LEGEND:
        line(f"{symbol}  {meaning}", _font(unit * 1.35))
    line("Grey days belong to the month before or after.", _font(unit * 1.35))
    if month.flagged:
        y += unit
        line("Needs attention", _font(unit * 1.75, bold=True))
        for entry in month.entries:
            reason = month.flagged.get(entry.share.id or -1)
            if reason:
                line(f"⚠ {entry.share.day:%d %b} {entry.person_name}: {reason}", _font(unit * 1.35))
