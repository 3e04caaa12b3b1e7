"""Pretrained named-entity knowledge for names and places in a patient context (PHI `name`, `location`).

The rules know names and towns from word lists and from the words around them; they cannot know that
"Gorseway" is a town or that "Oyelaran" is a surname. spaCy's `en_core_web_md` NER (vendored as data in
`resources/models/en_core_web_md/`, see its README for provenance) can. It runs as a cascade, so the
cheap path stays cheap: only on sentences that the context flags put in a patient context and that hold
a capitalised word the rules have not already taken (not the sentence's first word). Its entities then
pass the same gates as the rules' guesses: names need a patient sentence and are not staff ("Dr.",
colleague words, "X, RN"), the poster's own family ("my brother Kevin"), things given a name, or words
given elsewhere to staff; places need someone in particular nearby, are below state level and are not
the place of a staff or public event ("our conference in Harrogate"). Known people are dropped by the
engine and paragraphs about the poster's family or the hospital's people by `not_about_patients.py`.

Without the model folder (or with folder "none") the component does nothing: the engine runs on rules.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.util import minibatch

from medshare_desktop.analysis.candidates import (
    Candidate,
    add_candidate,
    candidates_of,
    doc_text,
    register_extensions,
)
from medshare_desktop.analysis.patient_context import SPECIFIC_PERSON, SentenceInfo, sentence_infos
from medshare_desktop.analysis.phi_names import (
    NOT_NAMES,
    PATIENT_EPITHETS,
    NameComponent,
    _staff_names,
    _thing_names,
)
from medshare_desktop.analysis.phi_patterns import _EVENT, _INSTITUTION_PLACE_BEFORE, _SOMEONE
from medshare_desktop.analysis.phi_places import LANGUAGES
from medshare_desktop.analysis.rule_files import lower_set, toml_file
from medshare_desktop.core.models import RiskCategory, Severity
from medshare_desktop.paths import resource_path

log = logging.getLogger(__name__)

MODEL_NAME = "en_core_web_md"
# Only the NER is vendored; the other components of the pipeline are listed in its config but never built.
EXCLUDED_COMPONENTS = ("tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer")
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# An organisation someone was cared for at ("admitted to NYU Langone", "seen at UCSF", "transferred from
# Mercy") is a facility; "cried in the Target parking lot" and "plays at the Royal" are not
_CARED_FOR_AT = re.compile(
    r"\b(?:seen|admitted|admit|treated|transferred|referred|discharged|observed|reviewed|evaluated|followed|"
    r"dialy[sz]\w*|delivered|born|operated|diagnosed|hospitali[sz]ed|brought|taken|airlifted|flown|rushed|"
    r"presented|presenting|scanned|imaged|visit|visited|appointment|surgery|stay|stayed|care|consult|"
    r"rehab|therapy|chemo|infusion|follow-up|f/u|assessed|examined|managed|worked\s+up)\b[^!?;\n]{0,30}?\b(?:at|to|from|in|@)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
NAME_PRIORITY = 40  # below every name rule: where they overlap, the rule's kind and span win
PLACE_PRIORITY = 40

# A capitalised word (not a title or a one-letter initial): the cheap trigger for running the NER
_CAPITALISED = re.compile(r"(?<![\w'’#@/.-])[A-Z][a-z]+(?:['’-][A-Za-z]+)*")
# "seen at UCSF", "from NYC": an upper-case name after a place preposition
_CAPITALS_AFTER_PLACE_WORD = re.compile(r"\b(?:at|to|from|in|near|@)\s+(?:the\s+)?([A-Z]{3,})\b")
_FIRST_WORD = re.compile(r"\W*")  # nothing but spaces, punctuation and emoji before the word
_PLACE_WORD_BEFORE = re.compile(r"\b(?:in|from|near|outside)\s+$", re.IGNORECASE)
# "the pharmacy on Dunmore Avenue", "our clinic in Eastvale": where an institution is, not where a patient lives
_INSTITUTION_AT = re.compile(
    r"\b(?:pharmacy|clinic|hospital|office|offices|surgery|practice|cent(?:er|re)|station|campus|branch|library"
    r"|store|shop|building|headquarters|hq)\s+(?:on|in|at|off|near)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
_OWN_BEFORE = re.compile(r"\b(?:our|my)\s+$")
_NAMED_IT_BEFORE = re.compile(
    r"\b(?:nick)?(?:named|called|dubbed|christened)\s+(?:it|this|that)\s*[\"“'‘]?$", re.IGNORECASE
)
_ADDRESSED = re.compile(r"\W*(?:to|dear|hi|hey)\s+$", re.IGNORECASE)  # "To Jenna, who messaged me…"
MAX_PLACES_ABOUT_SOMEONE = 2  # "They come from Lagos, Manila, Monterrey, Karachi…": a list is about many people


def model_folder() -> Path:
    return resource_path("models", MODEL_NAME)


_loaded: dict[Path, Language] = {}
_load_lock = threading.Lock()


def load_ner(folder: str | Path = "") -> Language | None:
    """The vendored NER pipeline, or None when its folder is missing or "none" (the engine then runs on rules).
    Loaded once per process and folder (about half a second); engines built later share it (it is read-only)."""
    if str(folder).lower() == "none":
        return None
    path = (Path(folder) if folder else model_folder()).resolve()
    if not (path / "config.cfg").is_file() or not (path / "ner").is_dir():
        log.info("no pretrained NER at %s: names and places come from the rules alone", path)
        return None
    with _load_lock:
        if path not in _loaded:
            nlp = _load(path)
            if nlp is None:
                return None
            _loaded[path] = nlp
        return _loaded[path]


def _load(path: Path) -> Language | None:
    import spacy

    with warnings.catch_warnings():
        # meta.json says spaCy >=3.7.2,<3.8.0; spaCy 3.8 reads the weights unchanged (tests/analysis/test_phi_ner.py)
        warnings.simplefilter("ignore")
        try:
            nlp = spacy.load(path, exclude=list(EXCLUDED_COMPONENTS))
        except (OSError, ValueError) as error:  # a damaged or partial folder
            log.warning("pretrained NER at %s not loaded (%s): rules alone", path, error)
            return None
    log.info("pretrained NER loaded from %s", path)
    return nlp


class _Covered:
    """Character ranges the rules' PHI findings cover, merged, for a binary search per word."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self.starts = [start for start, _ in merged]
        self.ends = [end for _, end in merged]

    def contains(self, char: int) -> bool:
        index = bisect_right(self.starts, char) - 1
        return index >= 0 and char < self.ends[index]


