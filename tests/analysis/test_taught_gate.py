"""After "Learn from our decisions", a sentence the team taught (and a close paraphrase of it) is decided
the team's way even where the shipped bag-of-words classifier is sure (taught_index.py, the `[taught]` gate
of rules/encoder_gate.toml); unrelated sentences and the shipped head behave as before.

The retrain runs on a small slice of the shipped training cache (as in test_learning.py), about a second."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.learning import TeamExample, active_head_dir, retrain, rollback
from medshare_desktop.analysis.sentence_head import TrainSettings
from medshare_desktop.analysis.taught_index import FILE_NAME, TaughtIndex, stems
from medshare_desktop.core.models import RiskCategory

# a tone-only jab at a colleague the shipped engine misses (its textcat is sure it is harmless)
MISSED = "Bed manager wizardry strikes again, apparently we have twelve beds that do not exist."
MISSED_PARAPHRASE = "Bed manager wizardry strikes once more, apparently we now have ten beds that do not exist."
# the shipped textcat is sure this is unprofessional (0.97); the team says it is a harmless grumble
FALSE_POSITIVE = "Nothing says Monday like a fire alarm test during the ward round, living the dream."
UNRELATED_FLAGGED = "Whoever designed the new rota software clearly never worked a weekend."
UNRELATED_HARMLESS = "Our new bed manager starts on Monday, please say hello."

TEAM = [
    TeamExample(MISSED, "unprofessional", 1),
    TeamExample("Bed manager wizardry has struck again: twelve beds that don't exist.", "unprofessional", 2),
    TeamExample("More bed manager wizardry today, eight beds that apparently exist only on paper.", "unprofessional", 3),
    TeamExample("Bed manager magic strikes again, we now have beds that do not exist anywhere.", "unprofessional", 4),
    TeamExample(FALSE_POSITIVE, "none", 5),
    TeamExample("Nothing says Monday like a fire alarm test halfway through the ward round.", "none", 6),
    TeamExample("A fire alarm test during the Monday ward round again, living the dream.", "none", 7),
    TeamExample("Join our continence care study day on Thursday.", "none", 8),
    TeamExample("New linen trolleys arrived on every ward today.", "none", 9),
    TeamExample("Thanks to housekeeping for keeping our unit spotless.", "none", 10),
]


@pytest.fixture(scope="module")
def engine() -> RiskEngine:
    return RiskEngine()


def _model_findings(engine: RiskEngine, text: str) -> list[tuple[RiskCategory, str]]:
    return [(f.category, f.rule) for f in engine.analyze(text) if f.rule.startswith("model.sentence.")]


def test_the_team_is_heard_where_the_shipped_classifier_was_sure(tmp_path: Path, small_shipped: Path, engine: RiskEngine) -> None:
    engine.reload_head(None)
    before = {text: engine.analyze(text) for text in (MISSED, MISSED_PARAPHRASE, FALSE_POSITIVE, UNRELATED_FLAGGED, UNRELATED_HARMLESS)}
    # the shipped sentence classifier misses the jab (read whole, a short post may still be flagged: _read_post)
    assert _model_findings(engine, MISSED) == [] and _model_findings(engine, MISSED_PARAPHRASE) == []
    assert [f.rule for f in before[FALSE_POSITIVE]] == ["model.sentence.unprofessional"]

    root = tmp_path / "risk_models"
    report = retrain(TEAM, root, shipped_dir=small_shipped, settings=TrainSettings(epochs=12))
    assert report.accepted, report.reason
    assert (root / "current" / FILE_NAME).is_file()
    engine.reload_head(active_head_dir(root))
    try:
        unprofessional = (RiskCategory.UNPROFESSIONAL, "model.sentence.unprofessional")
        assert _model_findings(engine, MISSED) == [unprofessional]  # the sentence the team taught
        assert _model_findings(engine, MISSED_PARAPHRASE) == [unprofessional]  # and a close paraphrase it never saw
        assert engine.analyze(FALSE_POSITIVE) == []  # taught harmless: the model's finding is gone
        for text in (UNRELATED_FLAGGED, UNRELATED_HARMLESS):
            assert engine.analyze(text) == before[text]  # nothing taught resembles them
    finally:
        engine.reload_head(None)
    # rolling back to the shipped head (the team's first model: no previous one) restores the old behaviour
    assert rollback(root) is False
    for text, findings in before.items():
        assert engine.analyze(text) == findings


def test_taught_harmless_never_silences_a_rule_finding(tmp_path: Path, small_shipped: Path, engine: RiskEngine) -> None:
    root = tmp_path / "risk_models"
    assert retrain(TEAM, root, shipped_dir=small_shipped, settings=TrainSettings(epochs=12)).accepted
    text = "Nothing says Monday like a fire alarm test during the ward round, ring Mr Hallorann on 555-0142, living the dream."
    engine.reload_head(None)
    shipped_phi = [(f.category, f.kind) for f in engine.analyze(text) if f.category is RiskCategory.PHI]
    assert shipped_phi  # a phone number next to a person's name
    engine.reload_head(active_head_dir(root))
    try:
        assert [(f.category, f.kind) for f in engine.analyze(text) if f.category is RiskCategory.PHI] == shipped_phi
    finally:
        engine.reload_head(None)


def test_the_taught_index_keeps_no_words_and_matches_paraphrases_only() -> None:
    index = TaughtIndex.build([(MISSED.lower(), "unprofessional"), ("Well done, team!", "none")])
    assert len(index) == 1  # a sentence of fewer than three content words cannot be matched, so is not kept
    match = index.match(MISSED_PARAPHRASE.lower())
    assert match is not None and match.labels == {"unprofessional"}
    assert index.match(UNRELATED_HARMLESS.lower()) is None  # shares "bed manager", not the remark
    assert stems("Beds strike") == stems("bed strikes")


def test_the_index_file_holds_hashes_not_text(tmp_path: Path) -> None:
    TaughtIndex.build([(MISSED.lower(), "unprofessional")]).save(tmp_path)
    raw = (tmp_path / FILE_NAME).read_bytes()
    assert b"wizardry" not in raw and b"wizard" not in raw and b"manager" not in raw
    loaded = TaughtIndex.load(tmp_path)
    assert loaded is not None and loaded.match(MISSED_PARAPHRASE.lower()) is not None
