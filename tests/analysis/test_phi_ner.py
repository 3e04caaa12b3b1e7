"""Pretrained NER (en_core_web_md) for names and places in a patient context: what it adds to the rules,
and the gates it shares with them (staff, the poster's family, events, our own places)."""

from __future__ import annotations

import shutil

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.phi_ner import load_ner, model_folder
from medshare_desktop.analysis.pipeline import build_pipeline


@pytest.fixture(scope="module")
def rules_only() -> RiskEngine:
    return RiskEngine(nlp=build_pipeline(ner_folder="none"))


def _phi(engine: RiskEngine, text: str, kind: str) -> list[str]:
    return [f.text for f in engine.analyze(text) if f.category.value == "phi" and f.kind == kind]


def test_the_vendored_model_tags_unseen_towns_and_names():
    ner = load_ner()
    assert ner is not None and ner.pipe_names == ["ner"]  # parser, tagger… are neither shipped nor built
    doc = ner("Saw Mr Oyelaran today, who grew up in Kinsale and moved to Duluth in 1972.")
    labels = {ent.text: ent.label_ for ent in doc.ents}
    assert labels.get("Oyelaran") == "PERSON"
    assert labels.get("Kinsale") == "GPE" and labels.get("Duluth") == "GPE"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        # a relative's unusual name, no title or lexicon word to give it away
        ("The patient kept asking for Thaddeus, his late brother, all through the night.", "name", "Thaddeus"),
        ("Sat with old Cornelius Abernathy-Pike while he waited for his biopsy results.", "name", "Cornelius"),
        # an invented quay a patient walks along; a facility a patient was sent to
        (
            "Discharged a lovely man today who walks his dog along Fennimore Quay every morning.",
            "location",
            "Fennimore",
        ),
        ("The patient was transferred to Pinecastle General overnight and is stable.", "location", "Pinecastle"),
        # a rare name opening the sentence (an opening word is capitalised anyway, so only a word English hardly
        # knows sends the sentence to the NER)
        ("Keturah rang me at 3 a.m. to say her waters had gone, so I drove out to the farm.", "name", "Keturah"),
    ],
)
def test_names_and_places_the_rules_missed_in_a_patient_context(engine, rules_only, text, kind, value):
    assert not any(value in found for found in _phi(rules_only, text, kind))
    assert any(value in found for found in _phi(engine, text, kind))


@pytest.mark.parametrize(
    "text",
    [
        # staff and the poster's own family
        "Our physio Anneliese Trombley got the patient walking again today.",
        "Huge thanks to our charge nurse Imelda Voskuijlen for sitting with the patient in the side room.",
        "Dr. Okonkwo-Reyes and I rounded on the new patient together.",
        "My brother Kevin flew in from Quellinford after my dad's surgery.",
        # public places of events, our conference's town
        "Our fundraiser walk in Quellinford raised $4,000 for the patients' fund this weekend.",
        "The hospital's 5k fun run along Fennimore Quay raised money for patients' families.",
        "Presenting our sepsis data at our conference in Harrogate next week, all patient outcomes improved.",
        # a pet's name; a sign named after a person; a country
        "The patient's dog is named Biscuit Wellington and he visits on Sundays.",
        "His exam showed a positive Chaddock sign, so the patient went for an MRI.",
        "The patient flew home to Portugal with her husband after discharge.",
        # common words opening a sentence about patients
        "Shoutout to the night team, who admitted nine patients without a single complaint.",
        # a medicine the NER may take for a person
        "Her husband says the patient tolerated Dapagliflozin better than Sitagliptin.",
    ],
)
def test_no_patient_name_or_place_for_staff_family_events_or_things(engine, text):
    assert _phi(engine, text, "name") == [] and _phi(engine, text, "location") == []


def test_posts_about_no_patient_never_reach_the_ner(engine):
    component = engine.nlp.get_pipe("medshare_ner")
    doc = engine.nlp.make_doc("Grand rounds with Professor Ilse Marchetti in Harrogate were brilliant.")
    for _, step in engine.nlp.pipeline:
        if step is component:
            break
        doc = step(doc)
    assert component._sentences(doc) == []


def test_the_engine_runs_on_its_rules_when_the_model_folder_is_missing(tmp_path):
    engine = RiskEngine(nlp=build_pipeline(ner_folder=str(tmp_path / "no_such_model")))
    findings = engine.analyze("Mrs. Alvarez in room 412 was discharged on March 3; call her at 555-201-3344.")
    kinds = {f.kind for f in findings if f.category.value == "phi"}
    assert {"name", "phone", "date"} <= kinds
    assert engine.nlp.get_pipe("medshare_ner").ner is None


def test_a_damaged_model_folder_leaves_the_rules_running(tmp_path):
    vendored = model_folder()
    damaged = tmp_path / "en_core_web_md"
    (damaged / "ner").mkdir(parents=True)
    for name in ("config.cfg", "meta.json", "tokenizer", "ner/cfg", "ner/moves"):
        shutil.copy(vendored / name, damaged / name)
    (damaged / "ner" / "model").write_bytes((vendored / "ner" / "model").read_bytes()[:1000])  # cut short
    engine = RiskEngine(nlp=build_pipeline(ner_folder=str(damaged)))
    assert engine.nlp.get_pipe("medshare_ner").ner is None
    assert any(f.kind == "name" for f in engine.analyze("Mrs. Alvarez was discharged home today after her surgery."))


def test_batch_and_single_analysis_agree(engine):
    texts = [
        "The patient kept asking for Thaddeus, his late brother, all through the night.",
        "Proud of our cardiology team for another year of great outcomes.",
        "Discharged a lovely man today who walks his dog along Fennimore Quay every morning.",
    ]
    assert engine.analyze_many(texts) == [engine.analyze(text) for text in texts]
