"""Team-defined terms from Settings: (term, category) pairs matched with a PhraseMatcher."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from medshare_desktop.analysis.candidates import Candidate
from medshare_desktop.analysis.explanations import default_severity
from medshare_desktop.core.models import RiskCategory

EXTRA_RULE = "custom.term"
EXTRA_KIND = "custom_term"


def _category(value: str) -> RiskCategory:
    try:
        return RiskCategory(value.strip().lower())
    except ValueError:
        return RiskCategory.UNPROFESSIONAL


def build_matcher(nlp: Language, terms: Iterable[tuple[str, str]]) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    add_to_matcher(nlp, matcher, terms)
    return matcher


def add_to_matcher(nlp: Language, matcher: PhraseMatcher, terms: Iterable[tuple[str, str]]) -> None:
    by_category: dict[RiskCategory, list[Doc]] = {}
    for term, category in terms:
        if term and term.strip():
            by_category.setdefault(_category(category), []).append(nlp.make_doc(term.strip()))
    for category, docs in by_category.items():
        matcher.add(f"{EXTRA_RULE}.{category.value}", docs)


def candidates(doc: Doc, matcher: PhraseMatcher) -> list[Candidate]:
    found = []
    for match_id, start, end in matcher(doc):
        category = RiskCategory(doc.vocab.strings[match_id].rsplit(".", 1)[1])
        span = doc[start:end]
        found.append(
            Candidate(
                span.start_char,
                span.end_char,
                category,
                EXTRA_KIND,
                EXTRA_RULE,
                default_severity(category, EXTRA_KIND),
                30,
            )
        )
    return found


class ContextMatcherCache:
    """PhraseMatchers for AnalysisContext.extra_terms, built once per distinct set of terms."""

    def __init__(self, nlp: Language, size: int = 16) -> None:
        self._nlp = nlp
        self._size = size
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[tuple[str, str], ...], PhraseMatcher] = OrderedDict()

    def get(self, terms: tuple[tuple[str, str], ...]) -> PhraseMatcher:
        with self._lock:
            matcher = self._cache.get(terms)
            if matcher is None:
                matcher = build_matcher(self._nlp, terms)
                self._cache[terms] = matcher
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(terms)
            return matcher
