"""Paragraphs about the poster's own family or the hospital's own people are not patient PHI or stories;
a patient beside them, or one of our people in our care, still is."""

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


OUR_PEOPLE = (
    "Lobby news!\n\n"
    "Our volunteer Bernard turned 91 on Tuesday and has been with us since 1997, pushing the library cart "
    "from Hollins Ward to the café every morning."
)


def test_a_paragraph_about_a_volunteer_has_no_patient_phi_or_story(engine: RiskEngine) -> None:
    found = engine.analyze(OUR_PEOPLE)
    assert not kinds(found, "phi") & {"name", "date", "location", "age"}
    assert "patient_story" not in categories(found)


def test_one_of_our_people_in_our_care_is_still_a_patient(engine: RiskEngine) -> None:
    text = (
        "Our ward clerk Marguerite collapsed at the front desk on Thursday night. She is 91 and has been with us "
        "since 1997; she was intubated in resus and is now in CCU bed 6."
    )
    assert {"age", "location"} <= kinds(engine.analyze(text), "phi")


def test_a_colleague_named_after_a_comma_is_one_of_our_people(engine: RiskEngine) -> None:
    text = (
        "First year as a nurse, looking back.\n\n"
        "My preceptor, Wilhelmina, never let me give up. She sat with me after my first death and told me it "
        "gets easier to carry. She showed me how to call a rapid response without apologising."
    )
    found = engine.analyze(text)
    assert "patient_story" not in categories(found)
    assert "name" not in kinds(found, "phi")


def test_a_friend_or_neighbour_is_not_a_patient_but_advice_to_them_is_still_advice(engine: RiskEngine) -> None:
    """The label scheme: friends, neighbours and relatives who ask the poster are not the poster's patients, so
    their names, dates and stories are not patient PHI; telling them what to do is still medical advice."""
    for text in (
        "My neighbour Gwilym rang on Sunday after his fall in Pentre Ifan; he is 93 and black and blue.",
        "My best friend's little boy, Osian, came off his scooter on Tuesday and split his chin.",
        "My cousin Delyth was admitted to Brynmawr General on Friday with her gallbladder again.",
    ):
        found = engine.analyze(text)
        assert not kinds(found, "phi") & {"name", "date", "location", "age"}, text
        assert "patient_story" not in categories(found), text
    advice = "My neighbour Gwilym asked about his chest pain: stop the ibuprofen and double your omeprazole tonight."
    assert "medical_advice" in categories(engine.analyze(advice))


def test_a_retired_colleague_or_a_founder_is_one_of_our_people_unless_in_our_care(engine: RiskEngine) -> None:
    for text in (
        "Our oldest retired midwife, Peggy Arkwright, who is 102, cut the ribbon on the new hospital garden.",
        "Dr. Ansel Thorne, who founded our hospice in 1979, died peacefully on 4 June, aged 94.",
    ):
        assert not kinds(engine.analyze(text), "phi") & {"name", "date", "age"}, text
    in_care = "A retired nurse, Mrs Hale, was admitted on 3 May with a stroke and is on 5 East."
    assert {"date", "location"} <= kinds(engine.analyze(in_care), "phi")


def test_the_posters_own_diagnosis_is_not_patient_phi(engine: RiskEngine) -> None:
    text = "I was diagnosed with type 1 diabetes on 14 October 1999, aged 9, at the hospital where I now work."
    assert not kinds(engine.analyze(text), "phi") & {"date", "location", "age"}
    patient = "My patient was diagnosed with type 1 diabetes on 14 October, aged 9, and went home today."
    assert "date" in kinds(engine.analyze(patient), "phi")


def test_a_family_word_the_poster_denies_is_not_their_family(engine: RiskEngine) -> None:
    text = (
        "I will never forget Uncle Tomasz — not my uncle, it is what the whole ward called him. He spent his last "
        "weeks with us on the oncology unit. His granddaughter Wiktoria painted his nails gold the night before he passed."
    )
    found = engine.analyze(text)
    assert {f.text for f in found if f.category.value == "phi"} >= {"Uncle Tomasz", "Wiktoria"}
    assert "patient_story" in categories(found)
    own = text.replace("I will never forget Uncle Tomasz — not my uncle, it is what the whole ward called him.",
                       "My uncle Tomasz was in hospital this autumn.")
    assert not kinds(engine.analyze(own), "phi") & {"name"}  # the poster's own uncle: theirs to tell


def test_a_patient_brought_in_after_an_accident_is_not_one_of_our_people(engine: RiskEngine) -> None:
    text = (
        "Two years ago I was the student nurse on a spinal unit, supervised by my clinical educator, Hollis, when "
        "a 16-year-old girl called Temperance came in after a riding accident near Ashcombe Down. She could not "
        "move her legs. Last week she walked into her graduation."
    )
    found = engine.analyze(text)
    assert "Temperance" in {f.text for f in found}
    assert "patient_story" in categories(found)


def test_the_posters_mum_called_mum_is_their_own_family(engine: RiskEngine) -> None:
    text = ("Dad's knee replacement went perfectly at Harcourt General on Monday and he was up and walking with a "
            "frame by teatime. Mum is thrilled.")
    found = engine.analyze(text)
    assert "patient_story" not in categories(found)
    assert not kinds(found, "phi") & {"date"}


def test_a_patients_mum_and_dad_at_a_scan_or_a_birth_stay_a_patient_story(engine: RiskEngine) -> None:
    scan = ("Scan this morning on our unit: surprise twins for the couple in room 2. Dad sat on the floor. Mum said she "
            "had known all along.")
    assert "patient_story" in categories(engine.analyze(scan))
    birth = "Baby Rosalind arrived on Tuesday after a long labour in room 4. Mum and baby are doing well."
    assert "date" in kinds(engine.analyze(birth), "phi")


def test_a_neighbour_asking_over_the_fence_is_not_a_patient_story(engine: RiskEngine) -> None:
    text = "Neighbour showed me his swollen ankle over the fence this morning. He is convinced it is gout."
    assert "patient_story" not in categories(engine.analyze(text))


def test_an_elderly_patient_the_ward_calls_uncle_asking_the_poster_is_still_a_story(engine: RiskEngine) -> None:
    text = "The uncle in ward 5 asked me to read him the cricket scores at 3am, and he cried when we won."
    assert "patient_story" in categories(engine.analyze(text))
