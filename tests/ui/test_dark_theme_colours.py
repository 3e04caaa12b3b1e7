"""Signal colours (errors, consent warnings, status words, the word diff) stay readable in a dark theme."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

DARK_BASE = "#1e1e1e"


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(QColor(a)), _luminance(QColor(b))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _css_colour(css: str, prop: str) -> str:
    match = re.search(rf"(?<![-\w]){prop}\s*:\s*(#[0-9a-fA-F]{{6}})", css)
    assert match, f"no {prop} in {css!r}"
    return match.group(1)


@pytest.fixture
def dark_app(qapp: QApplication) -> Iterator[QApplication]:
    light = qapp.palette()
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Base, QColor(DARK_BASE))
    dark.setColor(QPalette.ColorRole.Window, QColor("#2b2b2b"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8e8e8"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#e8e8e8"))
    qapp.setPalette(dark)
    yield qapp
    qapp.setPalette(light)


def test_a_missing_reason_is_said_in_a_colour_readable_on_a_dark_theme(qtbot, dark_app) -> None:
    from medshare_desktop.ui.shared.dialogs import ReasonDialog

    dialog = ReasonDialog("Reject post", "Why is this post rejected?")
    qtbot.addWidget(dialog)
    dialog.accept()  # blank: refused with an error under the field
    colour = _css_colour(dialog.error.styleSheet(), "color")
    assert _contrast(colour, DARK_BASE) >= 4.5, f"{colour} on {DARK_BASE}"


def test_the_consent_warning_banner_is_dark_with_light_text_room_on_a_dark_theme(qtbot, dark_app) -> None:
    from medshare_desktop.ui.consent.reminder_widgets import AffectedBanner

    banner = AffectedBanner(can_unschedule=True)
    qtbot.addWidget(banner)
    background = _css_colour(banner.styleSheet(), "background")
    # the theme's own light text is painted on it: it must stay readable
    assert QColor(background).lightness() < 90
    assert _contrast("#e8e8e8", background) >= 4.5


def test_a_light_theme_keeps_the_designed_colours(qtbot, qapp) -> None:
    from medshare_desktop.ui.shared.colours import for_theme, themed_css

    assert not qapp.palette().color(QPalette.ColorRole.Base).lightness() < 128 or pytest.skip("system theme is dark")
    assert for_theme("#b00020") == "#b00020"
    assert themed_css("color: #0a6b2d; background-color:#e3f6e8;") == "color: #0a6b2d; background-color:#e3f6e8;"
