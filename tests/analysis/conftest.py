"""Shared fixtures: one engine for the whole analysis suite (building it takes ~1 s), and a miniature of the
shipped sentence head for the retraining tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.sentence_head import SentenceHead, TrainSettings, shipped_head_dir, train_head


@pytest.fixture(scope="session")
def engine() -> RiskEngine:
    return RiskEngine()


@pytest.fixture(scope="module")
def small_shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A shipped head folder in miniature: 3,000 training rows and 400 validation rows of the real caches,
    with a head trained on them for a few passes."""
    folder = tmp_path_factory.mktemp("shipped")
    rng = np.random.default_rng(0)
    with np.load(shipped_head_dir() / "training.npz") as data:
        pick = np.sort(rng.choice(len(data["x"]), 3000, replace=False))
        training = {name: data[name][pick] for name in data.files}
    with np.load(shipped_head_dir() / "validation.npz") as data:
        validation = {name: data[name][:400] for name in data.files}
    np.savez(folder / "training.npz", **training)
    np.savez(folder / "validation.npz", **validation)
    shipped = SentenceHead.load(shipped_head_dir())
    weights = train_head(training["x"].astype(np.float32), training["cls"].astype(np.int64), TrainSettings(epochs=3))
    SentenceHead(weights, shipped.thresholds, shipped.meta).save(folder)
    return folder
