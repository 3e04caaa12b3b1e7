"""Patient stories that token patterns miss: an encounter scene (a time anchor plus a specific
person, "in the ER last night a 45-year-old man …") and a rare diagnosis next to demographics.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from medshare_desktop.analysis import negation
from medshare_desktop.analysis.candidates import (
    Candidate,
    add_candidate,
    candidates_of,
    doc_text,
    register_extensions,
    trimmed,
)
from medshare_desktop.analysis.patient_context import sentence_index, sentence_infos
from medshare_desktop.analysis.rule_files import cue, word_list
from medshare_desktop.core.models import RiskCategory, Severity

_CUES = "story"  # its table in resources/rules/context_cues.toml (what each cue is for is written there)
TIME_ANCHOR = cue(_CUES, "time_anchor")
DEMOGRAPHIC = cue(_CUES, "demographic")
SEX_OR_AGE = cue(_CUES, "sex_or_age")
CARE_EVENT = cue(_CUES, "care_event")
# Names the PHI name rules are sure about (not a bare capitalised first name)
SURE_NAME_RULES = frozenset(
    {"phi.name.title", "phi.name.named", "phi.name.patient_word", "phi.name.family", "phi.name.with_age",
     "phi.name.lexicon_full", "phi.name.initial_surname", "phi.name.title_initial", "phi.name.kin_title",
     "phi.name.epithet", "phi.name.about", "phi.name.hashtag", "phi.name.appositive", "phi.name.memorial"}
)
# A bed or room that stands for the person in it ("Bed 14 asked if I was old enough to be a nurse")
BED_RULES = frozenset({"phi.location.room_bed", "phi.location.unit_bed"})
PERSON_IN_BED = cue(_CUES, "person_in_bed")
FIRST_PERSON_ACTION = cue(_CUES, "first_person_action")
MY_PATIENT = cue(_CUES, "my_patient")


class StoryComponent:
    def __init__(self, nlp: Language) -> None:
        self.rare = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.rare_exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        terms = word_list("rare_diseases")
        self.rare.add("rare", [nlp.make_doc(t) for t in terms if not t.isupper()])
        self.rare_exact.add("rare", [nlp.make_doc(t) for t in terms if t.isupper()])

    def _ok(self, text: str, info, start: int, end: int) -> bool:  # type: ignore[no-untyped-def]
        return not negation.is_negated(text, info, start) and not negation.is_hypothetical(text, info, start, end)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        infos = sentence_infos(doc)
        starts = [info.start for info in infos]
        for info in infos:
            if not info.patient:
                continue
            anchor = TIME_ANCHOR.search(text, info.start, info.end)
            person = DEMOGRAPHIC.search(text, info.start, info.end)
            if anchor and person and self._ok(text, info, person.start(), person.end()):
                start, end = min(anchor.start(), person.start()), max(anchor.end(), person.end())
                _add_story(doc, start, end, "encounter", "story.scene.time_and_person")
        self._named_patient_events(doc, text, infos, starts)
        self._patients_in_beds(doc, text, infos, starts)
        for _, start, end in list(self.rare(doc)) + list(self.rare_exact(doc)):
            span = doc[start:end]
            info = infos[sentence_index(infos, starts, span.start_char)]
            chunk = text[info.start : info.end]
            if not SEX_OR_AGE.search(chunk) and not MY_PATIENT.search(chunk):
                continue
            if not (FIRST_PERSON_ACTION.search(chunk) or TIME_ANCHOR.search(chunk)):
                continue
            if self._ok(text, info, span.start_char, span.end_char):
                _add_story(doc, span.start_char, span.end_char, "rare_condition", "story.rare_condition_demographic")
        return doc

    def _named_patient_events(self, doc: Doc, text: str, infos, starts) -> None:  # type: ignore[no-untyped-def]
        """A named patient and what happened to them in one sentence ("Mr. Okafor coded in room 612")."""
        names = [c for c in candidates_of(doc) if c.category is RiskCategory.PHI and c.rule in SURE_NAME_RULES]
        done: set[int] = set()
        for name in names:
            index = sentence_index(infos, starts, name.start)
            if index in done:
                continue
            info = infos[index]
            event = CARE_EVENT.search(text, info.start, info.end)
            if event is None or not self._ok(text, info, event.start(), event.end()):
                continue
            done.add(index)
            _add_story(doc, *trimmed(text, info.start, info.end), "encounter", "story.named_patient_event")


    def _patients_in_beds(self, doc: Doc, text: str, infos, starts) -> None:  # type: ignore[no-untyped-def]
        """A patient pointed at by bed or room and what they did or what happened ("the lady in bed 7 has
        pressed the call light six times", "Bed 14 asked if I was old enough to be a nurse")."""
        done: set[int] = set()
        for bed in (c for c in candidates_of(doc) if c.category is RiskCategory.PHI and c.rule in BED_RULES):
            index = sentence_index(infos, starts, bed.start)
            if index in done:
                continue
            info = infos[index]
            person = PERSON_IN_BED.search(text, info.start, info.end)
            if person is None or not self._ok(text, info, bed.start, bed.end):
                continue
            done.add(index)
            _add_story(doc, *trimmed(text, info.start, info.end), "encounter", "story.patient_in_bed")


def _add_story(doc: Doc, start: int, end: int, kind: str, rule: str) -> None:
    add_candidate(doc, Candidate(start, end, RiskCategory.PATIENT_STORY, kind, rule, Severity.HIGH, 45))


@Language.factory("medshare_story")
def make_story(nlp: Language, name: str) -> StoryComponent:
    register_extensions()
    return StoryComponent(nlp)
