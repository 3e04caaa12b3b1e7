"""Texts for calendar items, shared by the screen and the printed page: badges are symbols and words."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from medshare_desktop.core.models import Channel
from medshare_desktop.core.ports import CalendarEntry

ATTENTION = "⚠"
OVERRIDE = "⚑"
CHANNEL_SHORT = {Channel.PUBLIC_SOCIAL: "PUB", Channel.INTERNAL: "INT", Channel.PRINT: "PRN"}

LEGEND = (
    (ATTENTION, "needs attention: consent not valid on that day, no person linked, or an unresolved high-risk finding"),
    (OVERRIDE, "override: scheduled over a cadence rule, with a reason (in the audit trail)"),
    ("PUB · INT · PRN", "channel: public social · internal · print"),
)


EXCERPT_CUT = 139  # the repository cuts excerpts at 140 characters


def excerpt_text(entry: CalendarEntry) -> str:
    """The excerpt, with "…" when it was cut."""
    return entry.excerpt + ("…" if len(entry.excerpt) >= EXCERPT_CUT else "")


def badges(entry: CalendarEntry, flagged: Mapping[int, str]) -> str:
    """The symbols that apply to one scheduled re-share ("⚠ ⚑", one of them, or none)."""
    marks = []
    if entry.share.id is not None and entry.share.id in flagged:
        marks.append(ATTENTION)
    if entry.share.override_reason:
        marks.append(OVERRIDE)
    return " ".join(marks)


def entry_line(entry: CalendarEntry, flagged: Mapping[int, str]) -> str:
    """One line for a cell, such as "⚠ Dr. Ravi Shah · PUB"."""
    marks = badges(entry, flagged)
    text = f"{entry.person_name} · {CHANNEL_SHORT[entry.share.channel]}"
    return f"{marks} {text}" if marks else text


def entry_details(entry: CalendarEntry, flagged: Mapping[int, str]) -> str:
    """Everything about one re-share in words, for tooltips and the week view."""
    lines = [f"{entry.person_name} — {entry.share.channel.label} — {entry.share.day:%a %d %b %Y}"]
    reason = flagged.get(entry.share.id or -1)
    if reason:
        lines.append(f"{ATTENTION} Needs attention: {reason}")
    if entry.share.override_reason:
        lines.append(f"{OVERRIDE} override: {entry.share.override_reason}")
    lines.append(("Edited for the re-share: " if entry.repurposed else "") + excerpt_text(entry))
    if entry.url:
        lines.append(entry.url)
    return "\n".join(lines)


def short_name(name: str) -> str:
    """Initials for first names: "Dr. Tomás Ibarra" → "Dr. T. Ibarra", "Nora Fitzgerald, RN" → "N. Fitzgerald, RN" (for busy days)."""
    main, comma, suffix = name.partition(",")
    words = main.split()
    title = [words.pop(0)] if words and words[0].endswith(".") else []
    if len(words) < 2:
        return name
    initials = [f"{w[0]}." for w in words[:-1]]
    return " ".join([*title, *initials, words[-1]]) + (comma + suffix if comma else "")


def name_forms(name: str) -> list[str]:
    """The ways to write a name, longest first: "Nora Fitzgerald, RN", "N. Fitzgerald, RN", "Fitzgerald, RN",
    "Fitzgerald"; a title goes before the initials do ("Dr. T. Ibarra", "T. Ibarra", "Ibarra")."""
    main, comma, suffix = name.partition(",")
    words = main.split()
    if len(words) > 1 and words[0].endswith("."):
        words.pop(0)  # the title is the first thing to go
    tail = comma + suffix if comma else ""
    forms = [name, short_name(name)]
    if words:
        initials = [f"{w[0]}." for w in words[:-1]]
        forms += [" ".join([*initials, words[-1]]) + tail, words[-1] + tail, words[-1]]
    return list(dict.fromkeys(f for f in forms if f.strip()))


def fit_name(text_width: Callable[[str], float], name: str, width: float) -> str:
    """The longest form of the name that fits; the surname when none does (the caller elides it, and the
    full name is in the tooltip and the accessible text)."""
    forms = name_forms(name)
    return next((form for form in forms if text_width(form) <= width), forms[-1])
