"""Reviewer-added findings ("Missed risk"): where a mark is in the text now, and the finding it makes.

A mark is kept with the post (its span, category, who and when). Every time the post's findings are
stored, each active mark whose words are still in the text to share becomes a high-severity finding
with the rule `reviewer.missed_risk.<mark id>`, so it blocks approval like any other open high finding
until it is accepted with a reason; when the words are gone from the saved text it is fixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from medshare_desktop.core.models import Finding, MissedRisk, RiskCategory, Severity

RULE_PREFIX = "reviewer.missed_risk."
KIND = "missed_risk"
CATEGORIES = (
    RiskCategory.PHI,
    RiskCategory.PATIENT_STORY,
    RiskCategory.DISCOVERABLE,
    RiskCategory.UNPROFESSIONAL,
    RiskCategory.MEDICAL_ADVICE,
)


def is_reviewer_finding(finding: Finding) -> bool:
    return finding.rule.startswith(RULE_PREFIX)


def mark_id(finding: Finding) -> int | None:
    """The id of the mark a reviewer-added finding comes from (None for the engine's findings)."""
    if not is_reviewer_finding(finding):
        return None
    tail = finding.rule[len(RULE_PREFIX):]
    return int(tail) if tail.isdigit() else None


def locate(mark: MissedRisk, text: str) -> tuple[int, int] | None:
    """Where the marked words are in `text`: at the marked offsets if they are still there, else the
    occurrence nearest to them; None when the words are gone (the risk was edited out)."""
    if not mark.text:
        return None
    if text[mark.start : mark.end] == mark.text:
        return mark.start, mark.end
    best: int | None = None
    at = text.find(mark.text)
    while at >= 0:
        if best is None or abs(at - mark.start) < abs(best - mark.start):
            best = at
        at = text.find(mark.text, at + 1)
    return None if best is None else (best, best + len(mark.text))


def as_finding(mark: MissedRisk, text: str) -> Finding | None:
    """The reviewer-added finding for `mark` in `text`, or None when its words are no longer there."""
    span = locate(mark, text)
    if span is None or mark.id is None:
        return None
    who = mark.marked_by or "a reviewer"
    when = f" on {mark.marked_at:%d %b %Y}" if mark.marked_at else ""
    note = f" Note: {mark.note}" if mark.note else ""
    return Finding(
        start=span[0],
        end=span[1],
        text=mark.text,
        category=mark.category,
        kind=KIND,
        severity=Severity.HIGH,
        rule=f"{RULE_PREFIX}{mark.id}",
        message=f"Marked as a missed risk by {who}{when} (the risk engine did not flag it).{note}",
        suggestion="Edit it out of the text to share and save the edit, or accept it with a reason.",
    )


def with_marks(findings: Iterable[Finding], marks: Sequence[MissedRisk], text: str) -> list[Finding]:
    """The engine's findings plus one reviewer-added finding per active mark still in `text`
    (reviewer-added findings passed in are replaced by fresh ones)."""
    merged = [f for f in findings if not is_reviewer_finding(f)]
    for mark in marks:
        if mark.active:
            finding = as_finding(mark, text)
            if finding is not None:
                merged.append(finding)
    merged.sort(key=lambda f: (f.start, f.end))
    return merged


def check_span(text: str, start: int, end: int) -> str:
    """The marked words, or raise ValueError with a sentence saying what is wrong with the selection."""
    if not 0 <= start < end <= len(text):
        raise ValueError("Select the words in the text that carry the risk first.")
    words = text[start:end]
    if not words.strip():
        raise ValueError("The selection holds no words; select the words that carry the risk.")
    return words
