"""The team's own places (Settings → Risk engine): PHI places near a patient, not in staff or event sentences."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.core.models import AnalysisContext, RiskCategory

RULE = "phi.location.our_place"


@pytest.fixture(scope="module")
def engine() -> RiskEngine:
    return RiskEngine()


def _places(engine: RiskEngine, text: str, context: AnalysisContext | None = None) -> list[str]:
    return [f.text for f in engine.analyze(text, context) if f.category is RiskCategory.PHI and f.rule == RULE]


def test_a_place_of_ours_is_flagged_near_a_patient(engine) -> None:
    context = AnalysisContext(our_places=("Gorseway", "4 North"))
    text = "We admitted a 62-year-old man from Gorseway last night; he is now settled on 4 North."
    assert _places(engine, text, context) == ["Gorseway", "4 North"]


def test_not_in_a_staff_or_event_sentence(engine) -> None:
    context = AnalysisContext(our_places=("Gorseway", "4 North"))
    assert _places(engine, "The 4 North nurses threw a potluck for the Gorseway fun run volunteers.", context) == []
    assert _places(engine, "Huge thanks to our 4 North team for a great year!", context) == []
    assert _places(engine, "Gorseway looks lovely in spring.", context) == []


def test_engine_wide_places_like_extra_terms(engine) -> None:
    text = "Her mom brought her in from Brackenfield this morning."
    assert _places(engine, text) == []
    engine.set_our_places(["brackenfield", " Brackenfield "])
    try:
        assert engine.our_places == ("brackenfield",)
        assert _places(engine, text) == ["Brackenfield"]
    finally:
        engine.set_our_places([])