class NerComponent:
    def __init__(self, ner: Language | None) -> None:
        self.ner = ner
        self.names = NameComponent()  # its exclusion rules (staff, colleagues, "X and I") judge NER names too
        rules = toml_file("ner.toml")
        self.not_places = lower_set("not_phi_places") | frozenset(rules["hospital_areas"]) | LANGUAGES
        self.eponym_heads = frozenset(rules["eponym_heads"])
        self.not_patient_roles = frozenset(rules["not_patient_roles"])
        self.place_heads = frozenset(rules["place_heads"])
        self.first_names = lower_set("first_names")
        self.not_triggers = frozenset(rules["not_triggers"])
        self.drug_stems = tuple(rules["drug_stems"])
        budget = rules["budget"]
        self.max_sentence_chars = int(budget["max_sentence_chars"])
        self.max_chars_per_text = int(budget["max_chars_per_text"])

    # ------------------------------------------------------------------ the cheap stage
    def _uncovered_capital(self, text: str, info: SentenceInfo, covered: _Covered, places: bool = True) -> bool:
        """A capitalised word in the sentence, not its first word, that no PHI rule has taken (with `places`,
        also an upper-case name after "at", "from"…: "seen at UCSF")."""
        for match in _CAPITALISED.finditer(text, info.start, info.end):
            start = match.start()
            word = match.group().lower()
            if word in NOT_NAMES or word in self.not_triggers or re.split(r"['’]", word)[0] in STOP_WORDS:
                continue  # "Mr", "Medicaid", "He's", "Would": never a name
            if (
                _FIRST_WORD.fullmatch(text, info.start, start)
                or text[max(info.start, start - 2) : start].rstrip().endswith((".", "!", "?", ":", "\n"))
            ) and not self._rare(match.group()):
                # the sentence's first word (after emoji or quotes), or the first after a colon: capitalised
                # anyway, unless English hardly knows it ("Kezia rang me at 2 a.m.")
                continue
            if covered.contains(start):
                continue
            return True
        if not places:
            return False
        for match in _CAPITALS_AFTER_PLACE_WORD.finditer(text, info.start, info.end):
            if match.group(1).lower() not in self.not_places and not covered.contains(match.start(1)):
                return True
        return False

    def _rare(self, word: str) -> bool:
        """A word whose lower-case form the pretrained vectors have no entry for: rare names ("kezia",
        "tobenna") have none; sentence openers ("huge", "shoutout", "today") and common names ("rory", "mary")
        have one."""
        if self.ner is None or not word.isalpha():
            return False
        return get_string_id(word.lower()) not in self.ner.vocab.vectors.key2row

    def _wanted(self, text: str, infos: list[SentenceInfo], covered: _Covered) -> list[int]:
        """The sentences worth the NER, within the budget (a huge paste with no full stops is one "sentence"
        of thousands of words: the NER's cost grows with it while the rules still read all of it)."""
        wanted = []
        spent = 0
        for index, info in enumerate(infos):
            if not info.patient_window or info.hypothetical:
                continue
            length = info.end - info.start
            if length > self.max_sentence_chars or spent + length > self.max_chars_per_text:
                continue
            names = info.near_patient
            places = SPECIFIC_PERSON.search(text, info.start, info.end) is not None
            if (names or places) and self._uncovered_capital(text, info, covered, places):
                wanted.append(index)
                spent += length
        return wanted

    # ------------------------------------------------------------------ the expensive stage
    def _sentences(self, doc: Doc) -> list[int]:
        """Indices of the sentences of `doc` worth the NER (empty for most posts)."""
        if self.ner is None:
            return []
        infos = sentence_infos(doc)
        if not any(info.patient_window for info in infos):
            return []
        covered = _Covered((c.start, c.end) for c in candidates_of(doc) if c.category is RiskCategory.PHI)
        return self._wanted(doc_text(doc), infos, covered)

    def __call__(self, doc: Doc) -> Doc:
        wanted = self._sentences(doc)
        if wanted:
            text, infos = doc_text(doc), sentence_infos(doc)
            self._add(doc, wanted, self._tag([text[infos[i].start : infos[i].end] for i in wanted]))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        """Like __call__, but the sentences of a whole batch of posts go through the NER together (faster)."""
        for batch in minibatch(docs, size=batch_size):
            jobs = [(doc, self._sentences(doc)) for doc in batch]
            sentences = [
                doc_text(doc)[info.start : info.end]
                for doc, wanted in jobs
                for info in (sentence_infos(doc)[i] for i in wanted)
            ]
            tagged = self._tag(sentences, batch_size)
            at = 0
            for doc, wanted in jobs:
                if wanted:
                    self._add(doc, wanted, tagged[at : at + len(wanted)])
                    at += len(wanted)
            yield from batch

    def _tag(self, sentences: list[str], batch_size: int = 64) -> list[Doc]:
        """The NER's reading of each sentence; a sentence repeated in the batch is read once."""
        distinct = list(dict.fromkeys(sentences))
        read = dict(zip(distinct, self.ner.pipe(distinct, batch_size=batch_size), strict=True)) if distinct else {}
        return [read[sentence] for sentence in sentences]

    def _add(self, doc: Doc, wanted: list[int], tagged: list[Doc]) -> None:
        """Candidates from the NER's entities in the sentences `wanted` of `doc`."""
        text = doc_text(doc)
        infos = sentence_infos(doc)
        not_patients: set[str] | None = None
        for index, sentence in zip(wanted, tagged, strict=True):
            info = infos[index]
            places = [ent for ent in sentence.ents if ent.label_ in PLACE_LABELS]
            for ent in sentence.ents:
                start, end = info.start + ent.start_char, info.start + ent.end_char
                if self._eponym(text, end) or (" " not in ent.text and ent.text.lower().endswith(self.drug_stems)):
                    continue  # "Chaddock sign", "Crohn's disease"; "Empagliflozin" is a medicine
                if ent.label_ == "PERSON" and (
                    _PLACE_WORD_BEFORE.search(text, max(info.start, start - 12), start)
                    or (" " in ent.text and ent.text.rsplit(None, 1)[-1].lower() in self.place_heads)
                ):
                    # "walk in Quellinford": an unknown town; "round Pelham Pond": a place by its last word
                    self._place(doc, text, infos, index, start, end)
                elif ent.label_ == "PERSON":
                    if not_patients is None:
                        not_patients = _staff_names(doc) | _thing_names(doc, self.names.things)
                    self._person(doc, text, info, start, end, not_patients)
                elif ent.label_ in PLACE_LABELS and len(places) <= MAX_PLACES_ABOUT_SOMEONE:
                    self._place(doc, text, infos, index, start, end)
                elif ent.label_ == "ORG" and _CARED_FOR_AT.search(text, max(info.start, start - 60), start):
                    self._place(doc, text, infos, index, start, end, "phi.location.ner_facility")

    def _eponym(self, text: str, end: int) -> bool:
        """The entity names a disease, sign, score or procedure: "Chaddock sign", "Crohn's disease"."""
        after = text[end : end + 24].lower()
        after = after.removeprefix("'s").removeprefix("’s").removeprefix("'").removeprefix("’")
        words = after.split(None, 1)
        return bool(words) and words[0].strip(".,;:!?)") in self.eponym_heads

    def _person(self, doc: Doc, text: str, info: SentenceInfo, start: int, end: int, not_patients: set[str]) -> None:
        if not info.near_patient:
            return
        value = text[start:end]
        words = value.split()
        if not value[:1].isupper() or value.isupper() or all(w.lower().strip(".,") in NOT_NAMES for w in words):
            return  # "DX", "ZZTEST": abbreviations and shouting, not names
        if words[0].lower().rstrip(".") in {"st", "saint", "mt", "mount"}:
            return  # "St. Brendan's": a hospital or a church
        if any(word in not_patients for word in words):
            return  # "Dr. Lopez" elsewhere in the post: Lopez is staff
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return
        i, stop = span.start, span.end
        if self.names._excluded(doc, i, stop, True):
            return  # staff title or suffix, colleague words, "Sarah and I", a place's or event's name
        before = [doc[k].lower_ for k in range(max(0, i - 3), i) if not doc[k].is_punct]
        if set(before) & (self.not_patient_roles | self.names.things):
            return  # "local artist Jonah Treloar", "a third reader, Devraj,", "her stuffed rabbit, Señor Orejas"
        if (
            before
            and before[-1] in {"his", "her", "their", "a", "an"}
            and stop - i == 1
            and not (stop < len(doc) and doc[stop].lower_ in {"family", "families", "kids", "grandkids", "twins"})
        ):
            return  # "his Whipple", "a Baileys": a thing of someone's, not a person
        # the poster's own family or people: "my brother Kevin", "my son, Jake,", "our physio Anneliese"
        k = i - 1 if i > 0 and doc[i - 1].text != "," else i - 2
        if k > 0 and doc[k - 1].lower_ in {"my", "our"} and doc[k].is_lower and doc[k].lower_ not in PATIENT_EPITHETS:
            return
        if _NAMED_IT_BEFORE.search(text, max(0, start - 30), start):
            return  # "she named it "Gerald"": a thing's name
        if _ADDRESSED.match(text, info.start, start) and text[end : end + 6].startswith((", who", ",who")):
            return  # "To Jenna, who messaged me…": a reader addressed, not a patient
        severity = Severity.HIGH if info.patient else Severity.MEDIUM
        add_candidate(doc, Candidate(start, end, RiskCategory.PHI, "name", "phi.name.ner", severity, NAME_PRIORITY))

    def _place(
        self,
        doc: Doc,
        text: str,
        infos: list[SentenceInfo],
        index: int,
        start: int,
        end: int,
        rule: str = "phi.location.ner",
    ) -> None:
        info = infos[index]
        if not SPECIFIC_PERSON.search(text, infos[max(0, index - 1)].start, info.end):
            return  # near patient words, but nobody in particular lives or was there
        value = text[start:end]
        lower = value.lower()
        if lower in self.not_places or lower.removeprefix("the ") in self.not_places:
            return  # a state or a country identifies no one; "PACU" is our own unit; "in Punjabi" is a language
        if not value[:1].isupper() or (value.isupper() and len(value) <= 2):
            return  # "MI", "CA": an abbreviation
        if " " not in value and lower in self.first_names:
            return  # "for Glenys at the post office": a person the NER took for a place
        sentence = text[info.start : info.end]
        if _EVENT.search(sentence) and not _SOMEONE.search(sentence):
            return  # "our conference in Harrogate": a staff or public event's place
        if _OWN_BEFORE.search(text, max(info.start, start - 12), start):
            return  # "our Riverside campus": the hospital's own place
        if _INSTITUTION_PLACE_BEFORE.search(text, max(info.start, start - 70), start) or _INSTITUTION_AT.search(
            text, max(info.start, start - 40), start
        ):
            return  # "the pharmacy on Dunmore Avenue": an institution's address
        add_candidate(doc, Candidate(start, end, RiskCategory.PHI, "location", rule, Severity.MEDIUM, PLACE_PRIORITY))


@Language.factory("medshare_ner", default_config={"folder": ""})
def make_ner(nlp: Language, name: str, folder: str) -> NerComponent:
    """Loads the vendored NER once, when the pipeline is built (the engine is built in a worker thread)."""
    register_extensions()
    return NerComponent(load_ner(folder))
