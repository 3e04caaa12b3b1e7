"""NegEx-style checks: is a match negated, hypothetical or general education?

The negation window is the part of the same clause before the match (cut at punctuation and
"but"), at most `WINDOW_CHARS` characters.
"""

from __future__ import annotations

from medshare_desktop.analysis.candidates import paragraph_bounds
from medshare_desktop.analysis.patient_context import HYPOTHETICAL, SentenceInfo
from medshare_desktop.analysis.rule_files import cue

WINDOW_CHARS = 60
NEAR_WORDS = 5  # how far before an insult a negation still negates it (is_negated_nearby)
_CUES = "negation"  # the table of resources/rules/context_cues.toml (what each cue is for is written there)
NEGATION_CUES = cue(_CUES, "negation_cues")
CLAUSE_BREAK = cue(_CUES, "clause_break")


def clause_before(text: str, sentence: SentenceInfo, start: int) -> str:
    """The text of the current clause that precedes `start`."""
    window_start = max(sentence.start, start - WINDOW_CHARS)
    window = text[window_start:start]
    breaks = list(CLAUSE_BREAK.finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def is_negated(text: str, sentence: SentenceInfo, start: int) -> bool:
    """A negation cue earlier in the same clause ("no patient details were shared")."""
    return NEGATION_CUES.search(clause_before(text, sentence, start)) is not None


def is_negated_nearby(text: str, sentence: SentenceInfo, start: int, words: int = NEAR_WORDS) -> bool:
    """A negation cue among the few words right before `start` in its clause ("he is not an idiot"), not one
    that negates another verb earlier ("has never done a day of work in their pathetic little life")."""
    before = clause_before(text, sentence, start).split()
    return NEGATION_CUES.search(" ".join(before[-words:])) is not None


def is_hypothetical(text: str, sentence: SentenceInfo, start: int, end: int) -> bool:
    """A hypothetical/teaching cue before the match in its sentence, or anywhere in a question."""
    if not sentence.hypothetical:
        return False
    if HYPOTHETICAL.search(text[sentence.start : end]) is not None:
        return True
    return text[sentence.start : sentence.end].rstrip().endswith("?")


OTHER_SUBJECT = cue(_CUES, "other_subject")
AUTHOR_SUBJECT = cue(_CUES, "author_subject")


def is_someone_elses(text: str, sentence: SentenceInfo, start: int) -> bool:
    """The clause before `start` puts someone else (a generic "you", "someone", "people who") in the
    subject after its last mention of the author: what follows is not the author's own admission."""
    clause = clause_before(text, sentence, start)
    others = list(OTHER_SUBJECT.finditer(clause))
    return bool(others) and AUTHOR_SUBJECT.search(clause, others[-1].end()) is None


AVOID_CUE = cue(_CUES, "avoid_cue")
OPEN_QUOTES = frozenset('"“')
CLOSE_QUOTES = frozenset('"”')


def is_quoted_example(text: str, start: int) -> bool:
    """Inside quotation marks in a paragraph that says not to post or say such things (a list of
    examples to avoid, quoted by the author), not the author's own words."""
    before = text[paragraph_bounds(text, start)[0] : start]
    line = before[before.rfind("\n") + 1 :]
    quotes = sum(1 for c in line if c in OPEN_QUOTES | CLOSE_QUOTES)
    if quotes % 2 == 0:
        return False
    return AVOID_CUE.search(before) is not None
