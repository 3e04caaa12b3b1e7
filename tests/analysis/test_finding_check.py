"""The finding check (finding_check.py): the engine's last stage drops findings it judges unlikely, never the kinds
it leaves alone, and the engine runs without it when its files are broken."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from pathlib import Path

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.finding_check import (
    _BEFORE_END,
    ReadSettings,
    SentenceBounds,
    check_dir,
    finding_sentence,
    load_finding_check,
)
from medshare_desktop.analysis.sentence_encoder import encoder_dir
from medshare_desktop.core.models import RiskCategory


@pytest.fixture(scope="module")
def unchecked() -> RiskEngine:
    return RiskEngine(finding_check=False)


def _categories(findings) -> set[RiskCategory]:
    return {f.category for f in findings}


def test_the_shipped_engine_runs_the_check(engine: RiskEngine):
    assert engine.checks_findings


def test_a_security_reminder_that_mentions_a_patient_portal_is_not_a_patient_story(engine, unchecked):
    text = ("Reminder from IT: this week someone tried to log in to a patient portal account with a stolen "
            "password. Use two-factor.")
    assert RiskCategory.PATIENT_STORY in _categories(unchecked.analyze(text))  # the rules alone raise it
    assert RiskCategory.PATIENT_STORY not in _categories(engine.analyze(text))


@pytest.mark.parametrize(
    "text, category",
    [
        ("I gave the wrong dose on my last night shift and nobody noticed until morning.", RiskCategory.DISCOVERABLE),
        ("Mr. Okonkwo in bed 12 finally walked to the window today.", RiskCategory.PHI),
        ("Discharged our little fighter from Riverton back home to Millbrook this morning.", RiskCategory.PHI),
        ("Fourteen hours into this shift and I can barely keep my eyes open during rounds.", RiskCategory.DISCOVERABLE),
    ],
)
def test_admissions_names_places_and_fatigue_are_never_judged(engine, unchecked, text, category):
    check = load_finding_check()
    assert check is not None
    raised = [f for f in unchecked.analyze(text) if f.category is category]
    assert raised, "the rules find it"
    assert not any(check.judges(f) for f in raised)
    assert category in _categories(engine.analyze(text))


def test_the_check_was_fitted_on_the_shipped_encoder():
    settings = json.loads((check_dir() / "check.json").read_text(encoding="utf-8"))
    shipped = hashlib.sha256((encoder_dir() / "model.onnx").read_bytes()).hexdigest()
    assert settings["encoder_sha256"] == shipped, "the encoder changed: refit with study_finding_check.py --write"
    assert 0.0 < settings["threshold"] < 0.5 and settings["judged_rules"]


def test_a_damaged_check_is_not_loaded(tmp_path: Path, caplog):
    folder = tmp_path / "finding_check"
    shutil.copytree(check_dir(), folder)
    assert load_finding_check(folder) is not None
    settings = json.loads((folder / "check.json").read_text(encoding="utf-8"))
    settings["rules"] = settings["rules"][:-3]  # weights no longer line up with the rules
    (folder / "check.json").write_text(json.dumps(settings), encoding="utf-8")
    assert load_finding_check(folder) is None
    assert "could not be loaded" in caplog.text
    (folder / "check.json").write_text("{not json", encoding="utf-8")
    assert load_finding_check(folder) is None
    assert load_finding_check(tmp_path / "missing") is None


class _ScannedBounds(SentenceBounds):
    """A sentence's beginning as the check first found it: the text scanned from its start for the last break
    before the finding (quadratic in a long post with many findings; the reference the bisect lookup must equal)."""

    def begin(self, start: int) -> int:
        return max((m.end() for m in _BEFORE_END.finditer(self.text, 0, start)), default=0)


def test_a_findings_sentence_is_the_same_whether_looked_up_or_scanned_for():
    rng = random.Random(7)
    pieces = ["Bed", "4", "Mrs", "Okafor", "slept", "well", ".", "!", "?", " ", "  ", "\n", "\n\n", ". ", "!\n", "?  "]
    read = ReadSettings(words_before=2, max_words=5)
    for _ in range(300):
        text = "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(rng.randint(1, 40)))
        bounds, scanned = SentenceBounds(text), _ScannedBounds(text)
        for start in range(len(text)):
            end = rng.randint(start, len(text))
            assert bounds.begin(start) == scanned.begin(start), (text, start)
            assert finding_sentence(bounds, start, end, read) == finding_sentence(scanned, start, end, read)
