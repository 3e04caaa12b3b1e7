"""The post text with highlighted spans; hovering a span shows why it is risky."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QContextMenuEvent, QHelpEvent
from PySide6.QtWidgets import QPlainTextEdit, QToolTip, QWidget

from medshare_desktop.core.models import Finding
from medshare_desktop.ui.risk_panel.highlight import SYMBOLS, apply_highlights, kind_label, python_index


class RiskTextEdit(QPlainTextEdit):
    finding_at_cursor = Signal(object)  # Finding | None, when the caret moves onto a span
    missed_risk_requested = Signal()  # "Missed risk…" chosen in the context menu on a selection

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("riskText")
        self._findings: list[Finding] = []
        self._resolved: list[Finding] = []
        self._current: Finding | None = None
        self.can_mark_missed = False  # the panel allows "Missed risk…" (a saved post, no unsaved edit)
        self.viewport().installEventFilter(self)
        self.cursorPositionChanged.connect(self._on_cursor_position_changed)

    def set_findings(self, findings: Sequence[Finding], resolved: Sequence[Finding] = ()) -> None:
        """Highlight `findings`; those also in `resolved` (dealt with by the reviewer) look muted."""
        self._findings = list(findings)
        self._resolved = list(resolved)
        if self._current not in self._findings:
            self._current = None
        apply_highlights(self, self._findings, self._current, self._resolved)

    def resolved(self) -> list[Finding]:
        return list(self._resolved)

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def finding_at(self, index: int) -> Finding | None:
        """The most severe finding covering a Python string index."""
        covering = [f for f in self._findings if f.start <= index < f.end]
        return max(covering, key=lambda f: (f.severity.rank, -(f.end - f.start))) if covering else None

    def select_finding(self, finding: Finding | None) -> None:
        """Select the finding's span in the text and scroll to it."""
        self._current = finding
        apply_highlights(self, self._findings, finding, self._resolved)
        if finding is None:
            return
        text = self.toPlainText()
        cursor = self.textCursor()
        start = finding.start + sum(1 for ch in text[: finding.start] if ord(ch) > 0xFFFF)
        end = finding.end + sum(1 for ch in text[: finding.end] if ord(ch) > 0xFFFF)
        self.blockSignals(True)
        cursor.setPosition(start)
        cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.blockSignals(False)
        self.ensureCursorVisible()

    def _on_cursor_position_changed(self) -> None:
        index = python_index(self.toPlainText(), self.textCursor().position())
        finding = self.finding_at(index)
        if finding != self._current:
            self._current = finding
            apply_highlights(self, self._findings, finding, self._resolved)
            self.finding_at_cursor.emit(finding)

    def selected_span(self) -> tuple[int, int] | None:
        """The selection as Python string offsets, or None when nothing is selected."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        text = self.toPlainText()
        return python_index(text, cursor.selectionStart()), python_index(text, cursor.selectionEnd())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        menu = self.createStandardContextMenu(event.pos())
        menu.addSeparator()
        action = menu.addAction("Missed risk…")
        action.setObjectName("missedRiskAction")
        action.setToolTip("Mark the selected words as a risk the engine did not flag")
        action.setEnabled(self.can_mark_missed and self.textCursor().hasSelection())
        action.triggered.connect(self.missed_risk_requested.emit)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.viewport() and event.type() == QEvent.Type.ToolTip:
            help_event = event if isinstance(event, QHelpEvent) else None
            if help_event is not None:
                cursor = self.cursorForPosition(help_event.pos())
                finding = self.finding_at(python_index(self.toPlainText(), cursor.position()))
                if finding is not None:
                    QToolTip.showText(help_event.globalPos(), tooltip_text(finding), self.viewport())
                else:
                    QToolTip.hideText()
                return True
        return super().eventFilter(watched, event)


def tooltip_text(finding: Finding) -> str:
    lines = [f"{SYMBOLS[finding.severity]} — {finding.category.label}: {kind_label(finding.kind)}", finding.message]
    if finding.suggestion:
        lines.append(f"What to do: {finding.suggestion}")
    return "\n".join(lines)
