"""Layout, painting and hit tests of the on-screen calendar grid (kept apart from its input handling)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen

from medshare_desktop.core.ports import CalendarEntry
from medshare_desktop.ui.printing.labels import ATTENTION, CHANNEL_SHORT, OVERRIDE, badges, excerpt_text, fit_name
from medshare_desktop.ui.printing.month_renderer import wrap_lines
from medshare_desktop.ui.shared.colours import accent, tint

if TYPE_CHECKING:
    from medshare_desktop.ui.calendar.month_grid import MonthGrid

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Everything else comes from the widget's palette (light or dark theme): today is the palette's
# highlight laid lightly on its base, the attention bar an orange in the shade that stands out on it.
ATTENTION_LIGHT, ATTENTION_DARK = "#c85a00", "#ff9c4a"
GHOST = "◌"  # a proposed re-share ("Propose a month"): drawn italic in a dashed box, not yet scheduled


def today_fill(pal: QPalette) -> QColor:
    return tint(pal, pal.color(QPalette.ColorRole.Highlight), 0.22)


def attention_colour(pal: QPalette) -> QColor:
    return accent(ATTENTION_LIGHT, ATTENTION_DARK, pal)


def grid_pen(colour: QColor, device_pixel_ratio: float) -> QPen:
    """Cell borders a whole number of device pixels wide (1 at 100 %, 2 at 150 % and 200 %): a 1-unit pen
    at 150 % would be 1.5 pixels and land as 1 or 2 pixels depending on where a line falls."""
    pen = QPen(colour)
    pen.setCosmetic(True)
    pen.setWidthF(max(1.0, round(device_pixel_ratio)))
    return pen


@dataclass(slots=True)
class _Line:
    rect: QRectF
    text: str
    font: QFont
    share_id: int | None  # the entry this line belongs to (None: day number, "+N more")
    soft: bool = False
    right: str = ""  # right-aligned (the channel on busy days)


@dataclass(slots=True)
class _Cell:
    day: date
    rect: QRectF
    lines: list[_Line]


class GridPainter:
    def __init__(self, grid: MonthGrid) -> None:
        self._grid = grid
        self._cells: list[_Cell] | None = None
        self._header = 0.0

    def invalidate(self) -> None:
        self._cells = None

    # --- layout --------------------------------------------------------------------------
    def cells(self) -> list[_Cell]:
        if self._cells is None:
            self._cells = self._layout()
        return self._cells

    def _layout(self) -> list[_Cell]:
        grid = self._grid
        base = QFont(grid.font())
        bold = QFont(base)
        bold.setBold(True)
        small = QFont(base)
        small.setPointSizeF(max(6.0, base.pointSizeF() * 0.88))
        small.setItalic(True)
        line_h = QFontMetricsF(base).height() + 2
        small_h = QFontMetricsF(small).height() + 1
        self._header = line_h + 6
        days = grid.days()
        rows = max(1, len(days) // 7)
        width, height = grid.width() - 1, grid.height() - 1 - self._header
        cells = []
        for index, day in enumerate(days):
            rect = QRectF(index % 7 * width / 7, self._header + index // 7 * height / rows, width / 7, height / rows)
            inner = rect.adjusted(5, 3, -5, -3)
            label = f"{day.day}" + ("  Today" if day == grid.today else "")
            lines = [_Line(QRectF(inner.left(), inner.top(), inner.width(), line_h), label, bold, None)]
            entries = grid.entries_on(day)
            room = inner.bottom() - inner.top() - line_h
            per_entry_extra = max(0, int((room - len(entries) * line_h) // max(1, len(entries)) // small_h))
            if not grid.week_mode:
                per_entry_extra = min(per_entry_extra, 2)
            y = inner.top() + line_h
            for n, entry in enumerate(entries):
                if y + line_h * (2 if n < len(entries) - 1 else 1) > inner.bottom() + 1:
                    more = QRectF(inner.left(), y, inner.width(), line_h)
                    lines.append(_Line(more, f"+{len(entries) - n} more (week view shows all)", bold, None))
                    break
                right = "" if per_entry_extra else CHANNEL_SHORT[entry.share.channel]
                title_rect = QRectF(inner.left(), y, inner.width(), line_h)
                room_w = inner.width() - (QFontMetricsF(base).horizontalAdvance(right) + 6 if right else 0)
                ghost = entry.share.id is not None and entry.share.id < 0
                font = QFont(base)
                font.setItalic(ghost)
                lines.append(_Line(title_rect, self._title(entry, font, room_w), font, entry.share.id, right=right))
                y += line_h
                if per_entry_extra:
                    detail = f"{CHANNEL_SHORT[entry.share.channel]} · "
                    if entry.share.override_reason:
                        detail += f"{OVERRIDE} override · "
                    if grid.week_mode:
                        detail = f"{entry.share.channel.label} · "
                        reason = grid.schedule.flagged.get(entry.share.id or -1) if grid.schedule else None
                        if reason:
                            detail += f"{ATTENTION} {reason} · "
                        if entry.share.override_reason:
                            detail += f"{OVERRIDE} override: {entry.share.override_reason} · "
                    metrics = QFontMetricsF(small)
                    for text in wrap_lines(metrics, detail + excerpt_text(entry), inner.width() - 8, per_entry_extra):
                        lines.append(
                            _Line(
                                QRectF(inner.left() + 8, y, inner.width() - 8, small_h),
                                text,
                                small,
                                entry.share.id,
                                soft=True,
                            )
                        )
                        y += small_h
            cells.append(_Cell(day, rect, lines))
        return cells

    def _title(self, entry: CalendarEntry, font: QFont | None = None, width: float = 1e9) -> str:
        schedule = self._grid.schedule
        marks = badges(entry, schedule.flagged if schedule else {})
        if entry.share.id is not None and entry.share.id < 0:
            marks = GHOST
        metrics = QFontMetricsF(font or self._grid.font())
        room = width - (metrics.horizontalAdvance(marks + " ") if marks else 0)
        name = fit_name(metrics.horizontalAdvance, entry.person_name, room)
        return f"{marks} {name}" if marks else name

    # --- hit tests -----------------------------------------------------------------------
    def day_at(self, pos: QPoint) -> date | None:
        for cell in self.cells():
            if cell.rect.contains(pos.toPointF()):
                return cell.day
        return None

    def share_at(self, pos: QPoint) -> int | None:
        for cell in self.cells():
            if cell.rect.contains(pos.toPointF()):
                for line in cell.lines:
                    if line.share_id is not None and line.rect.adjusted(-4, 0, 4, 0).contains(pos.toPointF()):
                        return line.share_id
        return None

    def cell_rect(self, day: date) -> QRectF:
        return next((c.rect for c in self.cells() if c.day == day), QRectF())

    def entry_rect(self, share_id: int) -> QRectF | None:
        rects = [line.rect for c in self.cells() for line in c.lines if line.share_id == share_id]
        if not rects:
            return None
        return rects[0].united(rects[-1])

    # --- painting ------------------------------------------------------------------------
    def paint(self, painter: QPainter) -> None:
        grid = self._grid
        pal = grid.palette()
        painter.fillRect(grid.rect(), pal.color(QPalette.ColorRole.Base))
        cells = self.cells()
        header_font = QFont(grid.font())
        header_font.setBold(True)
        painter.setFont(header_font)
        painter.setPen(pal.color(QPalette.ColorRole.Text))
        for cell in cells[:7]:
            name = WEEKDAYS[cell.day.weekday()] + (f" {cell.day:%d %b}" if grid.week_mode else "")
            painter.drawText(
                QRectF(cell.rect.left(), 0, cell.rect.width(), self._header), int(Qt.AlignmentFlag.AlignCenter), name
            )
        month = grid.schedule.month if grid.schedule else grid.today.month
        for cell in cells:
            self._paint_cell(painter, cell, pal, cell.day.month == month)

    def _paint_cell(self, painter: QPainter, cell: _Cell, pal: QPalette, inside: bool) -> None:
        grid = self._grid
        if cell.day == grid.today:
            painter.fillRect(cell.rect, today_fill(pal))
        elif not inside:
            painter.fillRect(cell.rect, pal.color(QPalette.ColorRole.AlternateBase).darker(104))
        painter.setPen(grid_pen(pal.color(QPalette.ColorRole.Mid), grid.devicePixelRatioF()))
        painter.drawRect(cell.rect)
        flagged = grid.schedule.flagged if grid.schedule else {}
        for line in cell.lines:
            selected = line.share_id is not None and line.share_id == grid.selected_share
            if selected:
                painter.fillRect(line.rect.adjusted(-3, 0, 3, 0), pal.color(QPalette.ColorRole.Highlight))
            if line.share_id in flagged and not line.soft:
                painter.fillRect(QRectF(line.rect.left() - 4, line.rect.top(), 3, line.rect.height()),
                                 attention_colour(pal))
            if line.share_id is not None and line.share_id < 0 and not line.soft:  # a proposed re-share
                painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 1.5, Qt.PenStyle.DashLine))
                painter.drawRect(line.rect.adjusted(-3, 0.5, 3, -0.5))
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            color = pal.color(role)
            if not inside and not selected:
                color = pal.color(QPalette.ColorRole.PlaceholderText)
            painter.setPen(color)
            painter.setFont(line.font)
            rect = QRectF(line.rect)
            if line.right:
                painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), line.right)
                rect.setWidth(rect.width() - painter.fontMetrics().horizontalAdvance(line.right) - 6)
            text = painter.fontMetrics().elidedText(line.text, Qt.TextElideMode.ElideRight, int(rect.width()))
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        if cell.day == grid.cursor:
            width = 3 if grid.hasFocus() else 2
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), width))
            painter.drawRect(cell.rect.adjusted(1.5, 1.5, -1.5, -1.5))
        if cell.day == grid.drop_day:
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Text), 2, Qt.PenStyle.DashLine))
            painter.drawRect(cell.rect.adjusted(3, 3, -3, -3))
