"""A post's audit trail, newest last: who changed what, when, from what to what."""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from medshare_desktop.core.models import AuditEvent

MAX_VALUE_CHARS = 120


def _short(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(str(text).split())
    return text if len(text) <= MAX_VALUE_CHARS else text[: MAX_VALUE_CHARS - 1] + "…"


def describe(event: AuditEvent) -> str:
    """One line per event, e.g. '2026-11-25 14:02 ann — post.approved: state in_review → approved'."""
    when = event.at.astimezone().strftime("%Y-%m-%d %H:%M")
    before = json.loads(event.before) if event.before else {}
    after = json.loads(event.after) if event.after else {}
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key in before and key in after:
            changes.append(f"{key} {_short(old)} → {_short(new)}")
        elif key in after:
            changes.append(f"{key} {_short(new)}")
        else:
            changes.append(f"{key} was {_short(old)}")
    return f"{when} {event.actor} — {event.action}" + (": " + "; ".join(changes) if changes else "")


class HistoryView(QPlainTextEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("postHistory")
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)

    def show_events(self, events: Sequence[AuditEvent]) -> None:
        if not events:
            self.setPlainText("No changes recorded yet.")
            return
        self.setPlainText("\n".join(describe(e) for e in events))
