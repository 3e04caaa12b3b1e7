"""A short post is also read whole by the sentence encoder (`SentenceModelComponent._read_post`): tiredness on
duty said across two sentences, neither of which says it alone, is found; longer posts, teaching and
hypothetical posts, posts without a duty word and categories already found are left as they were.

The texts were written for this test (not taken from any evaluation or development list)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.learning import TeamExample, active_head_dir, retrain
from medshare_desktop.analysis.sentence_head import TrainSettings, shipped_head_dir
from medshare_desktop.analysis.sentence_model import load_post_read

SPLIT_FATIGUE = [
    "I could sleep standing up. Seventh admission of the night just rolled in.",
    "Twenty hours in and I am seeing double. One more patient before handover.",
]
# the head reads tiredness here (fatigue about 0.9) but nothing says the poster is on duty
TIRED_AT_HOME = "My eyes keep closing and I could sleep standing up. The neighbours partied until dawn."
# a jab the sentence classifier passes (it is sure the sentence is harmless); read whole, the head calls it tone
JAB = "Bed manager wizardry strikes once more, apparently we now have ten beds that do not exist."


def _found(engine: RiskEngine, text: str, category: str) -> list[tuple[str, int, int]]:
    return [(f.rule, f.start, f.end) for f in engine.analyze(text) if f.category.value == category]


@pytest.mark.parametrize("text", SPLIT_FATIGUE)
def test_fatigue_said_across_two_sentences_is_found_by_reading_the_post_whole(engine: RiskEngine, text: str) -> None:
    # only the whole-post read finds it (no rule and no single sentence does), and it marks the whole remark
    assert _found(engine, text, "discoverable") == [("model.post.fatigue", 0, len(text))]


def test_a_post_longer_than_the_read_is_judged_sentence_by_sentence(engine: RiskEngine) -> None:
    settings = load_post_read()
    assert settings is not None and settings.max_sentences == 3
    post = "Lovely team on the ward tonight. The tea trolley came round at ten. " + SPLIT_FATIGUE[0] + " Thanks all."
    assert not any(rule.startswith("model.post.") for rule, _, _ in _found(engine, post, "discoverable"))


def test_numbers_that_are_not_hours_on_duty_do_not_make_a_day_out_an_admission(engine: RiskEngine) -> None:
    # "twelve" counts twelve-hour shifts among the sentence gate's duty words; read whole, the post counts miles
    assert _found(engine, "We walked twelve miles on Saturday. I could sleep standing up.", "discoverable") == []


@pytest.mark.parametrize(
    "text",
    [
        "If you could sleep standing up, hand over before the seventh admission of the night.",
        "Sleepy registrars make mistakes: if you could sleep standing up, hand over before the next admission.",
    ],
)
def test_advice_about_tiredness_is_not_read_as_an_admission(engine: RiskEngine, text: str) -> None:
    assert not any(rule.startswith("model.post.") for rule, _, _ in _found(engine, text, "discoverable"))


def test_tiredness_with_no_duty_word_is_not_read_as_fatigue_on_duty(engine: RiskEngine) -> None:
    assert _found(engine, TIRED_AT_HOME, "discoverable") == []


def test_each_class_flags_a_post_read_whole_at_its_own_threshold_from_the_head(engine: RiskEngine, tmp_path: Path) -> None:
    # the shipped head reads this jab whole as tone (about 0.97, over its threshold); a head whose head.json asks
    # more for tone (as a team's could) does not flag it, and its fatigue threshold is untouched
    shipped = shipped_head_dir()
    assert json.loads((shipped / "head.json").read_text("utf-8"))["gate"]["post_thresholds"]["unprofessional"] < 0.97
    assert _found(engine, JAB, "unprofessional") == [("model.post.unprofessional", 0, len(JAB))]
    folder = tmp_path / "head"
    folder.mkdir()
    shutil.copy(shipped / "head.npz", folder / "head.npz")
    settings = json.loads((shipped / "head.json").read_text("utf-8"))
    settings["gate"]["post_thresholds"]["unprofessional"] = 0.995
    (folder / "head.json").write_text(json.dumps(settings), encoding="utf-8")
    engine.reload_head(folder)
    try:
        assert _found(engine, JAB, "unprofessional") == []
        assert _found(engine, SPLIT_FATIGUE[0], "discoverable") == [("model.post.fatigue", 0, len(SPLIT_FATIGUE[0]))]
    finally:
        engine.reload_head(None)
    assert _found(engine, JAB, "unprofessional") == [("model.post.unprofessional", 0, len(JAB))]


def test_a_slur_the_rules_call_a_mention_is_not_flagged_by_the_whole_post_read(engine: RiskEngine) -> None:
    # read whole, the head calls these tone; the rules judged the term talked about or denied, and that stands
    for text in ("We should never call patients drug seekers.",
                 "Our nurses are not lazy, they are exhausted and short of staff."):
        assert _found(engine, text, "unprofessional") == []
    assert _found(engine, JAB, "unprofessional") != []


def test_a_category_already_found_is_not_flagged_twice(engine: RiskEngine) -> None:
    text = "Barely slept, 30 hours on call and still going."
    assert [rule for rule, _, _ in _found(engine, text, "discoverable")] == ["disc.fatigue.no_sleep"]


def test_single_and_batch_analysis_agree_on_the_whole_post_read(engine: RiskEngine) -> None:
    texts = [*SPLIT_FATIGUE, TIRED_AT_HOME, JAB]
    assert engine.analyze_many(texts) == [engine.analyze(text) for text in texts]


def test_a_post_read_finding_the_team_calls_a_false_positive_is_gone_after_retraining(engine: RiskEngine, tmp_path: Path) -> None:
    taught = SPLIT_FATIGUE[0]
    assert _found(engine, taught, "discoverable") == [("model.post.fatigue", 0, len(taught))]
    team = [
        # the reviewers' "False positive" on that post (say it is the poster's standing joke about a busy
        # Saturday), with two more of the same kind, and unrelated decisions of both kinds
        TeamExample(taught, "none", 1),
        TeamExample("I could sleep standing up. Seventh admission of the night, our running joke on Saturdays.", "none", 2),
        TeamExample("Could sleep standing up, says the seventh admission of the night. We laughed.", "none", 3),
        TeamExample("Join our continence care study day on Thursday.", "none", 4),
        TeamExample("New linen trolleys arrived on every ward today.", "none", 5),
        TeamExample("Bed manager wizardry strikes again, apparently we have twelve beds that do not exist.", "unprofessional", 6),
        TeamExample("More bed manager wizardry today, eight beds that apparently exist only on paper.", "unprofessional", 7),
    ]
    root = tmp_path / "risk_models"
    # retrained from the real shipped caches (a miniature head does not read this post as fatigue at all)
    report = retrain(team, root, settings=TrainSettings(epochs=12))
    assert report.accepted, report.reason
    engine.reload_head(active_head_dir(root))
    try:
        assert _found(engine, taught, "discoverable") == []  # the team's decision
        other = SPLIT_FATIGUE[1]  # not taught: still read as fatigue on duty
        assert _found(engine, other, "discoverable") == [("model.post.fatigue", 0, len(other))]
    finally:
        engine.reload_head(None)
    # the retrained head keeps the read's thresholds
    kept = json.loads((active_head_dir(root) / "head.json").read_text("utf-8"))["gate"]["post_thresholds"]
    assert kept == json.loads((shipped_head_dir() / "head.json").read_text("utf-8"))["gate"]["post_thresholds"]
