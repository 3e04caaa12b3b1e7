"""Places below state level in patient context (PHI `location`): towns and cities from a
lexicon, "lives in X" / "from X", counties and named facilities.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from medshare_desktop.analysis.candidates import Candidate, add_candidate, doc_text, register_extensions
from medshare_desktop.analysis.patient_context import SPECIFIC_PERSON, sentence_index, sentence_infos
from medshare_desktop.analysis.rule_files import lower_set, word_list, word_set
from medshare_desktop.core.models import RiskCategory, Severity

US_STATES = word_set("places", "us_states")
_CAP = r"[A-Z][a-z'’.-]+"
HOME_PLACE = re.compile(
    rf"\b(?:lives|living|live|resident|residing|moved|home|hometown|native|farmer|rancher|family|originally|"
    rf"grew\s+up|raised|born)\s+(?:in|from|of|near|outside(?:\s+of)?)\s+(?:the\s+(?:town|city|village)\s+of\s+)?"
    rf"(?P<v>{_CAP}(?:\s+{_CAP}){{0,2}})|\b(?:from|in|near|outside(?:\s+of)?|out\s+in|over\s+in|up\s+in|down\s+in)\s+"
    rf"(?:the\s+(?:town|city|village)\s+of\s+)?(?P<w>{_CAP}(?:\s+{_CAP}){{0,2}})"
)
PLACE_SUFFIX = re.compile(
    r"\b(?:[A-Z][a-z'’]+\s+){1,2}(?:Creek|Lake|Heights|Springs|Falls|Valley|Ridge|Hills|Harbou?r|Bay|Grove|Manor"
    r"|Village|Beach|Mills|Junction|Crossing|Landing|Bluff|Glen|Hollow|Meadows?|Terrace|Gardens|Estates|Acres)\b"
    r"|\b(?:Port|Fort|Lake|Mount)\s+[A-Z][a-z'’]+\b"
)
# a unit where someone is ("on 5 East"), not the unit's staff ("the 5 West nurses", "night nurses on 5 East")
HOSPITAL_UNIT = re.compile(
    r"(?<!nurses )(?<!staff )(?<!team )(?<!crew )(?<!colleagues )\b(?:on|to|from|in|at)\s+(?:the\s+)?"
    r"(?P<v>\d{1,2}\s?(?:North|South|East|West)\b)(?!\s+(?:nurses?|team|staff|crew|charge|manager|leadership|"
    r"colleagues|folks|gang|squad|family)\b)"
)
COUNTY = re.compile(rf"\b{_CAP}(?:\s+{_CAP})?\s+(?:County|Parish|Borough|Township)\b")
FACILITY = re.compile(
    r"\b(?:(?:St|Mt)\.?\s+|Saint\s+|Mount\s+)[A-Z][A-Za-z'’]+(?:'s|’s)?(?:\s+(?:Hospital|Medical\s+Center|Health"
    r"|Clinic|Regional|General|Memorial))?"
    r"|\b(?:[A-Z][A-Za-z'’.&-]*\s+){1,4}(?:Hospital|Medical\s+Cent(?:er|re)|Health\s+Cent(?:er|re)|Health\s+System"
    r"|Clinic|Infirmary|Hospice|Nursing\s+Home|Rehab(?:ilitation)?\s+Cent(?:er|re)|Urgent\s+Care|Care\s+Center"
    r"|Children's|Memorial|Medical\s+Group|Cancer\s+Cent(?:er|re)|Heart\s+Institute|Church|Chapel|Fellowship"
    r"|Mosque|Masjid|Temple|Synagogue|Gurdwara|Parish|Cathedral|Tabernacle|Ministries|AME|Elementary|Academy"
    r"|(?:Middle|High|Primary|Grammar)\s+School|Care\s+Home|Retirement\s+(?:Home|Village)|Assisted\s+Living"
    r"|Senior\s+Living)\b"
    r"|\b(?:Iglesia|Masjid|Mezquita|Templo|Église|Chiesa)\s+(?:[A-Z][\w'’]*\s*){1,4}"
)
# "Rainbow Ward", "Sunflower Wing": a named ward in a sentence about a patient
NAMED_WARD = re.compile(r"\b(?P<v>[A-Z][a-z]+\s+(?:Ward|Wing|Pavilion))\b")
LANGUAGES = word_set("places", "languages")
_LEADING_STOP = re.compile(r"^(?:(?:The|Our|My|A|An|At|In|To|From|This|That|Local|Nearby|And|Of)\s+)+")
_NOT_PLACES = word_set("places", "not_places") | LANGUAGES


class PlaceComponent:
    def __init__(self, nlp: Language) -> None:
        self.cities = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.cities.add("city", [nlp.make_doc(c) for c in word_list("us_cities")])
        self.first_names = lower_set("first_names")

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
                if value.lower() in US_STATES or first_word in _NOT_PLACES:
                    continue
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
