"""The poster's own family: a paragraph about "my dad", "our son" with no patient in it tells the poster's
own life ("On the 3rd, my dad, Leonard, had a stroke at his kitchen table"). Names, dates, places and ages
there, and the story findings, are not a patient's PHI; they are dropped. Structured identifiers (phone,
e-mail, record numbers…) and the other categories stay: they are risky whoever they belong to.
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
PERSONAL_PHI = frozenset({"name", "date", "location", "age"})


def _personal(candidate: Candidate) -> bool:
    if candidate.category is RiskCategory.PHI:
        return candidate.kind in PERSONAL_PHI
    return candidate.category is RiskCategory.PATIENT_STORY


class OwnFamilyComponent:
    """Drops personal PHI and story candidates in paragraphs about the poster's own family."""

    def __call__(self, doc: Doc) -> Doc:
        candidates = candidates_of(doc)
        if not candidates:
            return doc
        text = doc_text(doc)
        if not OWN_FAMILY.search(text):
            return doc
        verdicts: dict[tuple[int, int], bool] = {}

        def own_family(at: int) -> bool:
            bounds = paragraph_bounds(text, at)
            if bounds not in verdicts:
                start, end = bounds
                verdicts[bounds] = bool(OWN_FAMILY.search(text, start, end)) and not ABOUT_PATIENTS.search(
                    text, start, end
                )
            return verdicts[bounds]

        candidates[:] = [c for c in candidates if not (_personal(c) and own_family(c.start))]
        return doc


@Language.factory("medshare_own_family")
def make_own_family(nlp: Language, name: str) -> OwnFamilyComponent:
    register_extensions()
    return OwnFamilyComponent()
