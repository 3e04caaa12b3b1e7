"""Regression guard: figures on tests/data/risk_corpus.jsonl must not fall below the baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.evaluation import evaluate, load_corpus

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "risk_corpus.jsonl"
BASELINE = DATA / "risk_baseline.json"


@pytest.mark.skipif(not CORPUS.exists(), reason="tests/data/risk_corpus.jsonl is not present (labelled corpus)")
@pytest.mark.skipif(not BASELINE.exists(), reason="tests/data/risk_baseline.json is not present")
def test_corpus_figures_do_not_regress(engine: RiskEngine) -> None:
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))["metrics"]
    result = evaluate(load_corpus(CORPUS), lambda texts, ctx: engine.analyze_many(texts, ctx))
    measured = {row["name"]: row["value"] for row in result.metrics()}
    worse = {
        name: (measured.get(name), expected)
        for name, expected in baseline.items()
        if measured.get(name, 0.0) + 1e-9 < expected
    }
    assert not worse, f"figures below baseline (measured, baseline): {worse}"
