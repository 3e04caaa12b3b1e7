"""A named business or landmark where something happened to a patient is a place that identifies them
("outside the Kestrel Road petrol station"); the same words in a post about no one in care are not."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine


def _places(engine: RiskEngine, text: str) -> set[str]:
    return {f.text for f in engine.analyze(text) if f.category.value == "phi" and f.kind == "location"}


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Our patient collapsed in the queue and she was in resus within twenty minutes. She had been buying "
         "milk at the Tarrant Vale servo when it happened.", "Tarrant Vale"),
        ("My patient in bed 4 told me his story today. He ran the bar at the Copper Kettle nightclub for "
         "thirty years and knew everyone in town.", "Copper Kettle"),
    ],
)
def test_a_named_business_where_a_patients_story_happened_is_a_place(engine: RiskEngine, text: str, place: str) -> None:
    assert place in _places(engine, text)


def test_the_same_business_in_a_post_about_no_patient_is_not(engine: RiskEngine) -> None:
    text = "Team lunch is at the Copper Kettle pub on Friday, all welcome, bring your appetite."
    assert "Copper Kettle" not in _places(engine, text)


def test_a_country_a_patient_came_from_is_not_a_small_place_but_her_village_is(engine: RiskEngine) -> None:
    text = ("A 96-year-old woman was admitted with pneumonia and she would not eat. She was from Ilobu originally "
            "and had lived in England since 1961.")
    places = _places(engine, text)
    assert "England" not in places
    assert "Ilobu" in places


@pytest.mark.parametrize(
    "text",
    [
        "Pic of the whiteboard from our bay so you can see how tidy the new layout is.",
        "Selfie at the nurses' station after a long day, patient board visible behind us, we look great.",
    ],
)
def test_a_photo_showing_a_whiteboard_or_patient_board_is_flagged(engine: RiskEngine, text: str) -> None:
    assert "photo" in {f.kind for f in engine.analyze(text) if f.category.value == "phi"}, text


def test_a_photo_of_whiteboard_markers_is_not(engine: RiskEngine) -> None:
    found = engine.analyze("Photo of our new whiteboard markers, colour-coded at last.")
    assert "photo" not in {f.kind for f in found if f.category.value == "phi"}
