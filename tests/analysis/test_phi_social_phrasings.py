"""PHI the way social posts write it: names in hashtags, prayers and kinship titles, repeated mentions,
ages in words, holidays; and the look-alikes that are not PHI (thread numbering, pain scores, opening
hours, fediverse handles, a department's address). Examples written for these tests."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine


def phi(engine: RiskEngine, text: str, kind: str) -> list[str]:
    return [text[f.start : f.end] for f in engine.analyze(text) if f.category.value == "phi" and f.kind == kind]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Prayers for Koa tonight, the surgery ran long.", "Koa"),
        ("Please keep Grandma Ifeoluwa in your prayers, she was admitted to the ICU.", "Grandma Ifeoluwa"),
        ("So proud of our little warrior Zuri, last round of chemo done!", "Zuri"),
        ("Discharged today after 40 days. #PrayForBexley was trending on our unit.", "Bexley"),
        ("Big news from the burn unit: #TallulahStrong is going home.", "Tallulah"),
        ("The patient kept asking for her son Teodoro all night.", "Teodoro"),
        ("An update on Wiremu for everyone who asked: he is off the ventilator.", "Wiremu"),
        ("A former patient of ours, Anouk, graduated nursing school this week.", "Anouk"),
    ],
)
def test_names_in_social_phrasings(engine: RiskEngine, text: str, name: str) -> None:
    assert name in phi(engine, text, "name")


def test_every_mention_of_a_found_name_is_marked(engine: RiskEngine) -> None:
    text = "Prayers for Koa and his family. Koa turned six in the PICU. Koa's mom says thank you."
    assert len(phi(engine, text, "name")) == 3


def test_author_s_own_family_and_colleagues_are_not_patient_names(engine: RiskEngine) -> None:
    assert phi(engine, "My grandma Rosalind taught me to bake bread.", "name") == []
    assert phi(engine, "Thanks for covering my shift, Priyanka!", "name") == []
    assert phi(engine, "#TeamNursing #GoBlue what a week.", "name") == []


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Home visit to a woman of ninety-four who still gardens every day, she was discharged Monday.", "ninety-four"),
        ("Our patient turned a hundred and two on the ward today.", "hundred and two"),
        ("His family is throwing him a ninetieth birthday party after his surgery.", "ninetieth"),
    ],
)
def test_ages_over_89_in_words(engine: RiskEngine, text: str, age: str) -> None:
    assert any(age in found for found in phi(engine, text, "age"))


def test_spelled_numbers_that_are_not_ages(engine: RiskEngine) -> None:
    assert phi(engine, "The patient asked a hundred and two questions and I loved it.", "age") == []


def test_holiday_next_to_a_patient_is_a_date(engine: RiskEngine) -> None:
    assert phi(engine, "The twins went home from our NICU on Mother's Day.", "date")


@pytest.mark.parametrize(
    "text",
    [
        "1/3 A thread about my week with patients in clinic. 2/3 More. 3/3 That's all.",
        "Her pain was 8/10 when she was admitted, now it's much better.",
        "The patient portal is staffed 24/7 for urgent questions.",
        "Patient food review: 10/10 would eat the mac and cheese again!",
        "My patient's dog sat on my foot the whole visit. 10/10 colleague.",
        "Mr. 10/10 Pain is back for his turkey sandwich.",
    ],
)
def test_numbers_with_a_slash_that_are_not_dates(engine: RiskEngine, text: str) -> None:
    assert phi(engine, text, "date") == []


def test_a_date_with_a_slash_is_still_a_date(engine: RiskEngine) -> None:
    assert phi(engine, "Mrs. Lindqvist was admitted 10/10 and went home 10/17.", "date") == ["10/10", "10/17"]


@pytest.mark.parametrize(
    "text",
    [
        "Patient relations is open Monday to Friday, 8 to 5.",
        "Every Friday the unit manager reads patient compliments at huddle.",
        "He's on the same Tuesday-Thursday-Saturday dialysis schedule as before.",
        "At 6 pm on a Friday nobody should decide which unit loses its nurse; patients deserve better.",
    ],
)
def test_habits_ranges_and_schedules_are_not_a_patient_s_date(engine: RiskEngine, text: str) -> None:
    assert phi(engine, text, "date") == []


def test_a_particular_weekday_next_to_a_patient_is_a_date(engine: RiskEngine) -> None:
    assert phi(engine, "The patient came in Saturday with chest pain.", "date") == ["Saturday"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("@halvard@toot.example you should get that mole checked, patients with that look need a biopsy.", "email"),
        ("Questions about the patient portal? Email privacy@example.org.", "email"),
        ("Our emergency line for dialysis patients is (555) 555-0173.", "phone"),
        ("Questions? Call the rehab desk at (555) 555-0162.", "phone"),
        ("Patients who remember the old maternity wing, write to history@riverbendhealth.example.org.", "email"),
        ("Loved meeting patients at the fair! Send your CV to talent@example.com.", "email"),
    ],
)
def test_handles_and_department_contacts_are_not_patient_identifiers(engine: RiskEngine, text: str, kind: str) -> None:
    assert phi(engine, text, kind) == []


def test_a_family_s_own_address_is_still_flagged(engine: RiskEngine) -> None:
    text = "The patient's daughter asked that cards go to her at maren.holt.family@example.net."
    assert phi(engine, text, "email") == ["maren.holt.family@example.net"]


def test_a_named_person_at_the_hospital_s_domain_is_still_flagged(engine: RiskEngine) -> None:
    text = "The patient's son works with us, reach him at k.osei@riverbendhealth.example.org."
    assert phi(engine, text, "email") == ["k.osei@riverbendhealth.example.org"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("She rang the bell on Sunflower Ward after her last round of chemo.", "Sunflower Ward"),
        ("The family asked that cards for the patient go to 14 Heron Mews, Little Ashby.", "14 Heron Mews"),
        ("The gentleman in chair 7 asked for a warm blanket during his infusion.", "chair 7"),
        ("Thank you to Bethany Fellowship for the meals you sent our patient's family.", "Bethany Fellowship"),
        ("The patient in ED 14 was finally admitted upstairs.", "ED 14"),
    ],
)
def test_places_of_patients(engine: RiskEngine, text: str, place: str) -> None:
    assert place in phi(engine, text, "location")


def test_numbers_after_a_department_that_are_not_places(engine: RiskEngine) -> None:
    assert phi(engine, "Our ED 19 minutes door-to-needle time for stroke patients is a record.", "location") == []


@pytest.mark.parametrize(
    "text",
    [
        "Questions: privacy@example.org or (555) 555-0119.",
        "Now accepting new patients. Call (555) 555-0138 to schedule.",
        "Sign up online or call the Blood Bank at (555) 555-0190.",
        "Our clinic phone number is changing. New number: (555) 555-0122.",
        "Women 50 to 74, no referral needed. Book on (555) 555-0112 or just turn up.",
        "If you knit and want to join her, our volunteer office is on (555) 555-0145.",
        "Does anyone know if (555) 555-0158 is still the fax for the cardiology rooms? His referral bounced.",
        "Flu jabs for carers this Saturday, walk-ins welcome. Call (555) 555-0126 with any questions.",
    ],
)
def test_an_institution_s_number_is_not_a_patient_s(engine: RiskEngine, text: str) -> None:
    assert phi(engine, text, "phone") == []


def test_holiday_words_that_are_not_dates(engine: RiskEngine) -> None:
    assert phi(engine, "Patient fell off a ladder hanging Christmas lights, broke both wrists.", "date") == []
    assert phi(engine, "Our patients in the NICU dressed as pumpkins for Halloween 🎃", "date") == ["for Halloween"]


def test_staff_named_in_a_post_are_not_patients(engine: RiskEngine) -> None:
    text = "After 38 years our unit secretary Rosalind Pettigrew retires; she knows every patient's chart by heart."
    assert phi(engine, text, "name") == []


def test_venues_events_and_songs_are_not_names(engine: RiskEngine) -> None:
    text = "Our walk for stroke patients starts at Brookfield Park; the patient choir sang Silver Moon."
    assert phi(engine, text, "name") == []


def test_the_date_of_a_public_walk_is_not_a_patient_s(engine: RiskEngine) -> None:
    assert phi(engine, "Our stroke awareness walk for patients and families is on May 18.", "date") == []


def test_a_patient_s_death_on_a_holiday_is_a_date(engine: RiskEngine) -> None:
    assert phi(engine, "He passed on Veterans Day with his family around him in our hospice.", "date")


def test_a_patient_s_phone_number_stays_flagged(engine: RiskEngine) -> None:
    text = "My patient, who lives on Birch Lane with phone number 555-0177, was admitted on May 3."
    assert phi(engine, text, "phone") == ["555-0177"]


def test_a_family_fundraiser_mailbox_is_personal_even_beside_donations(engine: RiskEngine) -> None:
    text = "Our patient's surgery is next week; donations for the family via zuri.fund.mom@example.net 💜"
    assert phi(engine, text, "email") == ["zuri.fund.mom@example.net"]


def test_a_word_the_post_also_writes_in_lower_case_is_not_taken_for_a_name(engine: RiskEngine) -> None:
    text = "Our patient went home after a long time with us, and we all say thank you, Time."
    assert phi(engine, text, "name") == []
    named = "Our patient went home after a long stay with us, and we all say thank you, Anouk."
    assert phi(engine, named, "name") == ["Anouk"]


@pytest.mark.parametrize(
    "url",
    ["https://fundraise.example.com/help-noor-get-home", "https://memorial.example.org/teodor-baptiste"],
)
def test_a_page_for_one_person_is_personal_even_without_a_patient_word(engine: RiskEngine, url: str) -> None:
    assert phi(engine, f"Anything helps ❤️ {url}", "url") == [url]


def test_a_hospital_named_memorial_keeps_its_public_site(engine: RiskEngine) -> None:
    assert phi(engine, "Book your flu shot at https://www.lakesidememorial.example.org/flu today.", "url") == []


def test_every_mrn_of_a_list(engine: RiskEngine) -> None:
    text = "Two patients had the same name and DOB (MRNs 4417823 & 4417832), so we added a name alert."
    assert phi(engine, text, "mrn") == ["4417823", "4417832"]


def test_a_holiday_night_next_to_a_patient_is_a_date(engine: RiskEngine) -> None:
    assert phi(engine, "Remember the man who came into our ER Christmas night with chest pain?", "date")


@pytest.mark.parametrize(
    "text",
    [
        "Lakemont Regional Hospital, 415 Shoreline Drive, is hiring ICU nurses to care for our patients.",
        "The new clinic for patients of all ages is located in Larkspur Plaza, 880 Meridian Street, Suite 120.",
        "Our rehab programme for cardiac patients has moved to 61 Quay Street, across from the main entrance.",
    ],
)
def test_an_institution_s_street_address_is_not_a_patient_s(engine: RiskEngine, text: str) -> None:
    assert phi(engine, text, "location") == []


def test_a_patient_s_home_address_is_still_flagged(engine: RiskEngine) -> None:
    text = "The patient's discharge sheet was in the wallet with his address on it, 19 Calloway Row."
    assert [found.rstrip(".") for found in phi(engine, text, "location")] == ["19 Calloway Row"]


def test_a_contact_list_of_departments_is_not_patient_contact_details(engine: RiskEngine) -> None:
    text = (
        "Our new cardiac rehab unit is open to patients.\n\nPhone: (555) 555-0172\n"
        "- Community education and CPR classes: cpr@example.org\n"
        "Call our patient experience office at (555) 555-0140."
    )
    assert phi(engine, text, "phone") == [] and phi(engine, text, "email") == []


def test_staff_named_with_a_title_or_suffix_are_never_patients_in_that_post(engine: RiskEngine) -> None:
    text = (
        "A tribute to Nurse Agnes Whitcombe. Agnes sat with every frightened patient on the ward. "
        "Dolores Kuznetsova, RN, retired too; our patients will miss Dolores."
    )
    assert phi(engine, text, "name") == []


def test_conference_and_opening_dates_and_cities_are_not_a_patient_s(engine: RiskEngine) -> None:
    text = (
        "Back from the Patient Safety Summit in Fargo (October 15–17). "
        "Our new pavilion opens to patients on Monday, March 3."
    )
    assert phi(engine, text, "date") == [] and phi(engine, text, "location") == []


def test_a_city_two_sentences_after_a_patient_is_still_flagged(engine: RiskEngine) -> None:
    text = "My patient's car was towed while she was in clinic. Blue sedan. Does anyone know a tow yard in Fargo?"
    assert phi(engine, text, "location") == ["Fargo"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("His sons read him the newspaper in Punjabi every night in his room.", "location"),
        ("The Family Council meets in Conference Room 4B, families welcome.", "location"),
        ("Congrats to the 5 West nurses on a year without a patient fall!", "location"),
        ("To my fellow night nurses on 5 East: I know we all miss her.", "location"),
        ("Father Tomás says the Wednesday rosary group is praying for her.", "date"),
        ("When I visit my patient on Sunday afternoons she smiles at me.", "date"),
        ("Her husband plays guitar for the patients on Friday nights.", "date"),
    ],
)
def test_languages_meeting_rooms_unit_staff_and_weekly_groups_are_not_phi(
    engine: RiskEngine, text: str, kind: str
) -> None:
    assert phi(engine, text, kind) == []


def test_a_patient_on_a_unit_and_a_weekday_visit_are_still_phi(engine: RiskEngine) -> None:
    assert phi(engine, "Mrs. Lee on 5 East went home today.", "location") == ["5 East"]
    assert phi(engine, "She came in Wednesday with chest pain.", "date") == ["Wednesday"]


def test_a_link_whose_address_names_the_patient_is_phi(engine: RiskEngine) -> None:
    text = (
        "My patient from last summer, the one with the broken femur, is on the local news!!! "
        "https://news.example.com/2024/05/spelling-bee-champ-ethan-wu so proud of u buddy"
    )
    assert phi(engine, text, "url") == ["https://news.example.com/2024/05/spelling-bee-champ-ethan-wu"]


def test_a_news_link_in_a_post_about_no_patient_is_not_phi(engine: RiskEngine) -> None:
    text = "Our new cath lab made the local news! https://news.example.com/2024/05/new-cath-lab-opens"
    assert phi(engine, text, "url") == []


def test_a_relatives_new_number_is_still_a_patients_contact(engine: RiskEngine) -> None:
    text = "Her daughter called to update her father's contact details: new number (555) 555-0192."
    assert phi(engine, text, "phone") == ["(555) 555-0192"]
