"""Reviewers' decisions as training sentences for the sentence classifier (pure functions).

- A "False positive" on a sentence-level finding (patient story, discoverable, unprofessional, medical
  advice): the sentence holding the finding was harmless → label "none".
- A "Missed risk" mark of a sentence-level category: every sentence the marked words cover → that
  category's label.
PHI and consent decisions are kept with the posts but teach the sentence classifier nothing (it does
not find names, places or consent problems); they are counted apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from medshare_desktop.core.models import MissedRisk, ReviewFinding, RiskCategory, TeamExample

LABELS = {
    RiskCategory.PATIENT_STORY: "story",
    RiskCategory.DISCOVERABLE: "discoverable",
    RiskCategory.UNPROFESSIONAL: "unprofessional",
    RiskCategory.MEDICAL_ADVICE: "advice",
}
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+|\n+")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: cut after . ! ? … followed by space, and at line breaks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if text[start : match.start()].strip():
            spans.append(_trim(text, start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def covering(text: str, start: int, end: int) -> list[str]:
    """The sentences of `text` that the span [start, end) touches."""
    return [text[s:e] for s, e in sentences(text) if s < end and start < e]


def _span_in(text: str, start: int, end: int, words: str) -> tuple[int, int] | None:
    if text[start:end] == words:
        return start, end
    at = text.find(words) if words else -1
    return (at, at + len(words)) if at >= 0 else None


@dataclass(frozen=True, slots=True)
class TeamDecisions:
    examples: tuple[TeamExample, ...]  # sentences the classifier can learn from
    false_positives: int  # sentence-level "not a risk" decisions used
    missed_risks: int  # sentence-level "missed risk" marks used
    not_for_sentences: int  # PHI and consent decisions, kept but not used by the sentence classifier

    @property
    def used(self) -> int:
        return self.false_positives + self.missed_risks


def collect(
    false_positives: Iterable[tuple[ReviewFinding, str, str]], marks: Iterable[tuple[MissedRisk, str]]
) -> TeamDecisions:
    """Training sentences from the false positives (finding, text to share, original text) and the
    active missed-risk marks (mark, text to share). A sentence labelled twice keeps the risk label
    (a reviewer who marked it risky overrides a "not a risk" on another finding in it)."""
    by_text: dict[str, TeamExample] = {}
    used_fp = used_missed = other = 0
    for review, shared, original in false_positives:
        f = review.finding
        if f.category not in LABELS:
            other += 1
            continue
        found = False
        for text in (shared, original):
            span = _span_in(text, f.start, f.end, f.text)
            if span is None:
                continue
            for sentence in covering(text, *span):
                by_text.setdefault(sentence, TeamExample(sentence, "none", review.post_id))
            found = True
            break
        used_fp += found
    for mark, shared in marks:
        label = LABELS.get(mark.category)
        if label is None:
            other += 1
            continue
        span = _span_in(shared, mark.start, mark.end, mark.text)
        if span is None:
            continue
        for sentence in covering(shared, *span):
            by_text[sentence] = TeamExample(sentence, label, mark.post_id)
        used_missed += 1
    return TeamDecisions(tuple(by_text.values()), used_fp, used_missed, other)
