"""Patient stories and identifiers in many phrasings (written for these tests), and posts that are clean."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine

from .helpers import categories

STORIES = [
    'Had a kiddo on the unit today who made me a paper crown before his surgery.',
    "The lady in bed 4 asked me to brush her hair because her daughter couldn't come.",
    'Delivered a 10 lb baby at 3am to a mom who pushed for four hours. Legend.',
    'My 80-year-old patient cried when I told her the biopsy was clear.',
    'Sat with a veteran tonight who had no family left while he passed.',
    'He came in by ambulance after a rollover and kept apologizing for bleeding on my shoes.',
    'Still thinking about the teenager we lost in the trauma bay on Sunday.',
    "Last week I removed a fishhook from a little boy's eyelid and he gave me a high five.",
    'Our longest NICU stay this year finally went home after 132 days!',
    "A sweet grandmother told me I had her late husband's smile while I placed her IV.",
    'One of my dialysis patients brought me tamales for Christmas.',
    'Just finished a 9 hour Whipple on a 52 year old teacher.',
]

IDENTIFIERS = [
    "Please pray for my patient John Carver, he's having surgery tomorrow.",
    'Her daughter Emily set up a page at gofundme.example.com/emily-mom.',
    'The patient in room 418B kept calling me by my first name.',
    'Mrs. Patel, who turned 101 last week, still walks the halls every morning.',
    'He was admitted on 3/14/2025 with a broken hip.',
    "We're trying to reach the family of a man found near Elm Street and 5th Avenue.",
    "The patient's MRN is 00442197 and he needs a bed on 6 North.",
    "Call the patient's wife at (555) 555-0143, she's asking for updates.",
]

NAMED_PEOPLE = [
    ('Huge congrats to little Sofia Ramirez on ringing the bell after her last chemo!', 'Sofia Ramirez'),
    ('Please keep Tomasz in your thoughts, he goes into surgery tomorrow morning.', 'Tomasz'),
    ('Grandma Edith turned 97 on the ward today and we threw her a party.', '97'),
    ('We sang happy birthday to Mr. Okonkwo in bed 14.', 'Okonkwo'),
    ('Our patient Dolores, who is 94, walked the whole hallway today!', '94'),
    ('My patient from Cedar Rapids drove four hours for her follow-up.', 'Cedar Rapids'),
    ('A man brought in from the Elm Grove trailer park after the storm needed stitches.', 'Elm Grove'),
    ('He was admitted on October 3rd after a fall at home.', 'October 3rd'),
    ('She was born on 4/12/1931 and still does the crossword in pen.', '4/12/1931'),
    ('The twins were delivered on Christmas morning at 32 weeks.', 'Christmas'),
    ('Her surgery is scheduled for next Thursday.', 'Thursday'),
    ('The patient lives on Maple Avenue near the high school.', 'Maple Avenue'),
    ('Jaylen, our 8-year-old burn patient, finally went home.', 'Jaylen'),
    ('Mrs. K. from room 9 sent us cookies.', 'room 9'),
    ("Shoutout to Brianna's mom, who never left her side in the PICU.", 'Brianna'),
    ("Baby Noah's parents asked us to share his story.", 'Noah'),
    ('Emergency crews brought a teenager from Westfield High to our trauma bay.', 'Westfield'),
    ("The patient's daughter, Keisha Thompson, asked us to post this thank-you.", 'Keisha Thompson'),
    ('We discharged Mr. Haddad on Friday after 40 days with us.', 'Haddad'),
    ('Pray for Ruthie, 91, who fell at her home in Oak Park.', 'Oak Park'),
]

PATIENT_DATES = [
    ('She came in on the 14th with chest pain and went home on the 19th.', '14th'),
    ('He was admitted 03/02 and extubated two days later.', '03/02'),
    ('Our patient celebrated one year cancer-free on June 5.', 'June 5'),
    ('The baby arrived at 2:14 a.m. on Sunday, weighing 7 lbs.', 'Sunday'),
    ('Mr. Ito had his transplant on 9/21/24.', '9/21/24'),
    ('We lost her on the morning of March 3rd.', 'March 3rd'),
    ('He presented to our ED last Friday night after a fall.', 'Friday'),
    ('The little girl we treated over Labor Day weekend sent us a card.', 'Labor Day'),
    ('Her due date was Jan 30 but the twins came early.', 'Jan 30'),
    ('After surgery on the 2nd, he walked the halls by the 4th.', '2nd'),
    ('The patient was discharged yesterday, 11/26, after a long stay.', '11/26'),
    ("This mom delivered on New Year's Day, our first baby of 2026!", "New Year's Day"),
    ('Treated a boy from the July 4th fireworks accident.', 'July 4th'),
    ("She's been with us since mid-September, fighting every day.", 'September'),
    ('He was born in 1931 and still flirts with every nurse.', '1931'),
]

PATIENT_PLACES_AND_LINKS = [
    ('Her family set up a page for her medical bills: https://www.gofundme.com/f/help-maria-heal', 'gofundme'),
    ("Follow Liam's recovery at liamstrong.example.com, his parents post updates daily.", 'liamstrong.example.com'),
    ('You can send cards to his family via https://caringbridge.org/visit/jamesrecovery', 'caringbridge'),
    ("Our patient's daughter made a tribute video: youtube.com/watch?v=abc123", 'youtube.com'),
    ('The patient was found near the Riverside Mall parking garage.', 'Riverside Mall'),
    ('A farmer from outside Dubuque came in with a crush injury.', 'Dubuque'),
    ('She lives at 42 Orchard Lane, so the ambulance got there fast.', '42 Orchard Lane'),
    ('Our patient from Sunnyvale Manor nursing home turned 100 today.', 'Sunnyvale Manor'),
    ('The teen was hurt at the skate park on 5th Street.', '5th Street'),
    ('He drove himself in from Millersburg with a nail in his hand.', 'Millersburg'),
    ('The family lives in zip code 60614 and needs a ride home.', '60614'),
    ('The patient in ICU bed 7 finally smiled today.', 'bed 7'),
]

NAMES_IN_PASSING = [
    ('Got to watch Maya take her first steps after the amputation today.', 'Maya'),
    ('Mr. and Mrs. Delacroix renewed their vows in the ICU last night.', 'Delacroix'),
    ('Wishing a speedy recovery to our friend Coach Dan Mitchell after his heart surgery.', 'Dan Mitchell'),
    ('Happy 100th to Gladys on 3 North!', 'Gladys'),
    ('Rest in peace, Tony. You fought so hard.', 'Tony'),
    ('Ethan, age 6, wants everyone to know he was very brave for his shots.', 'Ethan'),
    ('Shout out to patient Marcus J. for finishing cardiac rehab!', 'Marcus'),
    ('Little Zoe rang the bell with her whole family cheering.', 'Zoe'),
    ('Our sweet Mrs. P. went home to hospice this morning.', 'Mrs. P.'),
    ('Remembering Harold, who spent his last days with us and told the best jokes.', 'Harold'),
]

CLEAN = [
    'Our cardiology team welcomed three new fellows this week.',
    'Grand rounds Thursday: Dr. Amy Chen on sepsis bundles, room 210 of the education center.',
    'Flu season is here; most adults should get vaccinated by the end of October.',
    'I love teaching residents how to deliver bad news with compassion.',
    'We hit 1,000 robotic surgeries this year, thank you to the whole OR team.',
    'Congrats to Maria Lopez, RN, on her DAISY award!',
    'Imagine a 60-year-old man with chest pain: what is your first step?',
    'Patients with diabetes should have their feet checked at every visit.',
    'Our hospital was ranked among the top 50 for cardiac care.',
    'No patient details are ever shared on this page.',
    'Our audit of early mobility for ventilated patients is at the regional study day (Friday, Room 12).',
]


@pytest.mark.parametrize("text", STORIES)
def test_stories_about_one_patient_are_found(engine: RiskEngine, text: str) -> None:
    assert "patient_story" in categories(engine.analyze(text))


@pytest.mark.parametrize("text", IDENTIFIERS)
def test_identifiers_of_a_patient_are_found(engine: RiskEngine, text: str) -> None:
    assert "phi" in categories(engine.analyze(text))


@pytest.mark.parametrize("text", CLEAN)
def test_staff_news_events_education_and_teaching_cases_are_clean(engine: RiskEngine, text: str) -> None:
    assert engine.analyze(text) == []


@pytest.mark.parametrize(
    ("text", "identifier"), NAMED_PEOPLE + PATIENT_DATES + PATIENT_PLACES_AND_LINKS + NAMES_IN_PASSING
)
def test_names_ages_dates_and_places_of_patients_are_highlighted(engine: RiskEngine, text: str, identifier: str) -> None:
    spans = [f.text for f in engine.analyze(text) if f.category.value == "phi"]
    assert any(identifier in span or span in identifier for span in spans), spans


def test_a_birth_year_is_an_identifier_only_when_it_makes_the_person_older_than_89(engine: RiskEngine) -> None:
    assert "phi" not in categories(engine.analyze("She was born in 1990 and just finished nursing school."))


@pytest.mark.parametrize(
    "text",
    [
        "Bed 14 in the ED asked me if I was old enough to be a nurse.",
        "The gentleman in room 22 told me he hasn't had a visitor in a month.",
        "Prayers for Tevita, who came to us after the house fire with burns on both hands.",
        "Our little warrior Sunniva needs one more surgery before spring.",
    ],
)
def test_a_patient_pointed_at_by_bed_or_name_and_what_happened_is_a_story(engine: RiskEngine, text: str) -> None:
    assert "patient_story" in {f.category.value for f in engine.analyze(text)}


@pytest.mark.parametrize(
    "text",
    [
        "Room 12 on our unit is being repainted this week, sorry for the noise.",
        "Every room on 4 West now has a bed alarm, a lift and a window that opens.",
    ],
)
def test_rooms_without_a_person_are_not_a_story(engine: RiskEngine, text: str) -> None:
    assert "patient_story" not in {f.category.value for f in engine.analyze(text)}


def test_calling_ones_own_family_is_not_a_patient_encounter(engine: RiskEngine) -> None:
    assert "patient_story" not in categories(engine.analyze("After the debrief I called my mum and cried."))
    assert "patient_story" in categories(engine.analyze("Last night I intubated my youngest patient ever."))


def test_an_age_in_words_is_a_person_in_an_encounter(engine: RiskEngine) -> None:
    text = "Discharged a hundred-and-two-year-old today who asked to keep the hospital socks for dancing."
    assert "patient_story" in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "A nurse on 4 North was shoved by a visitor at 2am.",
        "We ran the stroke unit at one nurse to seven patients last night.",
    ],
)
def test_staff_in_an_incident_or_a_ratio_is_not_a_patient_story(engine: RiskEngine, text: str) -> None:
    assert "patient_story" not in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "A 45-year-old presenting on 03/12/2023 with crushing chest pain.",
        "Chemo session on 14 March went well for the patient in bay 2.",
    ],
)
def test_clinical_presentations_and_sessions_are_not_events(engine: RiskEngine, text: str) -> None:
    assert "date" in {f.kind for f in engine.analyze(text) if f.category.value == "phi"}
