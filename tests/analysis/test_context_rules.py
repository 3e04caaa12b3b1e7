"""Context decides whether a span is risky: who is addressed, whose contact details, which date."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.core.models import RiskCategory

from .helpers import categories, kinds


@pytest.mark.parametrize(
    "text",
    [
        "@leo_runs that's plantar fasciitis for sure. just take two aleve before every run",
        "To the reader who wrote in about her son's cough: give him a double dose of the syrup at night.",
    ],
)
def test_sentences_of_a_reply_are_advice_to_that_person(engine: RiskEngine, text: str) -> None:
    assert "medical_advice" in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "Get your flu shot this fall. #publichealth",
        "Book your colonoscopy screening once you turn 45, it saves lives.",
        "Reminder for everyone: if you take blood thinners, ask your doctor before any dental work.",
    ],
)
def test_public_health_reminders_are_not_individual_advice(engine: RiskEngine, text: str) -> None:
    assert "medical_advice" not in categories(engine.analyze(text))


def test_a_patient_relatives_phone_is_phi_but_the_authors_own_is_not(engine: RiskEngine) -> None:
    assert "phone" in kinds(engine.analyze("The patient went home. Her son's cell is 617-555-0144."), "phi")
    assert "phone" not in kinds(engine.analyze("Questions about the talk? Call me at 617-555-0144."), "phi")


def test_dates_of_staff_events_are_not_patient_dates(engine: RiskEngine) -> None:
    event = "Our NICU staff potluck is on Friday, June 12 in the staff lounge. Bring a dish!"
    story = "Our NICU patient went home on June 12 after ten weeks with us."
    assert "date" not in kinds(engine.analyze(event), "phi")
    assert "date" in kinds(engine.analyze(story), "phi")


# after a sentence about a patient, so the post is in patient context
PATIENT_FIRST = "We discharged our longest-staying patient today. "


@pytest.mark.parametrize(
    "event",
    [
        "The cardiology tutorial on Wednesday 4 March moves to the library.",
        "The memorial service for our former matron is at St Aidan's Church on Saturday 14 March.",
        "Sister Amara Obi retires on Friday after 35 years on the unit.",
        "The Linton Lions Club donated new recliners for the family room on 9 April.",
    ],
)
def test_dates_of_tutorials_services_donations_and_retirements_are_not_patient_dates(
    engine: RiskEngine, event: str
) -> None:
    assert "date" not in kinds(engine.analyze(PATIENT_FIRST + event), "phi")
    patient = "Our patient went home on 2 June after a memorial service for her husband delayed her surgery."
    assert "date" in kinds(engine.analyze(patient), "phi")


def test_a_bare_weekday_next_to_a_patient_is_flagged(engine: RiskEngine) -> None:
    found = engine.analyze("An older man came in Saturday with chest pain and his daughter by his side.")
    assert "date" in kinds(found, "phi")
    assert "date" not in kinds(engine.analyze("The clinic is closed Saturday for the holiday."), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "The bladder scanner on our floor has been out of service for three weeks.",
        "Someone accidentally gave the evening insulin to the wrong bed and nobody noticed for an hour.",
        "Worked five nights in a row and I can't feel my legs.",
    ],
)
def test_equipment_errors_and_fatigue_are_discoverable(engine: RiskEngine, text: str) -> None:
    assert "discoverable" in categories(engine.analyze(text))


def test_photo_of_a_patient_in_a_hospital_bed_needs_consent(engine: RiskEngine) -> None:
    found = engine.analyze("Sweetest moment of the week, pic of the twins in their isolettes below!")
    assert "photo" in kinds(found, "phi")


@pytest.mark.parametrize(
    "text",
    [
        "Pic from my patient's discharge party, she insisted!",
        "Sharing a photo of my patient with his new prosthetic leg.",
    ],
)
def test_photos_of_a_patient_are_flagged(engine: RiskEngine, text: str) -> None:
    assert "photo" in kinds(engine.analyze(text), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "New recliners in the family lounge (photo has no patients in it, promise).",
        "Photos are of the choir and our staff only; no patients were photographed.",
        "Each student gets an ECG (a textbook image, not from any patient) to interpret.",
        "Our imaging centre now gives same-day results for most patients.",
    ],
)
def test_photos_said_to_show_no_patient_are_not_flagged(engine: RiskEngine, text: str) -> None:
    assert "photo" not in kinds(engine.analyze(text), "phi")


def test_a_labelled_record_number_in_ssn_shape_is_a_record_number(engine: RiskEngine) -> None:
    found = engine.analyze("Patient MRN 123-45-6789 was admitted; her SSN is 987-65-4321.")
    by_text = {f.text: f.kind for f in found if f.category.value == "phi"}
    assert by_text.get("123-45-6789") == "mrn"
    assert by_text.get("987-65-4321") == "ssn"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Three nurses for the whole step-down unit again, and admin calls it 'flexing'.", "staffing"),
        ("I was the only surgeon on call for two hospitals this weekend.", "staffing"),
        ("The autoclave in clinic B failed its spore test last week and we're still running loads.", "safety"),
        ("Found out one of my post-op patients didn't get his evening antibiotic dose.", "admitted_error"),
        ("The resident was finishing a double when she admitted him.", "fatigue"),
    ],
)
def test_staffing_safety_error_and_fatigue_phrasings(engine: RiskEngine, text: str, kind: str) -> None:
    assert kind in kinds(engine.analyze(text), "discoverable")


@pytest.mark.parametrize(
    "text",
    [
        "Happy Nurses Week to the best team in the building!",
        "The patient was 91 and exhausted after the long drive, so we let him rest first.",
        "We're hiring: two nurses for our new outpatient infusion suite. Apply by Friday.",
    ],
)
def test_ordinary_staff_talk_is_not_discoverable(engine: RiskEngine, text: str) -> None:
    assert "discoverable" not in categories(engine.analyze(text))


def test_a_named_patient_and_what_happened_to_them_is_a_patient_story(engine: RiskEngine) -> None:
    found = engine.analyze("So proud of our unit. Mrs. Castellanos went home after six weeks in the ICU.")
    assert "encounter" in kinds(found, "patient_story")
    colleague = engine.analyze("So proud of our unit. Dr. Castellanos gave a great talk about ICU delirium.")
    assert "patient_story" not in categories(colleague)


def test_a_quoted_slur_that_is_talked_about_is_not_a_use(engine: RiskEngine) -> None:
    mention = 'Please retire the word "gomer" from your vocabulary; our patients deserve better.'
    use = 'Another "gomer" from the nursing home tonight, great.'
    assert "unprofessional" not in categories(engine.analyze(mention))
    assert "unprofessional" in categories(engine.analyze(use))


def test_family_surnames_towns_with_place_words_and_hospital_units(engine: RiskEngine) -> None:
    found = engine.analyze(
        "Please keep the Abernathy family in your thoughts. Their daughter was admitted from Rose Valley "
        "last night and is now on 4 West."
    )
    texts = {f.text for f in found if f.category.value == "phi"}
    assert {"Abernathy", "Rose Valley", "4 West"} <= texts
    assert "phi" not in categories(engine.analyze("Our new clinic in Cedar Falls opens next spring. Come say hi!"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a case told the way clinicians ask each other: name, age, town, no "patient" anywhere
        ("Morwenna Treloar, 68, from Penzance, came to our clinic on Friday, May 9 with a hot swollen knee.",
         {"Penzance", "May 9"}),
        ("Cardiology friends: Mr. Okwu (57, Enugu) had a syncopal episode on April 14 at the market.", {"Enugu", "April 14"}),
        ("Quick one for the renal crowd: Ffion Rees, 29, from Llanelli, creatinine doubled since March 3.",
         {"Llanelli", "March 3"}),
    ],
)
def test_a_person_introduced_with_an_age_makes_the_sentence_about_a_patient(
    engine: RiskEngine, text: str, expected: set[str]
) -> None:
    found = {f.text for f in engine.analyze(text) if f.category is RiskCategory.PHI}
    assert expected <= found, found


@pytest.mark.parametrize(
    "text",
    [
        "Congratulations to our colleague Priya Nair, 34, who ran the Cork marathon on Sunday, June 1.",
        "Our team of 12, 10 nurses and two doctors, walked to Whitby on 14 June for charity.",
        "Our unit scored 94, 96 and 98 in the audits of March 3 and April 7.",
    ],
)
def test_numbers_after_commas_do_not_make_a_patient(engine: RiskEngine, text: str) -> None:
    assert "phi" not in categories(engine.analyze(text))
