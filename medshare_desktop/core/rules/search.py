"""What the inbox searches for when someone types (or pastes) text into the search box.

Every word must match, as a prefix ("card" finds "cardiology"). The words are bounded so that no
text, however long, makes a search slow: repeats and words implied by a longer word ("flu" by
"fluid") change nothing and are dropped silently; past MAX_TERMS the longest words are kept (they
narrow the search most) and the inbox tells the user how many words it left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TERMS = 6  # each word costs a pass over its posting list; six keep 100,000 posts under 50 ms
MAX_TERM_CHARS = 40  # a longer word is searched by its first 40 characters
MAX_SEARCH_CHARS = 2_000  # text past this is not read at all

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class SearchTerms:
    terms: tuple[str, ...]  # lower-case words in the order typed; none repeats or is a prefix of another
    left_out: int = 0  # distinct words not searched for (past MAX_TERMS)
    truncated: bool = False  # the text was longer than MAX_SEARCH_CHARS: the rest was not read

    def note(self) -> str:
        """A sentence for the inbox when part of the search was left out, else ""."""
        parts = []
        if self.left_out:
            parts.append(f"searched for the {len(self.terms)} longest words; {self.left_out} other word(s) left out")
        if self.truncated:
            parts.append(f"only the first {MAX_SEARCH_CHARS:,} characters were read")
        return "; ".join(parts)


def search_terms(text: str) -> SearchTerms:
    """The bounded words of a search (see the module's docstring)."""
    words = dict.fromkeys(w.lower()[:MAX_TERM_CHARS] for w in _WORD.findall(text[:MAX_SEARCH_CHARS]))
    # in sorted order, the words that start with w come right after w
    ordered = sorted(words)
    implied = {w for w, after in zip(ordered, ordered[1:], strict=False) if after.startswith(w)}
    distinct = [w for w in words if w not in implied]
    kept = set(sorted(distinct, key=len, reverse=True)[:MAX_TERMS])  # sorted() is stable: ties keep typing order
    terms = tuple(w for w in distinct if w in kept)
    return SearchTerms(terms, len(distinct) - len(terms), len(text) > MAX_SEARCH_CHARS)
