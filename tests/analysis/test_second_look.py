"""A sentence can be a patient story and an admitted error at once (`SentenceModelComponent._second_look`):
where a rule found the story, the encoder used to skip the sentence, so the error in it went unflagged.
The shipped head now looks again for "discoverable" in such sentences (`gate.second_look` in head.json).

The texts were written for this test (not taken from any evaluation or development list)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.sentence_head import shipped_head_dir

ERRORS_IN_STORIES = [
    "My patient in bed 6 got the wrong insulin dose from me this morning before I noticed the label.",
    "The old chap in cubicle 5 waited all night for his pain relief because I never wrote it up.",
    "The teenager in bay 3 went to theatre without his consent form signed because I missed it.",
]
PLAIN_STORIES = [
    "An elderly gentleman in bay 4 told me all about his allotment this morning.",
    "A lovely lady in bed 3 went home today after three weeks with us.",
]


def _rules(engine: RiskEngine, text: str, category: str) -> list[str]:
    return [f.rule for f in engine.analyze(text) if f.category.value == category]


@pytest.mark.parametrize("text", ERRORS_IN_STORIES)
def test_an_error_told_as_a_patient_story_is_flagged_as_discoverable(engine: RiskEngine, text: str) -> None:
    assert _rules(engine, text, "patient_story"), "the story itself is still found"
    findings = [f for f in engine.analyze(text) if f.category.value == "discoverable"]
    assert [f.rule for f in findings] == ["model.second.discoverable"]
    assert findings[0].text.rstrip(".") == text.rstrip(".")  # the whole sentence is marked
    assert "litigation" in findings[0].message and findings[0].suggestion  # explained like any possible admission


@pytest.mark.parametrize("text", PLAIN_STORIES)
def test_a_story_with_no_error_in_it_is_only_a_story(engine: RiskEngine, text: str) -> None:
    assert _rules(engine, text, "patient_story")
    assert _rules(engine, text, "discoverable") == []


def test_a_hypothetical_story_gets_no_second_look(engine: RiskEngine) -> None:
    text = "Imagine the patient in bed 6 got the wrong insulin dose from you before you noticed the label."
    assert "model.second.discoverable" not in _rules(engine, text, "discoverable")


def test_the_second_look_is_a_setting_of_the_head(engine: RiskEngine, tmp_path: Path) -> None:
    # a head whose head.json has no second look (a team's head could drop it) leaves the error unflagged
    shipped = shipped_head_dir()
    settings = json.loads((shipped / "head.json").read_text("utf-8"))
    assert settings["gate"]["second_look"] == {"discoverable": {"floor": 0.15, "threshold": 0.4}}
    folder = tmp_path / "head"
    folder.mkdir()
    shutil.copy(shipped / "head.npz", folder / "head.npz")
    del settings["gate"]["second_look"]
    (folder / "head.json").write_text(json.dumps(settings), encoding="utf-8")
    engine.reload_head(folder)
    try:
        assert _rules(engine, ERRORS_IN_STORIES[0], "discoverable") == []
    finally:
        engine.reload_head(None)
    assert _rules(engine, ERRORS_IN_STORIES[0], "discoverable") == ["model.second.discoverable"]


def test_single_and_batch_analysis_agree_on_the_second_look(engine: RiskEngine) -> None:
    texts = [*ERRORS_IN_STORIES, *PLAIN_STORIES]
    assert engine.analyze_many(texts) == [engine.analyze(text) for text in texts]
