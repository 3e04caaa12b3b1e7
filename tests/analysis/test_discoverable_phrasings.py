"""Discoverable statements in many phrasings (written for these tests), and near-misses that are not."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine

from .helpers import categories, kinds

ADMISSIONS = [
    'Pulled a 28 hour call and then got asked to stay for clinic.',
    'Three doubles this week and I genuinely nodded off charting at the nurses station.',
    "I'm so sleep deprived I almost gave the wrong patient's meds.",
    'Sixth night in a row, my hands are shaking from the coffee.',
    'Been awake since 5am yesterday, still rounding.',
    'I could barely keep my eyes open during the last case.',
    'Mandatory overtime again, 16 hours today and no break.',
    'No lunch, no pee break, 14 hours straight.',
    'I gave the wrong dose of heparin last night and had to file an incident report.',
    "We amputated the wrong toe and the family doesn't know yet.",
    'I forgot to check the potassium and he went into v-fib.',
    "Honestly the miss was mine, I didn't look at the scan closely enough.",
    'Our pharmacy sent up the wrong concentration and I hung it before I noticed.',
    'The patient fell because nobody answered the call light for 40 minutes.',
    "We had 9 patients each tonight, it's not safe.",
    "Nurse to patient ratio on our floor is 1:8 and management won't budge.",
    'Our ER had a 14 hour wait tonight and people were leaving without being seen.',
    'They cut two techs from our unit and now nobody can turn patients on time.',
    'We are down three nurses and the charge nurse has a full assignment.',
    "The defibrillator on our crash cart didn't charge during the code.",
    'Our oxygen supply ran out in the middle of the night and we had to borrow tanks.',
    "We've been reusing N95s for a week because the hospital ran out.",
    'The elevator to the OR was broken so we carried a patient down four flights.',
    "Our Pyxis has been down since Friday and we're pulling meds from a paper log.",
    'Half of our IV pumps are broken and biomed says next month.',
    'The ICU has been boarding patients in the PACU for three days because there are no beds.',
]

SUBTLE_ADMISSIONS = [
    "It's me and one other nurse for the whole step-down unit tonight.",
    "We've been short four techs on days since August.",
    "Eight patients and no aide again, love that for us.",
    "Third assault on our unit this month and still no security at the door.",
    "Two surgeries delayed because the only C-arm was in the other room again.",
    "Looking back, I should have escalated when her pressure first dropped.",
    "No one reconciled his home meds, so he got both blood thinners for three days.",
    'Charted my last note at 4am and was back for rounds at 7.',
    'Ran the whole unit with two nurses and a prayer last night.',
    "Pharmacy has been out of IV potassium for a week and we're improvising.",
    "I still think about the time I didn't push for that CT.",
    "Worked 80 hours this week and I can't remember my last day off.",
    "By the end of the case I wasn't sure my hands were steady.",
    "We're drowning up here and nobody from leadership has come to see it.",
    'Our call schedule has me on every other night this month.',
    'I charted a med I never actually gave because I was so behind.',
    "They keep floating me to units I've never been trained on.",
    'I closed my eyes for a second at a red light on the drive home after call.',
    'We waited 45 minutes for a transport tech while the patient was crashing.',
    'The wrong blood type was hung and we only caught it because she started reacting.',
    'Our unit has one working vitals machine for 30 patients.',
    'Management told us to stop reporting falls because it makes the numbers look bad.',
    'My hands were shaking from the third coffee by the time I started the central line.',
    "I was so tired I put the wrong patient's label on the blood sample.",
    'The monitors in our step-down unit keep losing signal and nobody fixes them.',
    "There was no interpreter available so I used the patient's 10-year-old to translate.",
    'I signed out the wrong plan for bed 7 and the night team followed it.',
]

NOT_ADMISSIONS = [
    "Nobody checked in on me after my first code, so now I check in on every new grad.",
    'Sleep is a patient safety issue; our new call schedule gives residents protected sleep.',
    'We celebrated zero central line infections for twelve months on our unit.',
    'Interpreters are available 24/7 at our hospital, just ask your nurse.',
    'Our new rapid response team cut codes outside the ICU by a third.',
    'Nursing leadership rounded on every unit this week to hear staff ideas.',
    'Proud of our night shift team for another safe quarter with zero falls.',
    'Join us for our fall prevention workshop on Tuesday.',
    'Tips for new nurses: sleep hygiene matters on night shift.',
    'Our hospital is hiring nurses for the ICU, great ratios and support.',
    "Research shows that 12-hour shifts increase fatigue; here's what our unit changed.",
    'Medication errors are a system problem; our new barcode scanning cut them by half.',
    'Grateful for the biomed team who fixed every pump in record time.',
    'New study on resident duty hours published this week in JAMA.',
    'Remember to take your breaks, your patients need you rested.',
    'Happy Nurses Week to the most dedicated staff in the state!',
]


@pytest.mark.parametrize("text", ADMISSIONS + SUBTLE_ADMISSIONS)
def test_fatigue_errors_staffing_and_safety_complaints_are_found(engine: RiskEngine, text: str) -> None:
    assert "discoverable" in categories(engine.analyze(text))


@pytest.mark.parametrize("text", NOT_ADMISSIONS)
def test_research_quality_work_and_praise_are_not_discoverable(engine: RiskEngine, text: str) -> None:
    assert "discoverable" not in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "Just came off a 26-hour shift and I can't feel my face.",
        "I did five 12-hour nights in a row before anyone noticed.",
        "We worked 18 hours straight when the storm hit.",
    ],
)
def test_long_and_back_to_back_shifts_are_fatigue(engine: RiskEngine, text: str) -> None:
    assert "discoverable" in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "Morning walk before a 12-hour shift, the gardens are blooming.",
        "Morning walk before my next 12-hour shift, the gardens are lovely.",
        "The new station has living quarters for crews on 24-hour shifts.",
        "The school jazz band played in the atrium for two hours straight.",
    ],
)
def test_ordinary_shifts_and_schedules_are_not_fatigue(engine: RiskEngine, text: str) -> None:
    assert "discoverable" not in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "When I make a mistake, I tell the patient and the family the same day.",
        "The bill protects nurses who report unsafe assignments.",
    ],
)
def test_habits_and_policy_about_errors_and_staffing_admit_nothing(engine: RiskEngine, text: str) -> None:
    assert "discoverable" not in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "When I missed the bleed on his scan, I told the family myself.",
        "We had unsafe staffing again last night.",
    ],
)
def test_a_specific_error_or_complaint_is_still_found(engine: RiskEngine, text: str) -> None:
    assert "discoverable" in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "Night staff: if you've been awake for twenty hours, ask a colleague to check your doses.",
        "We look out for each other and speak up when someone's not sleeping.",
        "Winter nights on the ward are for the people who can't sleep because they can't breathe.",
    ],
)
def test_tiredness_of_a_generic_you_or_of_other_people_is_no_admission(engine: RiskEngine, text: str) -> None:
    assert "discoverable" not in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "If you'd told me at med school I'd be awake for 30 hours on call, I'd have laughed.",
        "Selfie: the face of someone who hasn't slept in 31 hours and still has a list to round on.",
    ],
)
def test_the_authors_own_tiredness_after_a_generic_clause_is_still_found(engine: RiskEngine, text: str) -> None:
    assert "discoverable" in categories(engine.analyze(text))


def test_hours_without_rest_are_fatigue_but_hours_without_complaint_are_not(engine: RiskEngine) -> None:
    assert "fatigue" in kinds(engine.analyze("Sixteen hours without a break on the ward again."), "discoverable")
    text = "The farmer with the broken wrist sat four hours without complaint and thanked everyone."
    assert "fatigue" not in kinds(engine.analyze(text), "discoverable")


@pytest.mark.parametrize(
    "text",
    [
        "One of our ladies slid to the floor during a transfer this morning.",
        "A gentleman in bay 6 climbed out on his own and fell, because the bed alarm has been broken for a week.",
    ],
)
def test_a_fall_in_our_care_is_discoverable(engine: RiskEngine, text: str) -> None:
    assert "discoverable" in categories(engine.analyze(text)), text


@pytest.mark.parametrize(
    "text",
    [
        "He fell off a ladder at home and came to us on the ward with a broken hip.",
        "A lovely old fella in bed 11 held my hand at 3am and told me about his wedding.",
        "Falls prevention week: most falls on the ward happen at night, so check your bed alarms.",
    ],
)
def test_how_someone_was_hurt_before_they_came_in_or_falls_in_general_are_not(engine: RiskEngine, text: str) -> None:
    assert "discoverable" not in categories(engine.analyze(text)), text


def test_a_near_miss_said_without_i_is_still_an_admitted_error(engine: RiskEngine) -> None:
    text = "Nearly dispensed a tenfold dose of methotrexate for a lady in a care home this week."
    kinds_found = {f.kind for f in engine.analyze(text) if f.category.value == "discoverable"}
    assert "admitted_error" in kinds_found  # named as the error it is, not only a "possible admission"
