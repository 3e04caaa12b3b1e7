"""Paragraphs that are not about patients: the poster's own family ("On the 3rd, my dad, Leonard, had a
stroke at his kitchen table") or the hospital's own people ("Our volunteer Bernard is 91 and still pushes
the library cart"). Names, dates, places and ages there, and the story findings, are not a patient's PHI; they are
dropped. Structured identifiers (phone, e-mail, record numbers…) and the other categories stay: they are risky
whoever they belong to.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from medshare_desktop.analysis.candidates import (
    Candidate,
    candidates_of,
    doc_text,
    paragraph_bounds,
    register_extensions,
)
from medshare_desktop.analysis.patient_context import NOT_A_PATIENT_AFTER
from medshare_desktop.core.models import RiskCategory

OWN_FAMILY = re.compile(
    r"\b(?:my|our)\s+(?:own\s+|late\s+|little\s+|eldest\s+|youngest\s+|elderly\s+|baby\s+)?"
    r"(?:mom|mum|mam|mummy|mommy|dad|daddy|mother|father|grandpa|grandma|nan|nana|nanna|gran|granny|grandad"
    r"|granddad|grandmother|grandfather|son|daughter|kids?|children|baby|boy|girl|wife|husband|partner|brother"
    r"|sister|niece|nephew|aunt|auntie|uncle|in-laws?|father-in-law|mother-in-law|twins|toddler|family)\b",
    re.IGNORECASE,
)
# Someone else in care in the same paragraph: then the family words may be a patient's family
ABOUT_PATIENTS = re.compile(r"\b(?:patients?|pts?)\b" + NOT_A_PATIENT_AFTER + r"|\b(?:bed|bay|room)\s+\d", re.IGNORECASE)
# "Our volunteer Bernard", "Congratulations to…", "retiring after 31 years" ("with us since…" is said of
# patients too)
OWN_PEOPLE = re.compile(
    r"\b(?:our|my)\s+(?:\w+\s+){0,2}?(?:colleague|physio|physiotherapist|ward\s+clerk|clerk|volunteer|mentor|manager"
    r"|receptionist|porter|registrar|educator|preceptor|chaplain|cleaner)(?:,\s*|\s+)[A-Z]|\bretir(?:es|ing|ement)\b"
    r"|\byears\s+of\s+service\b|\bcongratulations\s+to\b|\bwelcome\s+(?:to\s+the\s+team|aboard)\b"
    r"|\bvolunteer(?:s|ed|ing)?\b(?!\s+(?:fire|firefighters?|brigade|ambulance|rescue|crews?|paramedics?|responders?|drivers?))",
    re.IGNORECASE,
)
# One of our own people as a patient ("Our ward clerk collapsed at the front desk… now extubated in CCU bed 6")
IN_CARE = re.compile(
    ABOUT_PATIENTS.pattern + r"|\b(?:admitted|extubated|intubated|delivered|born|birth|labou?r|surgery|operated"
    r"|diagnos\w+|collapsed|resus|icu|ccu|ed|er|a&e|ambulance|discharged?|treated|chemo|cancer|stroke|baby)\b",
    re.IGNORECASE,
)
PERSONAL_PHI = frozenset({"name", "date", "location", "age"})


def _personal(candidate: Candidate) -> bool:
    if candidate.category is RiskCategory.PHI:
        return candidate.kind in PERSONAL_PHI
    return candidate.category is RiskCategory.PATIENT_STORY


def _not_about_patients(text: str, start: int, end: int) -> bool:
    if OWN_FAMILY.search(text, start, end) and not ABOUT_PATIENTS.search(text, start, end):
        return True
    return bool(OWN_PEOPLE.search(text, start, end)) and not IN_CARE.search(text, start, end)


class NotAboutPatientsComponent:
    """Drops personal PHI and story candidates in paragraphs about the poster's family or the hospital's people."""

    def __call__(self, doc: Doc) -> Doc:
        candidates = candidates_of(doc)
        if not candidates:
            return doc
        text = doc_text(doc)
        if not (OWN_FAMILY.search(text) or OWN_PEOPLE.search(text)):
            return doc
        verdicts: dict[tuple[int, int], bool] = {}

        def not_about_patients(at: int) -> bool:
            bounds = paragraph_bounds(text, at)
            if bounds not in verdicts:
                verdicts[bounds] = _not_about_patients(text, *bounds)
            return verdicts[bounds]

        candidates[:] = [c for c in candidates if not (_personal(c) and not_about_patients(c.start))]
        return doc


@Language.factory("medshare_not_about_patients")
def make_not_about_patients(nlp: Language, name: str) -> NotAboutPatientsComponent:
    register_extensions()
    return NotAboutPatientsComponent()
