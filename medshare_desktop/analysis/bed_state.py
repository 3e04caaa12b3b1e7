"""A bed-state report is no admission. "Bed state at 8am: 3 empty on the medical take, 0 in ICU, 12 awaiting
discharge" or "Six inpatients, two in ED, one in the end room" counts beds and patients; the sentence model often
reads such counts as a staffing or safety statement, and no threshold separates them from true ones. The sentence
model's discoverable finding is dropped when its sentence is a report of counts (two counts of beds or patients,
`[bed_state] counts` in resources/rules/context_cues.toml, or "bed state"; one number alone may be a remark about the
poster's shift, so it is left to the classifier) and names no problem (`problem`: short of staff, waits, corridors, falls, "no
one to call") and no tiredness. Rules' findings, and every other category, stay.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from medshare_desktop.analysis.candidates import (
    MODEL_RULE_PREFIX,
    Candidate,
    drop_candidates,
    register_extensions,
)
from medshare_desktop.analysis.off_duty import TIRED
from medshare_desktop.analysis.rule_files import cue
from medshare_desktop.core.models import RiskCategory

_CUES = "bed_state"  # its table in resources/rules/context_cues.toml
COUNTS = cue(_CUES, "counts")
PROBLEM = cue(_CUES, "problem")
COUNTED = cue(_CUES, "counted_before")


def _bed_state(text: str, candidate: Candidate) -> bool:
    if candidate.category is not RiskCategory.DISCOVERABLE or not candidate.rule.startswith(MODEL_RULE_PREFIX):
        return False
    start, end = candidate.start, candidate.end
    counts = [m.group() for m in COUNTS.finditer(text, start, end)]
    report = len(counts) >= 2 or any(c.lower().startswith("bed state") for c in counts)  # a list of counts
    return report and PROBLEM.search(text, start, end) is None and not _tired(text, start, end)


def _tired(text: str, start: int, end: int) -> bool:
    """A tiredness word in the span, not counting beds counted empty ("3 empty on the take")."""
    return any(
        not (match.group().lower() == "empty" and COUNTED.search(text, max(start, match.start() - 12), match.start()))
        for match in TIRED.finditer(text, start, end)
    )


class BedStateComponent:
    """Drops the sentence model's discoverable findings in sentences that only report a bed state."""

    def __call__(self, doc: Doc) -> Doc:
        drop_candidates(doc, COUNTS, _bed_state)
        return doc


@Language.factory("medshare_bed_state")
def make_bed_state(nlp: Language, name: str) -> BedStateComponent:
    register_extensions()
    return BedStateComponent()
