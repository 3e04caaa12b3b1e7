"""The team's own places from Settings ("4 North", "Gorseway", towns of the catchment area): PHI places
where a post talks about someone in particular, as the place rules in phi_places.py treat towns.

Matched case-insensitively by a PhraseMatcher (engine-wide from `RiskEngine.set_our_places`, or per call
from `AnalysisContext.our_places`). The gate is the one the lexicon towns use: a patient cue within
two sentences before or one after, and someone in particular in the sentence or the two before it.
A place named as staff ("the 4 North nurses", "our 4 North team") is not a patient's.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from medshare_desktop.analysis.candidates import Candidate, doc_text
from medshare_desktop.analysis.patient_context import SPECIFIC_PERSON, sentence_index, sentence_infos
from medshare_desktop.core.models import RiskCategory, Severity

RULE = "phi.location.our_place"
_STAFF_BEFORE = re.compile(r"\b(?:nurses|staff|team|crew|colleagues|unit)\s+(?:on|of|from|at)\s+(?:the\s+)?$", re.I)
_STAFF_AFTER = re.compile(
    r"^\s+(?:nurses?|team|staff|crew|charge|manager|managers|leadership|colleagues|folks|gang|squad|family"
    r"|potluck|party|meeting|huddle|rounds|award|celebration)\b",
    re.I,
)


def clean(places: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for place in places:
        place = " ".join(str(place).split())
        if place and place.lower() not in seen:
            seen[place.lower()] = place
    return tuple(seen.values())


class OurPlaces:
    """Engine-wide places plus a small cache of matchers for per-call places."""

    def __init__(self, nlp: Language, size: int = 8) -> None:
        self._nlp = nlp
        self._lock = threading.Lock()
        self._places: tuple[str, ...] = ()
        self._size = size
        self._cache: OrderedDict[tuple[str, ...], PhraseMatcher] = OrderedDict()

    @property
    def places(self) -> tuple[str, ...]:
        return self._places

    def set(self, places: Iterable[str]) -> None:
        with self._lock:
            self._places = clean(places)

    def _matcher(self, places: tuple[str, ...]) -> PhraseMatcher:
        with self._lock:
            matcher = self._cache.get(places)
            if matcher is None:
                matcher = PhraseMatcher(self._nlp.vocab, attr="LOWER")
                matcher.add(RULE, [self._nlp.make_doc(p) for p in places])
                self._cache[places] = matcher
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(places)
            return matcher

    def candidates(self, doc: Doc, extra: Iterable[str] = ()) -> list[Candidate]:
        places = clean((*self._places, *extra))
        if not places:
            return []
        matches = self._matcher(places)(doc)
        if not matches:
            return []
        return list(_gated(doc, matches))


def _gated(doc: Doc, matches: list[tuple[int, int, int]]) -> Iterable[Candidate]:
    text = doc_text(doc)
    infos = sentence_infos(doc)
    starts = [info.start for info in infos]
    for _, start, end in matches:
        span = doc[start:end]
        index = sentence_index(infos, starts, span.start_char)
        info = infos[index]
        if not info.patient_window or info.hypothetical:
            continue
        if not SPECIFIC_PERSON.search(text, infos[max(0, index - 2)].start, info.end):
            continue
        if _STAFF_BEFORE.search(text[info.start : span.start_char]) or _STAFF_AFTER.match(text[span.end_char : info.end]):
            continue
        yield Candidate(span.start_char, span.end_char, RiskCategory.PHI, "location", RULE, Severity.MEDIUM, 56)
