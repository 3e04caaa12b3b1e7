"""Places below state level in patient context (PHI `location`): towns and cities from a
lexicon, "lives in X" / "from X", counties and named facilities.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from medshare_desktop.analysis.candidates import Candidate, add_candidate, doc_text, register_extensions
from medshare_desktop.analysis.patient_context import SPECIFIC_PERSON, sentence_index, sentence_infos
from medshare_desktop.analysis.rule_files import cue, lower_set, word_list, word_set
from medshare_desktop.core.models import RiskCategory, Severity

_CUES = "places"  # its tables in resources/rules/word_lists.toml and context_cues.toml
US_STATES = word_set(_CUES, "us_states")
_CAP = r"[A-Z][a-z'’.-]+"
HOME_PLACE = cue(_CUES, "home_place", flags=0, cap=_CAP)
PLACE_SUFFIX = cue(_CUES, "place_suffix", flags=0)
HOSPITAL_UNIT = cue(_CUES, "hospital_unit", flags=0)
COUNTY = cue(_CUES, "county", flags=0, cap=_CAP)
FACILITY = cue(_CUES, "facility", flags=0)
NAMED_WARD = cue(_CUES, "named_ward", flags=0)
LANDMARK = cue(_CUES, "landmark", flags=0, cap=_CAP)
LANGUAGES = word_set(_CUES, "languages")
_LEADING_STOP = cue(_CUES, "leading_stop", flags=0)
_NOT_PLACES = word_set(_CUES, "not_places") | LANGUAGES


class PlaceComponent:
    def __init__(self, nlp: Language) -> None:
        self.cities = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.cities.add("city", [nlp.make_doc(c) for c in word_list("us_cities")])
        self.first_names = lower_set("first_names")
        self.not_phi_places = lower_set("not_phi_places")  # countries, states, regions (as the NER uses them)

    def _add(self, doc: Doc, start: int, end: int, rule: str, severity: Severity) -> None:
        add_candidate(doc, Candidate(start, end, RiskCategory.PHI, "location", rule, severity, 55))

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        infos = sentence_infos(doc)
        starts = [info.start for info in infos]
        patient_sentences = [info for info in infos if info.patient_window]
        if not patient_sentences:
            return doc
        for _, start, end in self.cities(doc):
            span = doc[start:end]
            index = sentence_index(infos, starts, span.start_char)
            info = infos[index]
            # someone in particular in this sentence or the two before ("…her car was towed. Which company
            # does Riverside Plaza use?")
            if info.patient_window and SPECIFIC_PERSON.search(text, infos[max(0, index - 2)].start, info.end):
                self._add(doc, span.start_char, span.end_char, "phi.location.city", Severity.MEDIUM)
        for info in patient_sentences:
            if not SPECIFIC_PERSON.search(text, info.start, info.end):
                continue
            for match in HOME_PLACE.finditer(text, info.start, info.end):
                group = "v" if match.group("v") else "w"
                value = match.group(group).rstrip(".")
                first_word = value.split()[0].lower()
                if value.lower() in US_STATES or value.lower() in self.not_phi_places or first_word in _NOT_PLACES:
                    continue  # a state or a country ("had lived in England since 1961") is no small place
                if first_word in self.first_names and not PLACE_SUFFIX.fullmatch(value):
                    continue
                start = match.start(group)
                self._add(doc, start, start + len(value), "phi.location.home_town", Severity.HIGH)
            for match in PLACE_SUFFIX.finditer(text, info.start, info.end):
                lead = _LEADING_STOP.match(match.group())
                start = match.start() + (lead.end() if lead else 0)
                if match.end() - start > 3:
                    self._add(doc, start, match.end(), "phi.location.place_name", Severity.HIGH)
            for match in HOSPITAL_UNIT.finditer(text, info.start, info.end):
                self._add(doc, match.start("v"), match.end("v"), "phi.location.unit", Severity.MEDIUM)
            for match in NAMED_WARD.finditer(text, info.start, info.end):
                if match.group("v").split()[0].lower() not in _NOT_PLACES:
                    self._add(doc, match.start("v"), match.end("v"), "phi.location.named_ward", Severity.MEDIUM)
            for match in LANDMARK.finditer(text, info.start, info.end):
                if match.group("v").split()[0].lower() not in _NOT_PLACES:
                    self._add(doc, match.start("v"), match.end("v"), "phi.location.landmark", Severity.MEDIUM)
            for match in COUNTY.finditer(text, info.start, info.end):
                self._add(doc, match.start(), match.end(), "phi.location.county", Severity.HIGH)
            for match in FACILITY.finditer(text, info.start, info.end):
                lead = _LEADING_STOP.match(match.group())
                start = match.start() + (lead.end() if lead else 0)
                if match.end() - start > 3 and text[start : match.end()].split()[0].lower() not in _NOT_PLACES:
                    self._add(doc, start, match.end(), "phi.location.facility", Severity.MEDIUM)
        return doc


@Language.factory("medshare_places")
def make_places(nlp: Language, name: str) -> PlaceComponent:
    register_extensions()
    return PlaceComponent(nlp)
