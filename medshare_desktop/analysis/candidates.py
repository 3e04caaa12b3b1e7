"""Candidate findings collected on a spaCy Doc by the pipeline components.

Components append `Candidate` objects to `doc._.risk_candidates`; the engine turns the
surviving candidates into `core.models.Finding` objects (with messages) after merging overlaps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc

from medshare_desktop.core.models import RiskCategory, Severity

CANDIDATES_ATTR = "risk_candidates"
SENTENCES_ATTR = "risk_sentences"
SENTENCE_CATS_ATTR = "risk_sentence_cats"  # the sentence textcat's probabilities, by (start, end) of a sentence
TEXT_ATTR = "risk_text"
SET_ASIDE_ATTR = "risk_set_aside"  # (start, end, category) of risky terms a rule judged a mention, quote or denial
MODEL_RULE_PREFIX = "model."  # rule ids of the sentence classifier's candidates (generic kinds)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span one rule thinks is risky. Offsets are Python string indices into `doc.text`."""

    start: int
    end: int
    category: RiskCategory
    kind: str
    rule: str
    severity: Severity
    priority: int = 50  # larger wins when candidates of one category overlap
    subject: str = ""  # who the finding is about when the span cannot show it (a person in a photo)


def register_extensions() -> None:
    """Register the Doc extensions once (idempotent)."""
    if not Doc.has_extension(CANDIDATES_ATTR):
        Doc.set_extension(CANDIDATES_ATTR, default=None)
    if not Doc.has_extension(SENTENCES_ATTR):
        Doc.set_extension(SENTENCES_ATTR, default=None)
    if not Doc.has_extension(SENTENCE_CATS_ATTR):
        Doc.set_extension(SENTENCE_CATS_ATTR, default=None)
    if not Doc.has_extension(TEXT_ATTR):
        Doc.set_extension(TEXT_ATTR, default=None)
    if not Doc.has_extension(SET_ASIDE_ATTR):
        Doc.set_extension(SET_ASIDE_ATTR, default=None)


def set_aside(doc: Doc, start: int, end: int, category: RiskCategory) -> None:
    """Record a risky term a rule found and judged harmless in its context (a slur talked about, a quoted
    example, a denial): a coarser reader of the same text (the whole-post read) must not flag it again."""
    found = doc._.get(SET_ASIDE_ATTR)
    if found is None:
        found = []
        doc._.set(SET_ASIDE_ATTR, found)
    found.append((start, end, category))


def set_aside_in(doc: Doc, start: int, end: int) -> set[RiskCategory]:
    """Categories of the terms set aside within [start, end)."""
    return {category for s, e, category in doc._.get(SET_ASIDE_ATTR) or () if start <= s and e <= end}


def candidates_of(doc: Doc) -> list[Candidate]:
    """The doc's candidate list, created on first use."""
    found = doc._.get(CANDIDATES_ATTR)
    if found is None:
        found = []
        doc._.set(CANDIDATES_ATTR, found)
    return found


def drop_candidates(doc: Doc, applies: re.Pattern[str], drop: Callable[[str, Candidate], bool]) -> None:
    """Remove the candidates `drop(text, candidate)` says are not risks; when `applies` finds nothing in the
    text (the cue the filter is about: off duty, a bed count), nothing is looked at."""
    candidates = candidates_of(doc)
    if not candidates:
        return
    text = doc_text(doc)
    if applies.search(text) is None:
        return
    candidates[:] = [c for c in candidates if not drop(text, c)]


def doc_text(doc: Doc) -> str:
    """doc.text, built once per Doc and shared by the components (Doc.text joins every token on each access)."""
    text = doc._.get(TEXT_ATTR)
    if text is None:
        text = doc.text
        doc._.set(TEXT_ATTR, text)
    return text


def paragraph_bounds(text: str, at: int) -> tuple[int, int]:
    """(start, end) of the paragraph (text between blank lines) that holds position `at`."""
    before = text.rfind("\n\n", 0, at)
    after = text.find("\n\n", at)
    return (0 if before < 0 else before + 2), (len(text) if after < 0 else after)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """(start, end) without the whitespace at either end of text[start:end]."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def doc_length(doc: Doc) -> int:
    """len(doc.text) without rebuilding the text (Doc.text joins every token on each access)."""
    if len(doc) == 0:
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)


def add_candidate(doc: Doc, candidate: Candidate) -> None:
    if 0 <= candidate.start < candidate.end <= doc_length(doc):
        candidates_of(doc).append(candidate)
