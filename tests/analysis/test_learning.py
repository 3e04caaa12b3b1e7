"""Learning from the team's decisions: a retrained head is installed only when no worse, a worse one is
refused, a cancelled retrain changes nothing, and the previous head comes back with one rollback.

The retrains run on a small slice of the shipped training cache (real embeddings, real files in tmp_path)
so each takes about a second."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.learning import Cancelled, TeamExample, active_head_dir, retrain, rollback
from medshare_desktop.analysis.sentence_head import SentenceHead, TrainSettings, train_head

TEAM = [
    TeamExample("Another glorious code brown in bay three, living the dream.", "unprofessional", 1),
    TeamExample("Bay three's code brown queen strikes again, send help.", "unprofessional", 2),
    TeamExample("Code brown number four tonight, thanks bed 9, very cool.", "unprofessional", 3),
    TeamExample("Guess who had a code brown right after I changed the sheets, again.", "unprofessional", 4),
    TeamExample("Code brown roulette on nights and I always lose.", "unprofessional", 5),
    TeamExample("Our code brown champion is back on the ward, hide the linen.", "unprofessional", 6),
    TeamExample("Join our continence care study day on Thursday.", "none", 7),
    TeamExample("New linen trolleys arrived on every ward today.", "none", 8),
    TeamExample("Thanks to housekeeping for keeping our unit spotless.", "none", 9),
    TeamExample("Our ward is recruiting healthcare assistants for nights.", "none", 10),
]


def _retrain(root: Path, shipped: Path, epochs: int = 12, **kwargs):
    return retrain(TEAM, root, shipped_dir=shipped, settings=TrainSettings(epochs=epochs), **kwargs)


def test_a_better_head_is_installed_and_rollback_brings_back_the_previous_one(tmp_path: Path, small_shipped: Path) -> None:
    root = tmp_path / "risk_models"
    steps: list[tuple[int, int, str]] = []
    report = _retrain(root, small_shipped, progress=lambda d, t, m: steps.append((d, t, m)))
    assert report.accepted, report.reason
    assert report.validation_after >= report.validation_before - 0.005
    assert report.team_after >= report.team_before
    assert report.examples == len(TEAM) and report.model_dir == root / "current"
    assert active_head_dir(root) == root / "current"
    assert len(steps) > 10 and steps[-1][0] == steps[-1][1]  # progress reported often, ending at 100 %
    assert rollback(root) is False  # nothing was active before: no previous head

    first = (root / "current" / "head.npz").read_bytes()
    second = _retrain(root, small_shipped, epochs=14, warm_start=False)
    assert second.accepted, second.reason
    assert (root / "previous" / "head.npz").read_bytes() == first
    assert rollback(root) is True
    assert (root / "current" / "head.npz").read_bytes() == first and not (root / "previous").exists()
    assert sorted(p.name for p in root.iterdir()) == ["current"]  # no candidate or discarded folders left


def test_a_worse_head_is_refused_and_nothing_changes(tmp_path: Path, small_shipped: Path) -> None:
    root = tmp_path / "risk_models"
    shipped_copy = tmp_path / "shipped"
    shipped_copy.mkdir()
    for path in small_shipped.iterdir():
        (shipped_copy / path.name).write_bytes(path.read_bytes())
    # a well-trained shipped head; a candidate trained for one pass at a hundredth of the learning rate has
    # barely left its random start and is worse on the validation set
    with np.load(shipped_copy / "training.npz") as data:
        weights = train_head(data["x"].astype(np.float32), data["cls"].astype(np.int64), TrainSettings(epochs=30))
    head = SentenceHead.load(shipped_copy)
    SentenceHead(weights, head.thresholds, head.meta).save(shipped_copy)
    barely = TrainSettings(epochs=1, learning_rate=TrainSettings().learning_rate / 100)
    report = retrain(TEAM, root, shipped_dir=shipped_copy, settings=barely, warm_start=False)
    assert not report.accepted
    assert "worse" in report.reason and report.validation_after < report.validation_before
    assert active_head_dir(root) is None and not (root / "current").exists()
    assert not root.exists() or list(root.iterdir()) == []


def test_cancelling_stops_promptly_and_changes_nothing(tmp_path: Path, small_shipped: Path) -> None:
    root = tmp_path / "risk_models"
    calls: list[int] = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 5

    with pytest.raises(Cancelled):
        _retrain(root, small_shipped, cancelled=cancelled)
    assert len(calls) == 6  # raised at the first check that said "cancel"
    assert active_head_dir(root) is None
    assert not root.exists() or list(root.iterdir()) == []


def test_no_decisions_means_nothing_to_learn(tmp_path: Path, small_shipped: Path) -> None:
    report = retrain([], tmp_path / "risk_models", shipped_dir=small_shipped)
    assert not report.accepted and report.model_dir is None and "no team decisions" in report.reason


def test_the_engine_switches_to_the_team_head_and_back(tmp_path: Path, small_shipped: Path) -> None:
    root = tmp_path / "risk_models"
    assert _retrain(root, small_shipped).accepted
    engine = RiskEngine(head_dir=active_head_dir(root))
    component = engine.nlp.get_pipe("medshare_sentence_model")
    assert component.head.meta["trained_on"]["team_examples"] > 0
    assert isinstance(engine.analyze("Code brown again in bay three, living the dream."), list)
    engine.reload_head(None)
    assert component.head.meta["trained_on"]["team_examples"] == 0  # the shipped head


def test_the_engine_fingerprint_names_the_head_in_use(engine, small_shipped) -> None:
    """A retrained or rolled-back head is another engine: the posts under review are checked again with it
    (RiskService.recheck_after_update)."""
    from medshare_desktop.analysis.fingerprint import engine_fingerprint

    shipped = engine.fingerprint()
    assert shipped == engine_fingerprint() and len(shipped) == 64
    assert engine_fingerprint(small_shipped) != shipped
    engine.reload_head(small_shipped)
    try:
        assert engine.fingerprint() == engine_fingerprint(small_shipped)
    finally:
        engine.reload_head(None)
    assert engine.fingerprint() == shipped
