"""A post's audit trail as sentences, oldest first: who did what, when.

`SENTENCES` maps each kind of event to the function that says it in words; an event of a kind not in
the table (added later, or by another screen) is still shown, with its recorded changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import suppress
from typing import Any

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from medshare_desktop.core.models import AuditEvent, Channel, RiskCategory

MAX_VALUE_CHARS = 120
MAX_QUOTE_CHARS = 60

Sentence = Callable[[str, dict[str, Any], dict[str, Any]], str]  # (actor, before, after) -> words


def _short(value: object, limit: int = MAX_VALUE_CHARS) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text: object) -> str:
    return f"“{_short(text or '', MAX_QUOTE_CHARS)}”"


def _kind(change: dict[str, Any]) -> str:
    kind = str(change.get("kind") or "").replace("_", " ")
    category = change.get("category")
    with suppress(ValueError):
        if category and not kind:
            kind = RiskCategory(category).label.lower()
    return f"{kind} finding" if kind else "finding"


def _category(value: object) -> str:
    """"phi" → "patient identifiers (PHI)"."""
    try:
        label = RiskCategory(str(value)).label
    except ValueError:
        return str(value or "").replace("_", " ")
    return label[0].lower() + label[1:]


def _channel(value: object) -> str:
    try:
        return Channel(str(value)).label.lower()
    except ValueError:
        return str(value or "")


def _findings_summary(summary: object) -> str:
    """"phi:2 patient_story:1" → "2 patient identifiers (PHI), 1 patient story"."""
    if not summary or summary == "clean":
        return "nothing found"
    parts = []
    for item in str(summary).split():
        category, _, count = item.partition(":")
        try:
            label = RiskCategory(category).label
            label = label[0].lower() + label[1:]  # "patient identifiers (PHI)"
        except ValueError:
            label = category.replace("_", " ")
        parts.append(f"{count} {label}")
    return ", ".join(parts)


def _in_review(actor: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    why = after.get("why")
    if why:
        return f"Back in review ({why})"
    if before.get("state") == "new":
        return f"{actor} started the review"
    return f"{actor} reopened the post for review"


def _approved(actor: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    if before.get("state") == "scheduled":
        return f"{actor} took the post off the calendar; it is approved and unscheduled"
    evidence = after.get("evidence_sha256")
    if evidence:  # the snapshot kept at approval (Export evidence…)
        return f"Approved by {actor}; evidence kept (SHA-256 {str(evidence)[:12]}…)"
    return f"Approved by {actor}"


def _repurposed(actor: str, _before: dict[str, Any], after: dict[str, Any]) -> str:
    if after.get("repurposed_text") is None:
        return f"{actor} went back to the original text for the re-share"
    return f"{actor} saved an edited version to share: {_quote(after['repurposed_text'])}"


def _resolved(actor: str, _before: dict[str, Any], after: dict[str, Any]) -> str:
    what = f"the {_kind(after)}" + (f" {_quote(after['text'])}" if after.get("text") else "")
    reason = after.get("reason") or ""
    if after.get("resolution") == "accepted":
        return f"{actor} accepted {what}: {reason}"
    if after.get("resolution") == "false_positive":
        return f"{actor} marked {what} as not a risk: {reason}"
    return f"{actor} marked {what} fixed"


def _reopened(actor: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    was = str(before.get("resolution") or "").replace("_", " ")
    had = f" (it had been {was}" + (f": {before['reason']}" if before.get("reason") else "") + ")" if was else ""
    return f"{actor} reopened the {_kind(after)} {_quote(after.get('text'))}{had}"


def _fixed(_actor: str, _before: dict[str, Any], after: dict[str, Any]) -> str:
    fixed = after.get("fixed") or []
    quotes = ", ".join(_quote(f.get("text")) for f in fixed[:3]) + (" …" if len(fixed) > 3 else "")
    return f"Fixed by the edit: {len(fixed)} finding(s) no longer in the text ({quotes})"


def _not_found_again(_actor: str, _before: dict[str, Any], after: dict[str, Any]) -> str:
    gone = after.get("gone") or []
    quotes = ", ".join(_quote(f.get("text")) for f in gone[:3]) + (" …" if len(gone) > 3 else "")
    return f"Checked again by the updated risk engine: {len(gone)} earlier finding(s) no longer found ({quotes})"


def _scheduled_share(actor: str, _before: dict[str, Any], after: dict[str, Any]) -> str:
    text = f"{actor} scheduled a re-share on {after.get('day')} ({_channel(after.get('channel'))})"
    return text + (f", over a cadence rule: {after['override_reason']}" if after.get("override_reason") else "")


def _moved_share(actor: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    text = f"{actor} moved the re-share from {before.get('day')} to {after.get('day')}"
    return text + (f", over a cadence rule: {after['override_reason']}" if after.get("override_reason") else "")


SENTENCES: dict[str, Sentence] = {
    "post.in_review": _in_review,
    "post.approved": _approved,
    "post.rejected": lambda actor, _b, a: f"Rejected by {actor}: {a.get('reject_reason', '')}",
    "post.new": lambda actor, _b, _a: f"{actor} put the post back among the new ones",
    "post.scheduled": lambda actor, _b, _a: f"Scheduled by {actor}",
    "post.shared": lambda actor, _b, a: f"{actor} marked it shared at {a.get('shared_url', '')}",
    "post.repurposed": _repurposed,
    "post.evergreen_marked": lambda actor, _b, _a: f"{actor} marked it evergreen (it keeps its place in the suggestions)",
    "post.evergreen_cleared": lambda actor, _b, _a: f"{actor} took off the evergreen mark",
    "post.analysed": lambda _actor, _b, a: f"Checked for risks: {_findings_summary(a.get('findings'))}",
    "finding.resolved": _resolved,
    "finding.reopened": _reopened,
    "finding.fixed": _fixed,
    "finding.not_found_again": _not_found_again,
    "finding.missed_risk_marked": lambda actor, _b, a: (
        f"{actor} marked {_quote(a.get('text'))} as a missed risk ({_category(a.get('category'))})"
        + (f" — {a['note']}" if a.get("note") else "")
    ),
    "finding.missed_risk_removed": lambda actor, b, _a: (
        f"{actor} removed their missed-risk mark {_quote(b.get('text'))} as a mistake"
    ),
    "photo.tagged": lambda actor, _b, a: (
        f"{actor} tagged {len(a.get('people') or [])} person(s) shown in the photos"
        if a.get("people") else f"{actor} removed the photo tags"
    ),
    "share.scheduled": _scheduled_share,
    "share.moved": _moved_share,
    "share.unscheduled": lambda actor, b, _a: f"{actor} unscheduled the re-share of {b.get('day')}",
}


def _changes(before: dict[str, Any], after: dict[str, Any]) -> str:
    """The recorded changes of an event kind the table does not know, as "key old → new"."""
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
    return "; ".join(changes)


def sentence(event: AuditEvent) -> str:
    """What happened, in words: "Approved by ann"."""
    before = json.loads(event.before) if event.before else {}
    after = json.loads(event.after) if event.after else {}
    say = SENTENCES.get(event.action)
    if say is not None:
        with suppress(Exception):  # an odd old record must not hide the rest of the history
            return say(event.actor, before, after)
    changes = _changes(before, after)
    return f"{event.actor}: {event.action.replace('.', ' ').replace('_', ' ')}" + (f" ({changes})" if changes else "")


def describe(event: AuditEvent) -> str:
    """One line per event, e.g. '25 Nov 2026, 14:02 · Approved by ann'."""
    when = event.at.astimezone().strftime("%d %b %Y, %H:%M")
    return f"{when} · {sentence(event)}"


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
