"""The inbox's risk column: the highest open severity as a coloured badge with the open-finding count.

The badge has a shape symbol as well as a colour (▲ high, ◆ medium, ● low), so it does not rely on
colour alone, and the same words are the cell's text for screen readers and copying.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from medshare_desktop.core.models import Severity

SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 1  # the column's Severity value ("high"…), or None when nothing is open

# badge fill and text: strong enough to read white text on, in light and dark themes alike
BADGE_COLOURS = {
    Severity.HIGH: (QColor("#b00020"), QColor("#ffffff")),
    Severity.MEDIUM: (QColor("#a35200"), QColor("#ffffff")),
    Severity.LOW: (QColor("#2f5fb3"), QColor("#ffffff")),
}
SYMBOLS = {Severity.HIGH: "▲", Severity.MEDIUM: "◆", Severity.LOW: "●"}  # keyed by the values too (StrEnum)


def badge_text(severity: Severity, count: int) -> str:
    return f"{SYMBOLS[severity]} {severity.value.capitalize()} · {count}"


class RiskBadgeDelegate(QStyledItemDelegate):
    """Paints a rounded badge for rows with open findings; other rows are drawn as plain text."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(SEVERITY_ROLE)
        if value not in SYMBOLS:
            super().paint(painter, option, index)
            return
        severity = Severity(value)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text = opt.text
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)  # selection, focus
        fill, ink = BADGE_COLOURS[severity]
        metrics = QFontMetricsF(opt.font)
        height = min(opt.rect.height() - 4.0, metrics.height() + 4.0)
        width = min(opt.rect.width() - 8.0, metrics.horizontalAdvance(text) + 14.0)
        badge = QRectF(opt.rect.left() + 4.0, opt.rect.center().y() - height / 2 + 0.5, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(ink)
        painter.setFont(opt.font)
        shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, badge.width() - 10.0)
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), shown)
        if opt.state & QStyle.StateFlag.State_Selected:  # a thin outline in the selection's text colour
            painter.setPen(opt.palette.color(QPalette.ColorRole.HighlightedText))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(badge.adjusted(-1.5, -1.5, 1.5, 1.5), height / 2 + 1.5, height / 2 + 1.5)
        painter.restore()
