"""A bed-state report (beds and patients counted more than once, or "bed state", no problem named) is no staffing or
safety admission; a count with too few staff, long waits or tiredness in it still is, and so is a single count (a
remark about one's shift may give one number: the filter leaves those to the classifier)."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine

from .helpers import categories


@pytest.mark.parametrize(
    "text",
    [
        "Five inpatients, one in resus, two on the board for theatre today.",
        "Six inpatients, two in ED, one in the end room. Quiet night so far.",
        "0700: Handover. Two in the short-stay unit, three awaiting discharge, one upstairs.",  # "short-stay" is no shortage
        "Bed state at 8am: 3 empty on the medical take, 0 in ICU, 12 awaiting discharge.",  # beds empty, not people
    ],
)
def test_a_bed_state_report_is_not_discoverable(engine: RiskEngine, text: str) -> None:
    assert "discoverable" not in categories(engine.analyze(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "30 beds and only two nurses on the ward tonight, nobody to call in.",
        "12 admissions overnight and two nurses on the ward.",  # staff counted with the beds: a ratio
        "Exhausted. 28 beds, no break yet and it is 4am.",
        "Bed state at 8am: 3 empty, but two patients waited 14 hours on trolleys in the corridor.",
    ],
)
def test_counts_with_too_few_staff_long_waits_or_tiredness_still_are(engine: RiskEngine, text: str) -> None:
    assert "discoverable" in categories(engine.analyze(text)), text


def test_the_pipeline_checks_bed_states_after_the_sentence_model(engine: RiskEngine) -> None:
    names = engine.nlp.pipe_names
    assert names.index("medshare_bed_state") > names.index("medshare_sentence_model")
