"""Choose the sentence classifier's per-label thresholds on the labelled corpus (never the held-out set).

    python tests/benchmarks/choose_thresholds.py [--corpus tests/data/risk_corpus.jsonl] [--write]

For each threshold on a grid, the engine (rules + classifier) is evaluated on the corpus; each
category's labels get the threshold with the best F2 for that category (recall weighs twice
precision: a missed risk costs more than a false alarm the reviewer dismisses). Within TIE of the
best F2 the lowest threshold wins, for the same reason: a difference of one or two corpus posts is
noise, and a lower threshold keeps the classifier's reach on phrasings the corpus does not have. Prints the figures as JSON lines; --write saves thresholds.json beside the model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from medshare_desktop.analysis import RiskEngine  # noqa: E402
from medshare_desktop.analysis.evaluation import CorpusItem, evaluate, load_corpus  # noqa: E402
from medshare_desktop.analysis.sentence_model import LABELS, model_dir  # noqa: E402

GRID = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)  # 1.01: the classifier off for that category
TIE = 0.005


def figures(engine: RiskEngine, items: list[CorpusItem]) -> dict[str, float]:
    result = evaluate(items, lambda texts, ctx: engine.analyze_many(texts, ctx))
    return {row["name"]: row["value"] for row in result.metrics()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "data" / "risk_corpus.jsonl")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    engine = RiskEngine()
    component = engine.nlp.get_pipe("medshare_sentence_model")
    if component.model is None:
        raise SystemExit(f"{model_dir()}: no trained model (run python -m medshare_desktop.analysis.train_sentence_model)")
    items = load_corpus(args.corpus)
    categories = sorted({category.value for category, _kind in LABELS.values()})
    scores: dict[str, list[tuple[float, float]]] = {}
    for threshold in GRID:
        component.thresholds = dict.fromkeys(LABELS, threshold)
        measured = figures(engine, items)
        for category in categories:
            precision = measured.get(f"risk.{category}.precision", 0.0)
            recall = measured.get(f"risk.{category}.recall", 0.0)
            f2 = 5 * precision * recall / (4 * precision + recall) if precision + recall else 0.0
            print(json.dumps({"threshold": threshold, "category": category, "f2": round(f2, 4),
                              "precision": precision, "recall": recall}))
            scores.setdefault(category, []).append((threshold, f2))
    best = {}
    for category, rows in scores.items():
        top = max(f2 for _t, f2 in rows)
        best[category] = min(t for t, f2 in rows if f2 >= top - TIE)
    chosen = {label: best[category.value] for label, (category, _kind) in LABELS.items()}
    print(json.dumps({"chosen": chosen}))
    if args.write:
        (model_dir() / "thresholds.json").write_text(json.dumps(chosen, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
