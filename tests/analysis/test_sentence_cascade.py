"""The cascade: fatigue on duty said in many ways is found, tiredness off duty is not, and the engine
still runs without the sentence encoder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.pipeline import build_pipeline

DATA = Path(__file__).resolve().parents[1] / "data"


def _discoverable(engine: RiskEngine, text: str) -> bool:
    return any(f.category.value == "discoverable" for f in engine.analyze(text))


def test_the_plainest_remark_about_no_sleep_on_call_is_found(engine: RiskEngine) -> None:
    # the example: no fatigue word the rules know, and the textcat alone gave no finding
    assert _discoverable(engine, "Didn't get a great sleep on call last night. Three cases this morning.")


def test_nine_in_ten_phrasings_of_our_fatigue_validation_list_are_found(engine: RiskEngine) -> None:
    rows = [json.loads(line) for line in (DATA / "fatigue_validation.jsonl").read_text("utf-8").splitlines() if line]
    on_duty = [row["text"] for row in rows if row["on_duty_fatigue"]]
    found = [text for text in on_duty if _discoverable(engine, text)]
    assert len(found) >= 0.9 * len(on_duty), sorted(set(on_duty) - set(found))


@pytest.mark.parametrize(
    "text",
    [
        "Jet lag has me exhausted, glad this is a week off.",
        "Tired after a long hike with the dog, Sunday well spent.",
        "Spent my day off napping on the sofa and it was glorious.",
        "The baby finally slept through the night and so did we!",
        "Our wellness committee is running a session on sleep hygiene for shift workers next Thursday.",
        "Insomnia is common in menopause; talk to your doctor if it lasts.",
    ],
)
def test_tiredness_off_duty_or_in_general_is_not_an_admission(engine: RiskEngine, text: str) -> None:
    assert not _discoverable(engine, text)


def test_the_engine_runs_on_the_textcat_and_rules_when_the_encoder_folder_is_missing(tmp_path: Path) -> None:
    nlp = build_pipeline()
    nlp.replace_pipe("medshare_sentence_model", "medshare_sentence_model", config={"encoder": str(tmp_path / "gone")})
    component = nlp.get_pipe("medshare_sentence_model")
    assert component.head is None and component.model is not None
    engine = RiskEngine(nlp=nlp)
    found = engine.analyze("Barely slept, 30 hours on call and I'm scrubbing in for the next case.")
    assert {f.category.value for f in found} == {"discoverable"}  # the rules still find it
    engine.reload_head(None)  # asking for the shipped head without an encoder leaves the textcat alone
    assert component.head is None
    assert engine.analyze("Lovely sunset over the car park tonight.") == []
