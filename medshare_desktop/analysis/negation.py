"""NegEx-style checks: is a match negated, hypothetical or general education?

The negation window is the part of the same clause before the match (cut at punctuation and
"but"), at most `WINDOW_CHARS` characters.
"""

from __future__ import annotations

import re

from medshare_desktop.analysis.candidates import paragraph_bounds
from medshare_desktop.analysis.patient_context import HYPOTHETICAL, SentenceInfo

WINDOW_CHARS = 60
NEGATION_CUES = re.compile(
    r"\b(?:no|not|never|none|nobody|nothing|without|neither|nor|zero|cannot|can't|cant|don't|dont|didn't|didnt"
    r"|doesn't|doesnt|won't|wouldn't|isn't|wasn't|aren't|weren't|haven't|hasn't|shouldn't|avoid|refuse"
    r"|n't)\b|n't\b",
    re.IGNORECASE,
)
CLAUSE_BREAK = re.compile(r"[.;:!?,()\n]|\bbut\b|\bhowever\b|\balthough\b|\bthough\b", re.IGNORECASE)


def clause_before(text: str, sentence: SentenceInfo, start: int) -> str:
    """The text of the current clause that precedes `start`."""
    window_start = max(sentence.start, start - WINDOW_CHARS)
    window = text[window_start:start]
    breaks = list(CLAUSE_BREAK.finditer(window))
    return window[breaks[-1].end() :] if breaks else window


def is_negated(text: str, sentence: SentenceInfo, start: int) -> bool:
    """A negation cue earlier in the same clause ("no patient details were shared")."""
    return NEGATION_CUES.search(clause_before(text, sentence, start)) is not None


def is_hypothetical(text: str, sentence: SentenceInfo, start: int, end: int) -> bool:
    """A hypothetical/teaching cue before the match in its sentence, or anywhere in a question."""
    if not sentence.hypothetical:
        return False
    if HYPOTHETICAL.search(text[sentence.start : end]) is not None:
        return True
    return text[sentence.start : sentence.end].rstrip().endswith("?")


# The clause is about someone other than the author: a condition on "you"/"someone" ("if you have been
# awake for twenty hours…", "when someone's not sleeping") or people described ("people who couldn't sleep";
# not "someone who hasn't slept in 31 hours", which captions often say of the author)
OTHER_SUBJECT = re.compile(
    r"\b(?:if|when|whenever|once|unless|until)\s+(?:you|you're|youre|you've|someone|somebody|anyone|anybody|"
    r"a\s+colleague|your\s+\w+|they|they're|people)\b|\b(?:people|patients|families|parents|those|"
    r"folks)\s+who\b",
    re.IGNORECASE,
)
AUTHOR_SUBJECT = re.compile(r"\b(?:i|i'm|im|i'd|i've|we|we're|we'd|we've)\b", re.IGNORECASE)


def is_someone_elses(text: str, sentence: SentenceInfo, start: int) -> bool:
    """The clause before `start` puts someone else (a generic "you", "someone", "people who") in the
    subject after its last mention of the author: what follows is not the author's own admission."""
    clause = clause_before(text, sentence, start)
    others = list(OTHER_SUBJECT.finditer(clause))
    return bool(others) and AUTHOR_SUBJECT.search(clause, others[-1].end()) is None


# "What NOT to post:", "never write", "don't say": what follows in quotes is an example to avoid
AVOID_CUE = re.compile(
    r"\b(?:what\s+not\s+to|don'?t|do\s+not|never|avoid|stop)\s+(?:\w+\s+){0,2}?(?:post|posting|say|saying|write|"
    r"writing|tweet|share|sharing|type|use|using|call|calling)\b",
    re.IGNORECASE,
)
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
