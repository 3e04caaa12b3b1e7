"""Regression guards: figures on the labelled corpus, the development set and the first held-out set must
not fall below their measured baselines. (The second held-out set, risk_holdout2.jsonl, has no guard: it
is only measured, so that nothing is ever fitted to it.)"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.evaluation import evaluate, load_corpus

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = DATA / "risk_corpus.jsonl"
BASELINE = DATA / "risk_baseline.json"
HOLDOUT = DATA / "risk_holdout.jsonl"
HOLDOUT_BASELINE = DATA / "risk_holdout_baseline.json"
DEV = DATA / "risk_dev.jsonl"
DEV_BASELINE = DATA / "risk_dev_baseline.json"


@pytest.mark.skipif(not CORPUS.exists(), reason="tests/data/risk_corpus.jsonl is not present (labelled corpus)")
@pytest.mark.skipif(not BASELINE.exists(), reason="tests/data/risk_baseline.json is not present")
def test_corpus_figures_do_not_regress(engine: RiskEngine) -> None:
    _assert_not_below(engine, CORPUS, BASELINE)


@pytest.mark.skipif(not HOLDOUT.exists(), reason="tests/data/risk_holdout.jsonl is not present (held-out set)")
@pytest.mark.skipif(not HOLDOUT_BASELINE.exists(), reason="tests/data/risk_holdout_baseline.json is not present")
def test_held_out_figures_do_not_regress(engine: RiskEngine) -> None:
    _assert_not_below(engine, HOLDOUT, HOLDOUT_BASELINE)


@pytest.mark.skipif(not DEV.exists(), reason="tests/data/risk_dev.jsonl is not present (development set)")
@pytest.mark.skipif(not DEV_BASELINE.exists(), reason="tests/data/risk_dev_baseline.json is not present")
def test_development_set_figures_do_not_regress(engine: RiskEngine) -> None:
    _assert_not_below(engine, DEV, DEV_BASELINE)


def _assert_not_below(engine: RiskEngine, corpus: Path, baseline_file: Path) -> None:
    baseline = json.loads(baseline_file.read_text(encoding="utf-8"))["metrics"]
    result = evaluate(load_corpus(corpus), lambda texts, ctx: engine.analyze_many(texts, ctx))
    measured = {row["name"]: row["value"] for row in result.metrics()}
    worse = {
        name: (measured.get(name), expected)
        for name, expected in baseline.items()
        if measured.get(name, 0.0) + 1e-9 < expected
    }
    assert not worse, f"figures below baseline (measured, baseline): {worse}"
