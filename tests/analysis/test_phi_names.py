"""Names of patients and relatives are PHI; physicians naming themselves or colleagues are not."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine

from .helpers import kinds


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mrs. Alvarez was so brave during her chemo.", "Alvarez"),
        ("Our patient named Tommy finally went home.", "Tommy"),
        ("His wife Maria stayed by his bed all night.", "Maria"),
        ("The patient, Robert Chen, asked about his biopsy.", "Robert Chen"),
        ("We admitted Linda Johnson to the ICU overnight.", "Linda Johnson"),
        ("The 45-year-old patient Anna S. was referred by her GP.", "Anna S."),
    ],
)
def test_patient_names(engine: RiskEngine, text: str, name: str) -> None:
    names = [f for f in engine.analyze(text) if f.category.value == "phi" and f.kind == "name"]
    assert any(name in f.text or f.text in name for f in names), names


@pytest.mark.parametrize(
    "text",
    [
        "Dr. Patel and I presented our stroke data today.",
        "Huge thanks to my colleague Sarah Jones for the teaching session.",
        "I'm Emily, an ER physician in Ohio.",
        "Welcome to the team, Michael Brown!",
        "Jane Smith, MD, gave a great talk.",
        "Sarah and I are running the 10k for cancer research.",
    ],
)
def test_self_and_colleague_names_are_not_phi(engine: RiskEngine, text: str) -> None:
    assert "name" not in kinds(engine.analyze(text), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "Presenting our poster on the patient safety bundle in Ballroom C, Friday 10:40 am.",
        "The patient's levels were low, so Vitamin D it is, and Plan B if that fails.",
    ],
)
def test_things_named_by_a_letter_are_not_names(engine: RiskEngine, text: str) -> None:
    assert "name" not in kinds(engine.analyze(text), "phi")


def test_a_given_name_with_an_initial_is_still_a_name(engine: RiskEngine) -> None:
    assert "name" in kinds(engine.analyze("My patient Kevin M. went home today."), "phi")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Three weeks ago we admitted Dalia with the worst headache of her life.", "Dalia"),
        ("Her ID says Renata Gomes, and she left her purse in the MRI room.", "Renata Gomes"),
        ("Shoutout to my former patient turned marathoner Chris Delaney, who had a transplant here!", "Chris Delaney"),
        ('My patient James "Jimmy" Kowalski went home today.', 'James "Jimmy" Kowalski'),
    ],
)
def test_names_after_clinical_acts_records_and_patient_phrases(engine: RiskEngine, text: str, name: str) -> None:
    found = [f.text for f in engine.analyze(text) if f.category.value == "phi" and f.kind == "name"]
    assert name in found


@pytest.mark.parametrize(
    "text",
    [
        "Our patient safety week starts Monday: Natasha and the quality team have planned a great lineup.",
        "We have a patient in Linden Township who needs rides to chemo.",
    ],
)
def test_patient_fields_and_places_are_not_names(engine: RiskEngine, text: str) -> None:
    assert "name" not in kinds(engine.analyze(text), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "The leak over bed 4 drips into a bucket we've lovingly named Gloria. Gloria is our longest-serving patient.",
        "Patients in the kids' ward love the therapy dog, who is called Biscuit. Biscuit visits on Fridays.",
        "A patient from a little town called Merriwether brought us scones.",
    ],
)
def test_names_given_to_things_animals_and_places_are_not_people(engine: RiskEngine, text: str) -> None:
    assert "name" not in kinds(engine.analyze(text), "phi")


def test_a_person_named_near_a_named_pet_is_still_a_name(engine: RiskEngine) -> None:
    text = "The patient named Harriet told me her dog is called Pickles."
    assert [f.text for f in engine.analyze(text) if f.kind == "name"] == ["Harriet"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Pt slipped off the garage roof at dawn, and Wendeline (58) now has a lovely open ankle fracture.", "Wendeline"),
        ("I went to a patient's funeral on Saturday. Osric was 44. He coached the under-nines.", "Osric"),
        ("The lad I treated at the roadside left his wallet in the truck: licence inside, name Tamati Herewini.",
         "Tamati Herewini"),
        ("By the time I got to the farmhouse she was pushing, and her partner Eskil was boiling kettles.", "Eskil"),
    ],
)
def test_names_given_an_age_a_label_or_a_patients_partner(engine: RiskEngine, text: str, name: str) -> None:
    names = [f.text for f in engine.analyze(text) if f.category.value == "phi" and f.kind == "name"]
    assert name in names, names


@pytest.mark.parametrize(
    "text",
    [
        "My business partner Eskil and I opened a second clinic this spring.",
        "The new ward opened on Monday. Ward 9 was 41 degrees by noon, so the fans came out.",
        "We ran the audit on every admission this year. Table (3) shows the results by month.",
        "My name Tamati is on the rota twice this week, sorry everyone.",
    ],
)
def test_a_colleague_partner_a_ward_a_table_or_the_posters_own_name_is_not_a_patients(
    engine: RiskEngine, text: str
) -> None:
    assert "name" not in kinds(engine.analyze(text), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "We gave an elderly man the wrong dose. The pharmacist, Mr. Venkatraman, rang me within the hour.",
        "The ward took in 200 patients that night. The matron, Miss Edith Carr, ran it from a desk in the corridor.",
        "Meet Hazel, our 94-year-old knitting volunteer, who has made 2,300 hats for the babies in our NICU.",
        "Our patients loved the summer barbecue, and Mr Obuya from the estates team did the cooking.",
    ],
)
def test_a_name_set_beside_a_staff_role_is_a_colleague_not_a_patient(engine: RiskEngine, text: str) -> None:
    assert "name" not in kinds(engine.analyze(text), "phi")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The pharmacist saw Mr. Jones, our patient, on the ward this morning.", "Jones"),
        ("Meet Kaia, our 8-year-old burn patient, who went home today.", "Kaia"),
    ],
)
def test_a_patient_beside_a_staff_word_is_still_a_patient(engine: RiskEngine, text: str, name: str) -> None:
    assert any(name in f.text for f in engine.analyze(text) if f.category.value == "phi" and f.kind == "name")


def test_a_volunteer_named_once_beside_her_role_is_not_a_patient_further_on(engine: RiskEngine) -> None:
    text = ("Meet Hazel, our 94-year-old knitting volunteer 🧶\n\nSince 2016 Hazel has knitted 2,300 hats for the "
            "babies in our special care nursery.")
    assert "name" not in kinds(engine.analyze(text), "phi")


def test_a_thread_marker_is_not_a_name(engine: RiskEngine) -> None:
    text = "Thread 🧵 1/ Remember the little lad with the peanut reaction I mentioned? He is home."
    assert "Thread" not in {f.text for f in engine.analyze(text) if f.category.value == "phi"}
