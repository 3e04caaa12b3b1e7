"""Sentence-level context flags: does a sentence talk about a patient, in the first person,
hypothetically, or as general education? Computed once per Doc by the `medshare_context`
component and read by the other components through `sentence_at()`.

A sentence is about a patient when it holds a patient cue (`rules/context_cues.toml`) or when the sentence
classifier (the cascade's cheap stage, `sentence_model.py`) gives it a patient-story probability of at least
`LEARNED_STORY`: "Mine is Dermot Keaveney." after "Every nurse has a patient who stays with them." names no
patient word, but a story is being told, and the names, dates and places in it are the patient's. The
classifier's probabilities are kept on the Doc, so the sentence model does not score the sentences twice.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from medshare_desktop.analysis.candidates import SENTENCES_ATTR, doc_text, register_extensions
from medshare_desktop.analysis.regex_prefilter import PatternSet
from medshare_desktop.analysis.rule_files import cue, word_tuple

_CUES = "patient_context"  # its tables in resources/rules/word_lists.toml and context_cues.toml
# A sentence the sentence classifier calls a patient story with at least this probability is about a patient
# (chosen on development sets 3-6: 0.2-0.4 all help, 0.3 most; see docs/risk_results.md)
LEARNED_STORY = 0.3
SENTENCE_MODEL_PIPE = "medshare_sentence_model"  # its `sentence_cats(doc, bounds)` scores the sentences
# "patient safety", "patient experience": the word names a field of work, not patients
PATIENT_FIELDS = word_tuple(_CUES, "patient_fields")
# "patient portal", "patient line": a service that holds patients' records, not someone in particular
PATIENT_SERVICES = word_tuple(_CUES, "patient_services")
NOT_PATIENT_FIELD_AFTER = rf"(?!\s+(?:{'|'.join(PATIENT_FIELDS)})\b)"
# Used after "patient" in the regexes that look for someone in particular.
NOT_A_PATIENT_AFTER = rf"(?!\s+(?:{'|'.join(PATIENT_FIELDS + PATIENT_SERVICES)})\b)"
# "Harriet Blum, 74, from …": a person introduced with an age, in both cues below
INTRODUCED_WITH_AGE = cue(_CUES, "introduced_with_age").pattern
SPECIFIC_PERSON = cue(
    _CUES, "specific_person", not_a_patient_after=NOT_A_PATIENT_AFTER, introduced_with_age=INTRODUCED_WITH_AGE
)
PATIENT_CUES = cue(
    _CUES, "patient_cues", not_patient_field_after=NOT_PATIENT_FIELD_AFTER, introduced_with_age=INTRODUCED_WITH_AGE
)
THIRD_PERSON = cue(_CUES, "third_person")
FIRST_PERSON = cue(_CUES, "first_person")
HYPOTHETICAL = cue(_CUES, "hypothetical")
EDUCATION = cue(_CUES, "education")


# One RE2 pass per sentence rules out the flags that cannot be set; `re` confirms the others.
_FLAGS = PatternSet([PATIENT_CUES, THIRD_PERSON, FIRST_PERSON, HYPOTHETICAL, EDUCATION])


@dataclass(frozen=True, slots=True)
class SentenceInfo:
    start: int
    end: int
    patient: bool  # a patient/encounter cue in this sentence
    near_patient: bool  # patient cue here, or in the previous sentence with a 3rd-person pronoun here
    patient_window: bool  # patient cue within two sentences before or one after
    first_person: bool
    hypothetical: bool
    education: bool


def sentence_infos(doc: Doc) -> list[SentenceInfo]:
    infos = doc._.get(SENTENCES_ATTR)
    if infos is None:
        infos = _compute(doc)
        doc._.set(SENTENCES_ATTR, infos)
    return infos


def sentence_at(doc: Doc, char: int) -> SentenceInfo:
    infos = sentence_infos(doc)
    starts = [info.start for info in infos]
    index = max(0, bisect_right(starts, char) - 1)
    return infos[index]


def sentence_index(infos: list[SentenceInfo], starts: list[int], char: int) -> int:
    return max(0, bisect_right(starts, char) - 1)


def _sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    if len(doc) == 0:
        return [(0, len(doc_text(doc)))]
    if doc.has_annotation("SENT_START"):
        bounds = [(sent.start_char, sent.end_char) for sent in doc.sents]
    else:
        bounds = [(0, len(doc_text(doc)))]
    # Extend each sentence to the next one's start so every char belongs to one sentence.
    fixed = []
    for i, (_, end) in enumerate(bounds):
        start = 0 if i == 0 else fixed[-1][1]
        fixed.append((start, bounds[i + 1][0] if i + 1 < len(bounds) else max(end, len(doc_text(doc)))))
    return fixed


def _compute(doc: Doc, story: Callable[[Doc, list[tuple[int, int]]], list[float]] | None = None) -> list[SentenceInfo]:
    text = doc_text(doc)
    infos: list[SentenceInfo] = []
    previous_patient = False
    bounds = _sentence_bounds(doc)
    possible = [_FLAGS.candidates(text[start:end]) for start, end in bounds]
    learned = story(doc, bounds) if story is not None else [0.0] * len(bounds)
    flags = [
        (0 in possible[i] and PATIENT_CUES.search(text, start, end) is not None) or learned[i] >= LEARNED_STORY
        for i, (start, end) in enumerate(bounds)
    ]
    for index, (start, end) in enumerate(bounds):
        chunk = text[start:end]
        patient = flags[index]
        maybe = possible[index]
        near = patient or (previous_patient and 1 in maybe and THIRD_PERSON.search(chunk) is not None)
        infos.append(
            SentenceInfo(
                start=start,
                end=end,
                patient=patient,
                near_patient=near,
                patient_window=any(flags[max(0, index - 2) : index + 2]),
                first_person=2 in maybe and FIRST_PERSON.search(chunk) is not None,
                hypothetical=3 in maybe and HYPOTHETICAL.search(chunk) is not None,
                education=4 in maybe and EDUCATION.search(chunk) is not None,
            )
        )
        previous_patient = patient
    return infos


class ContextComponent:
    """Computes the sentence flags once (other components read them), with the sentence classifier's story
    probabilities when the pipeline has it enabled."""

    def __init__(self, nlp: Language) -> None:
        self._nlp = nlp

    def _story(self, doc: Doc, bounds: list[tuple[int, int]]) -> list[float]:
        if SENTENCE_MODEL_PIPE not in self._nlp.pipe_names:  # absent or disabled: the cues alone
            return [0.0] * len(bounds)
        score = getattr(self._nlp.get_pipe(SENTENCE_MODEL_PIPE), "sentence_cats", None)
        if score is None:
            return [0.0] * len(bounds)
        return [cats.get("story", 0.0) if cats else 0.0 for cats in score(doc, bounds)]

    def __call__(self, doc: Doc) -> Doc:
        register_extensions()
        doc._.set(SENTENCES_ATTR, _compute(doc, self._story))
        return doc


@Language.factory("medshare_context")
def make_context(nlp: Language, name: str) -> ContextComponent:
    register_extensions()
    return ContextComponent(nlp)


_REQUIREMENTS = {name: cue(_CUES, f"requires_{name}") for name in ("person", "second_person", "clinical")}


def sentence_meets(text: str, info: SentenceInfo, requirement: str) -> bool:
    """Whether a sentence satisfies a rule's `requires` entry."""
    if requirement == "first_person":
        return info.first_person
    if requirement == "patient":
        return info.patient
    pattern = _REQUIREMENTS.get(requirement)
    return pattern is not None and pattern.search(text, info.start, info.end) is not None
