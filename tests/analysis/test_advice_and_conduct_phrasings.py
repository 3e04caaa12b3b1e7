"""Advice to one person and unprofessional remarks in many phrasings (written for these tests), and
general education that is neither."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine

from .helpers import categories

ADVICE = [
    '@karen_r honestly just stop the metformin for a week and see if the nausea goes away.',
    '@tom that rash is definitely ringworm, grab some clotrimazole from the pharmacy.',
    "Replying to @jess: your son's fever of 104 is fine, no need for urgent care.",
    "DM me a picture of the mole and I'll tell you if it's cancer.",
    'Mike, you should double up on your blood pressure pill if you miss a dose.',
    "@anna_b you don't need the antibiotics your doctor gave you, it's viral.",
    'To the mom who messaged me: give your toddler adult Tylenol, just half a tablet.',
    '@rob sounds like a kidney stone, drink a ton of water and take ibuprofen.',
]

UNPROFESSIONAL = [
    # British and Irish swearing and drinking slang
    "What a load of shite from the rota team this week.",
    "Two more hours with this arsehole of a registrar.",
    "Fecking printer ate the discharge letters again.",
    "Came in a bit worse for wear after the Christmas do, ward round was a blur.",
    "Silly old bat in cubicle 4 wants her tea before her scan, again.",
    "The new charge nurse is bone idle, sat in the office all shift.",
    'This shift was a total clusterfuck from start to finish.',
    'Bed 12 is a whiny little princess who thinks this is the Ritz.',
    "Our new intern is dumb as a rock, can't even place an IV.",
    'Three glasses of wine deep and answering pages like a champ 🍷',
    "Surgeons are all arrogant jerks who can't talk to people.",
    'Another frequent flyer drunk in the ED again, these people never learn.',
    'Honestly some of these old ladies just want attention.',
    'Who the hell schedules a meeting at 7am after a night shift.',
]

SUBTLE_CONDUCT = [  # caught by the sentence classifier rather than a word list
    "Our new hospitalist is a walking malpractice suit, I swear.",
    "Had two glasses of wine at lunch, now rounding on my afternoon patients like a boss.",
    "Why do the bariatric patients always need the most help and complain the loudest.",
]

RESPECTFUL = [
    "Please don't call patients 'noncompliant'; ask what got in the way instead.",
    "Grateful for our pharmacy team, who answered every page tonight.",
    "Wine and cheese night for the nursing alumni association is this Friday!",
    "Our bariatric unit got new lifts, a big win for patient dignity and staff safety.",
    "Families who ask lots of questions are advocating for the people they love.",
]

EDUCATION = [
    "The thickest fog I have seen on the drive in this morning; take care on the roads.",
    "Muppet Christmas Carol on the children's ward tonight, popcorn provided!",
    "Our physios run a group for children with spastic diplegia every Tuesday.",
    "If you have chest pain, call 911; don't drive yourself to the ER.",
    'Talk to your doctor before stopping any medication.',
    'Our pharmacists share five tips for safe medication storage at home.',
    "Antibiotics don't work on viruses like colds and the flu.",
    'Join our free skin check event on Saturday; our dermatologists will be there.',
    "Wine tasting fundraiser for the children's hospital this Friday!",
    'Proud of our surgical residents for their compassion and skill.',
]


@pytest.mark.parametrize("text", ADVICE)
def test_advice_to_one_person_is_found(engine: RiskEngine, text: str) -> None:
    assert "medical_advice" in categories(engine.analyze(text))


@pytest.mark.parametrize("text", UNPROFESSIONAL + SUBTLE_CONDUCT)
def test_profanity_insults_and_drinking_at_work_are_found(engine: RiskEngine, text: str) -> None:
    assert "unprofessional" in categories(engine.analyze(text))


@pytest.mark.parametrize("text", EDUCATION)
def test_general_education_and_events_are_neither(engine: RiskEngine, text: str) -> None:
    assert not categories(engine.analyze(text)) & {"medical_advice", "unprofessional"}


@pytest.mark.parametrize("text", RESPECTFUL)
def test_respectful_talk_about_patients_colleagues_and_wine_nights_is_not_unprofessional(
    engine: RiskEngine, text: str
) -> None:
    assert "unprofessional" not in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "The grandma hugged me on the way out. I don't deserve these people.",
        "To our new interns: you will carry some of these people with you for years.",
    ],
)
def test_these_people_as_an_object_of_gratitude_or_care_is_not_discriminatory(engine: RiskEngine, text: str) -> None:
    assert "unprofessional" not in categories(engine.analyze(text))


def test_these_people_generalised_about_is_discriminatory(engine: RiskEngine) -> None:
    text = "Third overdose from that trailer park this week. Those people never learn."
    assert "unprofessional" in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "Couple of gins at lunch before afternoon clinic, we deserved it after that morning.",
        "Two pints with the registrars then straight back on the ward round, living the dream.",
        "Still three ciders deep when the night handover started, nobody noticed.",
        "Prosecco in the staff room before the 2pm list, happy Friday everyone.",
    ],
)
def test_drinking_before_or_during_a_list_clinic_or_round_is_found(engine: RiskEngine, text: str) -> None:
    # plural drinks (gins, pints, ciders) and a work word with a time in front ("afternoon clinic", "2pm list")
    assert "unprofessional" in categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text",
    [
        "No alcohol before theatre or clinic: the policy applies to everyone, including visiting consultants.",
        "Gins and tonics at the summer ball on Saturday, what a night, see you all on Monday.",
    ],
)
def test_drinks_away_from_work_or_in_a_policy_are_not_drinking_at_work(engine: RiskEngine, text: str) -> None:
    assert "unprof.sentence.drinking_at_work" not in [f.rule for f in engine.analyze(text)]


@pytest.mark.parametrize(
    "text",
    [
        "The vascular reg took three hours to answer a bleep. Genius level time management.",
        "Our new service manager wants us to do more with less. Sure. Inspirational stuff.",
        "Funny how the relatives who never visit are the first to complain about the food.",
    ],
)
def test_a_put_down_said_through_irony_is_unprofessional(engine: RiskEngine, text: str) -> None:
    # no insult word: the contempt is in "Genius level…", "Sure. Inspirational…", "Funny how…" aimed at people
    assert "unprof.sentence.sarcasm" in [f.rule for f in engine.analyze(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Brilliant! Our porters raised four thousand pounds for the children's ward.",
        "Oh great, the printer has eaten the discharge letters again. Genius design.",
        "Who knew the new rota software could crash twice before lunch.",
        "Riveting journal club today on sepsis bundles, thank you to our registrars.",
    ],
)
def test_praise_and_irony_at_machines_are_not_put_downs(engine: RiskEngine, text: str) -> None:
    assert "unprof.sentence.sarcasm" not in [f.rule for f in engine.analyze(text)]


def test_a_negation_earlier_in_the_sentence_does_not_excuse_an_insult_but_one_right_before_it_does(
    engine: RiskEngine,
) -> None:
    insult = "That manager has never once answered a bleep and is a useless coward."
    kinds = {f.kind for f in engine.analyze(insult) if f.category.value == "unprofessional"}
    assert "disparaging" in kinds  # the panel says it disparages someone, not only that its tone is off
    for respectful in ("I would never call a patient an idiot, whatever the day has been like.",
                       "Our nurses are not lazy, they are exhausted and short of staff."):
        assert "unprofessional" not in categories(engine.analyze(respectful)), respectful


# Advice given off duty to one person, reported by the poster or given at a glance from a photo they were sent
OFF_DUTY_ADVICE = [
    "My cousin asked at the wedding whether she still needs her amlodipine. I said she can stop it now.",
    "In the queue at the bakery I told the postman to halve his water tablets until the swelling goes.",
    "A mate texted me a photo of his daughter's arm at the footy. Ringworm, obviously, nothing to fuss over.",
    "My old flatmate showed me his ankle at the barbecue. Sprain, 100%, no need for an X-ray.",
]
# ... and what looks like it: a reminder, care on duty, lifestyle talk, verdicts on puppies and haircuts
NOT_OFF_DUTY_ADVICE = [
    "I told my sister to take her inhaler to the match.",
    "On the ward round I told my patient to stop her statin until the muscle aches settle.",
    "I told him to stop smoking years ago and he finally has.",
    "My sister sent me a photo of the new puppy. Adorable, obviously.",
    "A friend showed me her new haircut at brunch. Gorgeous, obviously.",
]


@pytest.mark.parametrize("text", OFF_DUTY_ADVICE)
def test_advice_given_off_duty_to_one_person_is_advice(engine: RiskEngine, text: str) -> None:
    assert "medical_advice" in categories(engine.analyze(text)), text


@pytest.mark.parametrize("text", NOT_OFF_DUTY_ADVICE)
def test_reminders_care_on_duty_lifestyle_talk_and_verdicts_on_puppies_are_not_advice(
    engine: RiskEngine, text: str
) -> None:
    assert "medical_advice" not in categories(engine.analyze(text)), text


def test_sending_one_person_to_ask_for_a_named_medicine_is_advice_but_ask_your_doctor_is_not(engine: RiskEngine) -> None:
    reply = "@dev_ran that blistering band on your side is shingles. Ask your pharmacist for aciclovir this morning."
    assert "advice.reply.ask_for_medicine" in {f.rule for f in engine.analyze(reply)}
    for general in ("If you have asthma, ask your GP for an inhaler review every year.",
                    "@jo ask your doctor whether the flu jab is right for you."):
        assert "medical_advice" not in categories(engine.analyze(general)), general


@pytest.mark.parametrize(
    "text",
    [
        "Vascular registrars are the thickest people ever to hold a bleep, honestly.",
        "Our theatre manager is a coward who vanishes whenever the list overruns.",
        "Typical southerner, can't handle a bit of rain on the ambulance bay.",
    ],
)
def test_plain_insults_and_regional_stereotypes_are_unprofessional(engine: RiskEngine, text: str) -> None:
    assert "unprofessional" in categories(engine.analyze(text)), text


def test_thick_snow_is_not_an_insult(engine: RiskEngine) -> None:
    assert "unprofessional" not in categories(engine.analyze("The nurses pushed through thick snow to get to work."))


@pytest.mark.parametrize(
    "text",
    [
        "I booked two days off after nights because I knew I'd be useless to anyone, and I slept most of both.",
        "On the way home I told the butcher my news and he gave me extra sausages for the team.",
    ],
)
def test_running_oneself_down_or_the_local_butcher_is_not_disparaging(engine: RiskEngine, text: str) -> None:
    assert "unprofessional" not in categories(engine.analyze(text)), text


def test_calling_a_surgeon_a_butcher_still_is(engine: RiskEngine) -> None:
    assert "unprofessional" in categories(engine.analyze("That surgeon is an absolute butcher and the whole ward knows it."))
