"""Structured PHI: contact details, identifiers, dates, ages over 89, places below state."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.core.models import RiskCategory, Severity

from .helpers import categories, kinds


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("Call the family at (555) 123-4567 tonight.", "phone", "(555) 123-4567"),
        ("Her cell is 555.987.6543 if anyone asks.", "phone", "555.987.6543"),
        ("Reach him on +44 20 7946 0958.", "phone", "+44 20 7946 0958"),
        ("Fax the patient's records to 555-222-3333 please.", "fax", "555-222-3333"),
        ("Email the patient at jane.doe@example.com about results.", "email", "jane.doe@example.com"),
        ("His page is https://gofundme.com/help-bob-recover now.", "url", "https://gofundme.com/help-bob-recover"),
        ("Patient logged in from 192.168.10.45 yesterday.", "ip_address", "192.168.10.45"),
        ("SSN 123-45-6789 was on the form.", "ssn", "123-45-6789"),
        ("Her social security number is 123456789.", "ssn", "123456789"),
        ("Pulled chart MRN: 00482913 for review.", "mrn", "00482913"),
        ("Medical record number 55-88213 belongs to him.", "mrn", "55-88213"),
        ("Medicare beneficiary number 1EG4TE5MK73 on the card.", "health_plan", "1EG4TE5MK73"),
        ("Insurance member ID XKD882910021 was denied.", "health_plan", "XKD882910021"),
        ("Account number 4482910033 is overdue.", "account", "4482910033"),
        ("Driver's license D1234567 was in his wallet.", "license", "D1234567"),
        ("License plate 7ABC123 was seen leaving.", "vehicle", "7ABC123"),
        ("Pacemaker serial number PM-88213-X recalled.", "device", "PM-88213-X"),
        # the label's value in brackets, or with a state or pharmacy prefix
        ("Her plan dropped her, so we re-enrolled her (member ID QWX4471902).", "health_plan", "QWX4471902"),
        ("His licence (#K881-2290-1175) was taken after the seizure.", "license", "K881-2290-1175"),
        ("We found him through the van's plate (OH 7KT-2291).", "vehicle", "7KT-2291"),
        ("Mr. Ortiz's prescription number RX 7720154 keeps getting rejected.", "account", "7720154"),
        ("Her oxygen concentrator #40028817734 was left in the lobby.", "device", "40028817734"),
        ("Her member ID, MH7720481935, was rejected again.", "health_plan", "MH7720481935"),
        ("The pharmacy finally found prescription RX7731902 for her.", "account", "7731902"),
        ("The lady in 14 asked for her tea at 3am again.", "location", "14"),
        # claim numbers are accounts; an "RX-" prefix; UK driving licences; a car's registration
        ("His insurer bounced claim HX-22081-7731 for the third time.", "account", "HX-22081-7731"),
        ("Rx RX-4471820 for the man in bay 2 never reached the pharmacy.", "account", "RX-4471820"),
        ("Left in the waiting room: her driving licence, no. OKAFO812259AB3, and a bus pass.", "license",
         "OKAFO812259AB3"),
        ("His daughter's car was clamped while he was in theatre, reg YR68 KDP.", "vehicle", "YR68 KDP"),
        ("Somebody typed her date of birth of 03/07/1938 into the public chat.", "date", "03/07/1938"),
        ("The pump on the patient in 9B has occluded four times.", "location", "9B"),
    ],
)
def test_structured_identifiers(engine: RiskEngine, text: str, kind: str, value: str) -> None:
    findings = [f for f in engine.analyze(text) if f.category is RiskCategory.PHI]
    assert any(f.kind == kind and value in f.text or f.text in value and f.kind == kind for f in findings), findings
    for f in findings:
        assert text[f.start : f.end] == f.text


@pytest.mark.parametrize(
    "text",
    [
        "Our patient was admitted on March 3, 2024 with chest pain.",
        "She was born 04/12/1931 and was discharged last week.",
        "DOB: 1950-02-11",
        "Surgery for the patient on 12/05/2023 went well.",
        "The patient came back last Tuesday with the same rash.",
        "She came in on Waitangi Day with chest pain and was discharged on Monday.",
        "He was admitted over the August bank holiday after a fall at home.",
    ],
)
def test_dates_tied_to_a_patient(engine: RiskEngine, text: str) -> None:
    assert "date" in kinds(engine.analyze(text), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "Happy new year 2026!",
        "Join our conference on March 3 in the main auditorium.",
        "Flu shots are available from October 1 at all sites.",
        "Take 1/2 tablet is a common instruction.",
        "He was diagnosed back in 2021.",
        "Our clinic is closed over the bank holiday weekend; the ED is open as always.",
    ],
)
def test_general_dates_not_flagged(engine: RiskEngine, text: str) -> None:
    assert "date" not in kinds(engine.analyze(text), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "A 94-year-old woman came in today.",
        "My patient, aged 101, is sharp as ever.",
        "He is 92 yo.",
        "My patient is ninety-three and still gardens.",
        "our ninety-six y/o in bed 4 wants the crossword, not the telly",
    ],
)
def test_age_over_89(engine: RiskEngine, text: str) -> None:
    assert "age" in kinds(engine.analyze(text), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "A 45-year-old woman came in today.",
        "We saw 95 patients this week.",
        "For my patient the nearest cardiologist is ninety minutes away.",
        "Her new hip was done in our 95-year-old hospital, now with a shiny new wing.",
    ],
)
def test_age_under_90_not_phi(engine: RiskEngine, text: str) -> None:
    assert "age" not in kinds(engine.analyze(text), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "The patient lives at 42 Maple Street, Apt 3 with her son.",
        "Patient in room 412 was finally discharged.",
        "Bed 3 in the ICU had a rough night.",
        "A farmer from Dalton came in with a crush injury.",
        "The patient was transferred from Mercy General Hospital.",
        # UK and Irish street names, and "the X Road" of a rural address
        "He lives alone at 9 Tolland Rise and the carers found him on the floor.",
        "She came off her bike on the Ardnagree Road and spent a week in our ICU.",
        "Our patient walked home along Kesteven Parade after discharge, bless him.",
    ],
)
def test_locations(engine: RiskEngine, text: str) -> None:
    assert "location" in kinds(engine.analyze(text), "phi")


def test_a_unit_is_a_place_of_someone_in_particular_only(engine: RiskEngine) -> None:
    assert "location" in kinds(engine.analyze("My patient on 5 East finally went home today."), "phi")
    staffing = "Last night I was the only RN for nine patients on 5 East after two call-outs."
    assert "location" not in kinds(engine.analyze(staffing), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "Meeting in conference room 5 at noon.",
        "Greetings from Chicago, great conference!",
        "Our charity shop on Kesteven Parade opens on Saturday.",
    ],
)
def test_general_places_not_flagged(engine: RiskEngine, text: str) -> None:
    assert "location" not in kinds(engine.analyze(text), "phi")


def test_severity_is_high_for_direct_identifiers(engine: RiskEngine) -> None:
    findings = engine.analyze("SSN 123-45-6789")
    assert findings and findings[0].severity is Severity.HIGH


def test_email_is_not_also_a_url(engine: RiskEngine) -> None:
    findings = engine.analyze("Write to bob.smith@hospital.org today.")
    assert [f.kind for f in findings if f.category is RiskCategory.PHI] == ["email"]


@pytest.mark.parametrize(
    "text",
    [
        "She moved to unit #4 last week and loves the view.",
        "Our infusion pumps from March are still waiting for the recall fix.",
        "The account is 12 days overdue, says finance.",
        "The man in 2024 was a different person from the man in 2019.",
        "Every patient in 5 minutes, that was the promise.",
        "Registration 2027 opens on Monday for the study day.",
        "Our new registrar starts on ward 12 next week; reg teaching is at 2pm.",
        "The insurer says the claim 3 weeks ago was fine.",
    ],
)
def test_short_unit_numbers_and_equipment_are_not_identifiers(engine: RiskEngine, text: str) -> None:
    assert not [f for f in engine.analyze(text) if f.category is RiskCategory.PHI]


def test_treatment_words_tie_a_date_to_the_person(engine: RiskEngine) -> None:
    text = "Dana Whitfield finished her last round of radiation on June 3 and rang the bell."
    found = kinds(engine.analyze(text), "phi")
    assert "date" in found


def test_a_procedure_makes_the_sentence_about_a_patient(engine: RiskEngine) -> None:
    text = "The thrombectomy took 40 minutes. By Tuesday she was asking about her tomatoes."
    assert "date" in kinds(engine.analyze(text), "phi")


def test_a_month_opening_a_sentence_about_a_patient_is_a_date(engine: RiskEngine) -> None:
    text = "People ask if I get lonely.\n\nIn March a young mother went into labour in the middle of an ice storm."
    assert "date" in kinds(engine.analyze(text), "phi")
    assert "date" not in kinds(engine.analyze("In March we opened the new wing for patients."), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "Mass-casualty exercise this Saturday, 12 October, from 8am. The scenario: a bus of 40 patients.",
        "From 1 July our hospital caps rostered hours, so patients get rested nurses.",
    ],
)
def test_a_date_near_patient_words_but_about_no_one_is_not_phi(engine: RiskEngine, text: str) -> None:
    assert "date" not in kinds(engine.analyze(text), "phi")


@pytest.mark.parametrize(
    "text",
    [
        "Discharge day! Joseph Mwangi went home on Wednesday, June 12, after 40 days with us.",
        "Throwback to delivering twins on New Year's Eve, a patient I will never forget.",
    ],
)
def test_a_date_of_someone_in_particular_is_phi(engine: RiskEngine, text: str) -> None:
    assert "date" in kinds(engine.analyze(text), "phi")


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # hospital and health-service numbers under their local names
        ("Can someone in records merge her two files? UHID KGH-19-2277301 and the old paper one.", "mrn", "KGH-19-2277301"),
        ("Hosp. no. RVH-559812 was on the wristband she left in the car park.", "mrn", "RVH-559812"),
        ("Bay 3 gentleman, UR number 8812046, needs his warfarin charted before the weekend.", "mrn", "8812046"),
        ("Referral bounced: NHS number 485 777 3456 did not match the surname.", "mrn", "485 777 3456"),
        ("Looking after a lad from Raglan today, NHI QRT8812, who needs a bed in Waikato.", "mrn", "QRT8812"),
        # health cover outside the US
        ("Our patient in bed 7 is stuck: her OHIP number (5521-774-210-TM) expired in hospital.", "health_plan", "5521-774-210-TM"),
        ("He was admitted with sepsis and his Alberta Health number is AB-55218830.", "health_plan", "AB-55218830"),
        ("The patient's medical aid number is 7718234 if the scheme rings the ward.", "health_plan", "7718234"),
        ("Admitted overnight; her TRICARE ID TRX-55120094 is on the front sheet.", "health_plan", "TRX-55120094"),
        ("Patient in bay 4 needs her Medicaid, ID QZ55120731, reinstated before discharge.", "health_plan", "QZ55120731"),
        # national identity numbers near a patient
        ("Admitted from the clinic: her Aadhaar (5521 8830 1174) has to go on the claim.", "ssn", "5521 8830 1174"),
        ("The patient's NIN is 77120455318 for the enrolment form.", "ssn", "77120455318"),
        ("Discharged today, and the prescription ref RX-5512-7730 went to the wrong chemist.", "account", "RX-5512-7730"),
    ],
)
def test_identifiers_under_names_used_outside_the_us(engine: RiskEngine, text: str, kind: str, value: str) -> None:
    findings = [f for f in engine.analyze(text) if f.category is RiskCategory.PHI]
    assert any(f.kind == kind and f.text == value for f in findings), findings


@pytest.mark.parametrize(
    "text",
    [
        "Our clinic folder 2023 holds the rota and the leave forms.",
        "Applications for the cardiology post close on 12 March; quote reference 4471 in your letter.",
        "I have an ID number for the staff gym and still never go.",
        "Staff survey: 92, 94 and 97 percent said they felt supported this year.",
        "The ward moved to beds 6, 92, 94 in the new wing last spring.",
        "Chapter 7 of the handbook (section 95) explains the consent rules.",
    ],
)
def test_numbers_that_are_nobodys_identifier(engine: RiskEngine, text: str) -> None:
    assert "phi" not in categories(engine.analyze(text))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Our patient Hilda Marsh, ninety-three, went home to her cat this afternoon.", "ninety-three"),
        ("A patient came into the ED on her own, 96, with a hip she had walked on for two days.", "96"),
        ("Lovely chat with the patient in bed 2 (100!) about the war years.", "100"),
        ("Handover: bed 12, Mrs. Okonkwo, F, 91, post-op day 1, sats fine.", "91"),
    ],
)
def test_an_age_over_89_set_off_by_commas_or_brackets(engine: RiskEngine, text: str, value: str) -> None:
    ages = [f.text for f in engine.analyze(text) if f.category is RiskCategory.PHI and f.kind == "age"]
    assert value in ages, ages


@pytest.mark.parametrize(
    "text",
    [
        "Saw a patient today whose sats went 88, 92 on two litres.",
        "Patient feedback scores this quarter (95, up from 90) made the whole team smile.",
    ],
)
def test_numbers_after_commas_that_are_not_ages(engine: RiskEngine, text: str) -> None:
    assert "age" not in kinds(engine.analyze(text), "phi")
