"""Paragraphs about the poster's own family are not patient PHI or patient stories; a patient beside them is."""

from __future__ import annotations

from medshare_desktop.analysis import RiskEngine

from .helpers import categories, kinds

OWN_FAMILY = (
    "A personal one today.\n\n"
    "On the 3rd, my dad, Leonard, had a stroke at his kitchen table in Thornbury Heath. "
    "He was admitted on Sunday and is 91 now, stubborn as ever.\n\n"
    "Look after your own people too."
)


def test_a_paragraph_about_the_posters_own_dad_has_no_patient_phi_or_story(engine: RiskEngine) -> None:
    found = engine.analyze(OWN_FAMILY)
    assert not kinds(found, "phi") & {"name", "date", "location", "age"}
    assert "patient_story" not in categories(found)


def test_a_patient_in_the_same_paragraph_keeps_the_findings(engine: RiskEngine) -> None:
    text = OWN_FAMILY.replace("He was admitted", "My patient in bed 4 reminded me of him. He was admitted")
    assert "name" in kinds(engine.analyze(text), "phi")


def test_identifiers_stay_even_in_a_family_paragraph(engine: RiskEngine) -> None:
    text = "My dad finally got his new card: Medicare number 1EG4TE5MK73, phone him on (555) 555-0142."
    found = kinds(engine.analyze(text), "phi")
    assert {"health_plan", "phone"} <= found
