"""Sentence-level context flags: does a sentence talk about a patient, in the first person,
hypothetically, or as general education? Computed once per Doc by the `medshare_context`
component and read by the other components through `sentence_at()`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from medshare_desktop.analysis.candidates import SENTENCES_ATTR, doc_text, register_extensions
from medshare_desktop.analysis.regex_prefilter import PatternSet
from medshare_desktop.analysis.rule_files import word_tuple

# "patient safety", "patient experience": the word names a field of work, not patients
PATIENT_FIELDS = word_tuple("patient_context", "patient_fields")
# "patient portal", "patient line": a service that holds patients' records, not someone in particular
PATIENT_SERVICES = word_tuple("patient_context", "patient_services")
NOT_PATIENT_FIELD_AFTER = rf"(?!\s+(?:{'|'.join(PATIENT_FIELDS)})\b)"
# Used after "patient" in the regexes that look for someone in particular.
NOT_A_PATIENT_AFTER = rf"(?!\s+(?:{'|'.join(PATIENT_FIELDS + PATIENT_SERVICES)})\b)"
# Someone in particular: a facility or a date next to them is that person's
SPECIFIC_PERSON = re.compile(
    r"\b(?:he|she|him|her|his|they|them|their|patient" + NOT_A_PATIENT_AFTER + r"|pt|family|sister|brother|aunt|uncle"
    r"|niece|nephew|cousin|"
    r"walked|mom|mum|dad|wife|husband|son|daughter|baby|kid|kiddo|child|man|woman|boy|girl|teen|teenager|toddler|infant|newborn|veteran|gentleman|lady|guy|bloke|lad|lass|fella|chap|grand\w+|farmer|worker|"
    r"student|athlete|driver|rider|cyclist|runner|hiker|year-old|yo|admitted|transferred|discharged|died|passed|"
    r"born|brought|rushed|airlifted|flown|came\s+in|treated|diagnosed|seen|visited|resid\w+|lives|living|female|"
    r"male|mr|mrs|ms|miss)\b",
    re.IGNORECASE,
)
PATIENT_CUES = re.compile(
    r"\b(?:patients?" + NOT_PATIENT_FIELD_AFTER + r"|pts?|admit(?:ted|ting)?|admission|discharged?|diagnos(?:ed|is)|dx|presented\s+(?:with|to\s+(?:the\s+)?(?:er|ed|clinic|hospital|us))|presenting\s+with"
    r"|born|dob|surgery|operated|biopsy|year[- ]old|years?\s+old|\d+\s?(?:yo|y/o|yof|yom)|yo|y/o|mr|mrs|ms"
    r"|wife|husband|widow(?:er)?|son|daughter|granddaughter|grandson|grand(?:ma|pa|mother|father)"
    r"|mother|father|mom|dad|sister|brother|family|treated|seen|saw|visit|appointment|chart|mrn|hospitali[sz]ed"
    r"|intubated|coded|died|passed\s+away|deliver(?:ed|y)|baby|infant|newborn|toddler|man|woman|boy|girl"
    r"|gentleman|lady|bloke|lad|lass|fella|chap|male|female|referred|prescribed|symptoms|ambulance|ems|transferred|transplant|chemo"
    r"|dialysis|pregnant|labor|postpartum|\w+(?:ectomy|otomy|ostomy|plasty|oscopy)|er|ed|icu|nicu|picu|trauma|bedside|case|ssn|insurance|member"
    r"|(?:came|brought|walked|rolled|wheeled)\s+in|(?:drove|driven)\s+(?:himself|herself|themselves)\s+in|teen(?:ager)?|injur(?:y|ies|ed)|overdosed?|resuscitat\w+|funeral"
    r"|recover(?:y|ing|ed)|cancer|tumou?r|remission|survivor|stroke|heart\s+attack|hospice|radiation|radiotherapy|infusions?(?!\s+(?:pumps?|cent(?:er|re)s?|suites?))|transfusions?|passed|prayers?|pray"
    r"|praying|donor|ventilator|amputat\w*|(?:9\d|1[01]\d)(?:st|nd|rd|th)|lost\s+(?:him|her|them|a\s+patient|our\s+patient)|due\s+date|twins|(?:been|stayed)\s+with\s+us|intubat\w+|sedated|fracture|bleed\w*|sepsis|seizure|crash)\b",
    re.IGNORECASE,
)
THIRD_PERSON = re.compile(r"\b(?:he|she|him|her|his|hers|they|them|their)\b", re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|i'd|i'll|me|my|mine|we|we're|we've|our|us)\b", re.IGNORECASE)
HYPOTHETICAL = re.compile(
    r"\b(?:if|imagine|suppose|supposing|hypothetical(?:ly)?|let's\s+say|say\s+you|what\s+if|scenario|"
    r"case\s+study|teaching\s+case|quiz|board\s+question|board-style|practice\s+question|whenever|"
    r"would\s+you|what\s+would|what's\s+your\s+(?:diagnosis|next\s+step)|ddx\?|unless)\b",
    re.IGNORECASE,
)
EDUCATION = re.compile(
    r"\b(?:talk|speak|check|consult|discuss|ask|see|call|visit|contact)\s+(?:with\s+|to\s+)?(?:your|a|an)\s+"
    r"(?:own\s+)?(?:doctor|doc|physician|provider|pcp|gp|clinician|pharmacist|care\s+team|health\s*care\s+provider"
    r"|dermatologist|cardiologist|dentist|nurse|specialist)|\bnot\s+(?:a\s+substitute|individual)|\bgeneral\s+"
    r"(?:information|education)|\bpublic\s+health\b|\b(?:call|dial)\s+911\b",
    re.IGNORECASE,
)


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


def _compute(doc: Doc) -> list[SentenceInfo]:
    text = doc_text(doc)
    infos: list[SentenceInfo] = []
    previous_patient = False
    bounds = _sentence_bounds(doc)
    possible = [_FLAGS.candidates(text[start:end]) for start, end in bounds]
    flags = [
        0 in possible[i] and PATIENT_CUES.search(text, start, end) is not None for i, (start, end) in enumerate(bounds)
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


@Language.component("medshare_context")
def context_component(doc: Doc) -> Doc:
    """Compute the sentence flags once (other components read them)."""
    register_extensions()
    doc._.set(SENTENCES_ATTR, _compute(doc))
    return doc


_REQUIREMENTS: dict[str, re.Pattern[str]] = {
    "person": re.compile(
        r"\b(?:patients?|pts?|man|woman|guy|lady|gentleman|boy|girl|baby|infant|newborn|kid|child|toddler|teen"
        r"|teenager|mom|dad|mother|father|grand\w+|male|female|family|\d+[- ]?(?:year|yr)s?[- ]?old"
        r"|\d+\s?(?:yo|y/o|yof|yom))\b",
        re.IGNORECASE,
    ),
    "second_person": re.compile(r"\b(?:you|your|yours|u|ur|you're|youre)\b", re.IGNORECASE),
    "clinical": re.compile(
        r"\b(?:symptoms?|diagnos\w*|meds?|medications?|dose|rash|pain|labs?|results?|treatment|prescri\w*|sick"
        r"|infection|test|scan|mri|x-?ray|mole|lump|fever|cough|advice|condition|health|bp|blood|sugar)\b",
        re.IGNORECASE,
    ),
}


def sentence_meets(text: str, info: SentenceInfo, requirement: str) -> bool:
    """Whether a sentence satisfies a rule's `requires` entry."""
    if requirement == "first_person":
        return info.first_person
    if requirement == "patient":
        return info.patient
    pattern = _REQUIREMENTS.get(requirement)
    return pattern is not None and pattern.search(text, info.start, info.end) is not None
