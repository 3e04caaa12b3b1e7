"""Severity styles for highlighted spans: colour AND underline shape, readable in light and dark themes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from medshare_desktop.core.models import Finding, Severity

# (light-theme background, dark-theme background, underline colour, underline style)
_STYLES = {
    Severity.HIGH: ("#ffd6d6", "#6b1f1f", "#c00000", QTextCharFormat.UnderlineStyle.WaveUnderline),
    Severity.MEDIUM: ("#ffe9b3", "#5c4300", "#b36b00", QTextCharFormat.UnderlineStyle.DashUnderline),
    Severity.LOW: ("#dbe8ff", "#1f3559", "#2f5fb3", QTextCharFormat.UnderlineStyle.DotLine),
}
SYMBOLS = {Severity.HIGH: "▲ high", Severity.MEDIUM: "◆ medium", Severity.LOW: "● low"}
# a finding the reviewer has dealt with (accepted, false positive): muted but readable (grey text,
# light grey background, thin dotted grey line): (light bg, dark bg, line, light text, dark text)
_RESOLVED = ("#ececec", "#3a3a3a", "#8a8a8a", "#555555", "#b8b8b8")


def kind_label(kind: str) -> str:
    """A finding's kind as words: "treatment_advice" → "treatment advice"."""
    if kind == "missed_risk":
        return "missed risk (added by a reviewer)"
    return kind.replace("_", " ")


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def span_format(severity: Severity, dark: bool) -> QTextCharFormat:
    light_bg, dark_bg, line, style = _STYLES[severity]
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(dark_bg if dark else light_bg))
    fmt.setUnderlineStyle(style)
    fmt.setUnderlineColor(QColor(line))
    if severity is Severity.HIGH:
        fmt.setFontWeight(600)
    return fmt


def resolved_format(dark: bool) -> QTextCharFormat:
    light_bg, dark_bg, line, light_text, dark_text = _RESOLVED
    fmt = QTextCharFormat()
    fmt.setBackground(QColor(dark_bg if dark else light_bg))
    fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
    fmt.setUnderlineColor(QColor(line))
    fmt.setForeground(QColor(dark_text if dark else light_text))
    return fmt


def apply_highlights(
    editor: QPlainTextEdit,
    findings: Sequence[Finding],
    current: Finding | None = None,
    resolved: Sequence[Finding] = (),
) -> None:
    """One ExtraSelection per finding; the text itself is never modified. Higher severity draws last,
    resolved findings (in `resolved`) first and muted, so an open finding over the same words shows."""
    dark = is_dark(editor.palette())
    length = len(editor.toPlainText())
    selections = []
    for finding in sorted(findings, key=lambda f: (f not in resolved, f.severity.rank)):
        if finding.end <= finding.start or finding.end > length:
            continue
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(editor.document())
        cursor.setPosition(_qt_pos(editor, finding.start))
        cursor.setPosition(_qt_pos(editor, finding.end), QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor  # type: ignore[attr-defined]
        fmt = resolved_format(dark) if finding in resolved else span_format(finding.severity, dark)
        if current is not None and finding == current:
            fmt.setFontUnderline(True)
            fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            fmt.setForeground(editor.palette().color(QPalette.ColorRole.Text))
        selection.format = fmt  # type: ignore[attr-defined]
        selections.append(selection)
    editor.setExtraSelections(selections)


def _qt_pos(editor: QPlainTextEdit, index: int) -> int:
    """Python string index → Qt document position (UTF-16 code units: astral characters count twice)."""
    text = editor.toPlainText()
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def python_index(text: str, qt_position: int) -> int:
    """Qt document position → Python string index (inverse of _qt_pos)."""
    units = 0
    for i, ch in enumerate(text):
        if units >= qt_position:
            return i
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)
