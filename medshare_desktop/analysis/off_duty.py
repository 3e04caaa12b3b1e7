"""Tiredness said off duty is no admission. "First day of annual leave and I slept eleven hours" or "leg day
after a week of nights and I can't sit down" speak of sleep and fatigue, but nobody is at work: the label
scheme counts fatigue as discoverable only on duty. A discoverable finding about tiredness (a fatigue rule's,
or the sentence model's in a sentence with a tiredness word) is dropped when its sentence, or the sentence
before it in the same paragraph, says the poster is off (`[off_duty] off` in resources/rules/context_cues.toml)
and neither its sentence nor the next one in the paragraph puts them at work (`at_work`: on call, called in,
back on shift tonight, the drive home after a shift). Errors, staffing and safety findings stay.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from medshare_desktop.analysis.candidates import (
    MODEL_RULE_PREFIX,
    Candidate,
    drop_candidates,
    paragraph_bounds,
    register_extensions,
)
from medshare_desktop.analysis.patient_context import SentenceInfo, sentence_index, sentence_infos
from medshare_desktop.analysis.rule_files import cue, toml_file
from medshare_desktop.core.models import RiskCategory

_CUES = "off_duty"  # its table in resources/rules/context_cues.toml
OFF = cue(_CUES, "off")
AT_WORK = cue(_CUES, "at_work")
# the cascade's tiredness words (resources/rules/encoder_gate.toml), one list for both
TIRED = re.compile(toml_file("encoder_gate.toml")["cues"]["tired"], re.IGNORECASE)


def _about_tiredness(text: str, candidate: Candidate) -> bool:
    if candidate.category is not RiskCategory.DISCOVERABLE:
        return False
    if candidate.kind == "fatigue":
        return True
    return candidate.rule.startswith(MODEL_RULE_PREFIX) and TIRED.search(text, candidate.start, candidate.end) is not None


def _off_duty(text: str, infos: list[SentenceInfo], candidate: Candidate) -> bool:
    index = sentence_index(infos, [info.start for info in infos], candidate.start)
    info = infos[index]
    paragraph = paragraph_bounds(text, info.start)
    same = [i for i in (index - 1, index + 1) if 0 <= i < len(infos) and paragraph_bounds(text, infos[i].start) == paragraph]
    end = max(info.end, candidate.end)
    after = infos[index + 1].end if index + 1 in same else end
    if AT_WORK.search(text, info.start, after):
        return False
    before = infos[index - 1].start if index - 1 in same else info.start
    return OFF.search(text, before, end) is not None


class OffDutyComponent:
    """Drops discoverable tiredness findings in sentences that say the poster is off duty."""

    def __call__(self, doc: Doc) -> Doc:
        drop_candidates(doc, OFF, lambda text, c: _about_tiredness(text, c) and _off_duty(text, sentence_infos(doc), c))
        return doc


@Language.factory("medshare_off_duty")
def make_off_duty(nlp: Language, name: str) -> OffDutyComponent:
    register_extensions()
    return OffDutyComponent()
