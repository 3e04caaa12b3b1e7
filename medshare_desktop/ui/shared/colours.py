"""Colours derived from the system palette, so custom painting follows a light or dark theme."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def is_dark(palette: QPalette) -> bool:
    """Whether the palette is a dark theme (light text on a dark base)."""
    return palette.color(QPalette.ColorRole.Base).lightness() < palette.color(QPalette.ColorRole.Text).lightness()


def blend(under: QColor, over: QColor, amount: float) -> QColor:
    """`over` laid on `under` at `amount` (0 … 1) opacity."""
    return QColor(
        round(under.red() + (over.red() - under.red()) * amount),
        round(under.green() + (over.green() - under.green()) * amount),
        round(under.blue() + (over.blue() - under.blue()) * amount),
    )


def tint(palette: QPalette, accent: QColor, amount: float = 0.16) -> QColor:
    """A background that carries an accent colour yet keeps the theme's text readable on it."""
    return blend(palette.color(QPalette.ColorRole.Base), accent, amount)


def accent(light: str, dark: str, palette: QPalette) -> QColor:
    """A signal colour (warning, error…) in the shade that stands out on this palette's base."""
    return QColor(dark if is_dark(palette) else light)
