"""The sentence classifier's patient-story signal places a sentence in patient context when no patient word
does: the names, dates and places in a story told without "patient", "admitted" or "year-old" are still the
patient's."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.pipeline import build_pipeline

from .helpers import kinds

STORY = (
    "Guess who came back to say hello! Rosalind spent most of March on our ward after her knee replacement, "
    "and now she walks her terrier round Pelham Pond every morning."
)


@pytest.fixture(scope="module")
def rules_only() -> RiskEngine:
    return RiskEngine(nlp=build_pipeline(sentence_model_folder="none"))


def test_a_story_without_patient_words_has_its_identifiers_found(engine: RiskEngine, rules_only: RiskEngine) -> None:
    found = engine.analyze(STORY)
    texts = {f.text for f in found if f.category.value == "phi"}
    assert {"Rosalind", "March"} <= texts
    assert any(f.text == "Pelham Pond" and f.kind == "location" for f in found)  # a place, by its last word
    # the rules' patient cues alone do not see a patient here: the classifier's story signal does
    assert not kinds(rules_only.analyze(STORY), "phi")


def test_a_welcome_to_new_staff_is_not_made_a_patient_story(engine: RiskEngine) -> None:
    text = "Please welcome Oluwaseun and Marisol, who joined the pharmacy team on Monday. Say hello if you see them!"
    assert not kinds(engine.analyze(text), "phi")
