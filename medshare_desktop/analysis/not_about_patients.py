"""Paragraphs that are not about patients: the poster's own family ("On the 3rd, my dad, Leonard, had a
stroke at his kitchen table") or the hospital's own people ("Our volunteer Bernard is 91 and still pushes
the library cart"). Names, dates, places and ages there, and the story findings, are not a patient's PHI; they are
dropped. Structured identifiers (phone, e-mail, record numbers…) and the other categories stay: they are risky
whoever they belong to.
"""

from __future__ import annotations

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
from medshare_desktop.analysis.rule_files import cue
from medshare_desktop.core.models import RiskCategory

_CUES = "not_about_patients"  # its table in resources/rules/context_cues.toml (what each cue is for is written there)
OWN_FAMILY = cue(_CUES, "own_family")
OWN_KIN_NAMED = cue(_CUES, "own_kin_named", flags=0)
CURBSIDE = cue(_CUES, "curbside")
ON_A_WARD = cue(_CUES, "on_a_ward")
ABOUT_PATIENTS = cue(_CUES, "about_patients", not_a_patient_after=NOT_A_PATIENT_AFTER)
OWN_PEOPLE = cue(_CUES, "own_people")
IN_CARE = cue(_CUES, "in_care", about_patients=ABOUT_PATIENTS.pattern)
PERSONAL_PHI = frozenset({"name", "date", "location", "age"})


def _personal(candidate: Candidate) -> bool:
    if candidate.category is RiskCategory.PHI:
        return candidate.kind in PERSONAL_PHI
    return candidate.category is RiskCategory.PATIENT_STORY


def _not_about_patients(text: str, start: int, end: int) -> bool:
    if OWN_FAMILY.search(text, start, end) and not ABOUT_PATIENTS.search(text, start, end):
        return True
    if OWN_KIN_NAMED.search(text, start, end) and not IN_CARE.search(text, start, end):
        return True  # "Mum had her cataract done on Tuesday": the poster's mum, not a patient of ours
    if CURBSIDE.search(text, start, end) and not (IN_CARE.search(text, start, end) or ON_A_WARD.search(text, start, end)):
        return True  # "Neighbour showed me his ankle over the fence": asked off duty, not a patient of ours
    return bool(OWN_PEOPLE.search(text, start, end)) and not IN_CARE.search(text, start, end)


class NotAboutPatientsComponent:
    """Drops personal PHI and story candidates in paragraphs about the poster's family or the hospital's people."""

    def __call__(self, doc: Doc) -> Doc:
        candidates = candidates_of(doc)
        if not candidates:
            return doc
        text = doc_text(doc)
        if not (OWN_FAMILY.search(text) or OWN_PEOPLE.search(text) or OWN_KIN_NAMED.search(text) or CURBSIDE.search(text)):
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
