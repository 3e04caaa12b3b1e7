"""Colours derived from the system palette, so custom painting follows a light or dark theme."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QGuiApplication, QPalette

_HEX = re.compile(r"#[0-9a-fA-F]{6}\b")


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


def for_theme(colour: str, palette: QPalette | None = None) -> str:
    """A fixed signal colour (#rrggbb) as it reads on the current theme: unchanged on a light one; on a
    dark one its lightness is mirrored (dark red text turns light red, a pale pink background deep red)."""
    if not is_dark(palette if palette is not None else QGuiApplication.palette()):
        return colour
    hue, saturation, lightness, alpha = QColor(colour).getHslF()
    return QColor.fromHslF(max(hue, 0.0), saturation, 1.0 - lightness, alpha).name()


def themed_css(css: str, palette: QPalette | None = None) -> str:
    """A style sheet or inline style with every #rrggbb colour passed through `for_theme`."""
    return _HEX.sub(lambda match: for_theme(match.group(0), palette), css)
