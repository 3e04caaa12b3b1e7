"""Choose the sentence classifier's thresholds on the development sets (never a held-out set).

    python tests/benchmarks/choose_thresholds.py [--corpus FILE ...] [--folds 5] [--beta 1] [--write]

The labelled corpus and the two development sets (default: all three) are evaluated with the whole engine (rules +
classifier) for each threshold on a grid; each category's label gets the threshold with the best F-beta
for that category. beta is 1 by default: the classifier finds stories, admissions, tone and advice, where
a flood of false alarms makes reviewers stop reading (on the development set beta 2 bought 3 points of
recall for 8 of precision); PHI comes from the rules, which stay recall-first. Within TIE of the best,
the lowest threshold wins. Then the "none" veto (the probability of "none" at which the model overrules
the broad sentence-cue rules in a sentence) is chosen on the grid by overall F-beta with those thresholds.

The shipped model is trained on these posts' sentences too (`train_sentence_model --posts`), so its
thresholds are chosen out of fold: with --folds K the posts are split in K parts, and each part is scored
by a model trained on the training sentences plus the other parts' posts (K trainings, ~1.5 min each).
Without --folds the installed model is scored in-sample. Prints the figures as JSON lines; --write saves
thresholds.json beside the model.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from medshare_desktop.analysis import RiskEngine  # noqa: E402
from medshare_desktop.analysis.evaluation import CorpusItem, Counts, EvalResult, evaluate, load_corpus  # noqa: E402
from medshare_desktop.analysis.sentence_model import LABELS, NO_VETO, NONE_LABEL, model_dir  # noqa: E402
from medshare_desktop.analysis.train_sentence_model import load_examples, post_sentences, train  # noqa: E402
from medshare_desktop.paths import resource_path  # noqa: E402

GRID = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.01)  # 1.01: the classifier off for that category
VETO_GRID = (0.7, 0.8, 0.9, 0.95, 0.97, 0.99, NO_VETO)
DATA = ROOT / "tests" / "data"
TIE = 0.005


def _add(total: EvalResult, part: EvalResult) -> None:
    for name, counts in part.by_category.items():
        total.by_category.setdefault(name, Counts()).add(counts)
    total.overall.add(part.overall)
    total.items += part.items


class Scorer:
    """Scores the engine on the posts, in sample (one model) or out of fold (one model per fold)."""

    def __init__(self, engine: RiskEngine, items: list[CorpusItem], folds: int, seed: int = 0) -> None:
        self.engine = engine
        self.component = engine.nlp.get_pipe("medshare_sentence_model")
        if folds < 2:
            self.parts = [(self.component.model, items)]
            return
        shuffled = list(items)
        random.Random(seed).shuffle(shuffled)
        groups = [shuffled[k::folds] for k in range(folds)]
        base = load_examples(resource_path("training"))
        self.parts = []
        for k, group in enumerate(groups):
            others = [item for j, g in enumerate(groups) if j != k for item in g]
            rows = list(dict.fromkeys(base + post_sentences(others)))
            print(json.dumps({"fold": k + 1, "of": folds, "training_sentences": len(rows)}), flush=True)
            self.parts.append((train(rows, seed=seed), group))

    def figures(self, thresholds: dict[str, float], veto: float) -> dict[str, float]:
        self.component.thresholds, self.component.veto = dict(thresholds), veto
        total = EvalResult()
        for model, group in self.parts:
            self.component.model = model
            _add(total, evaluate(group, lambda texts, ctx: self.engine.analyze_many(texts, ctx)))
        return {row["name"]: row["value"] for row in total.metrics()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", help="labelled set (repeatable)")
    parser.add_argument("--folds", type=int, default=0, help="choose out of fold with K folds (0: in sample)")
    parser.add_argument("--beta", type=float, default=1.0)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    corpora = args.corpus or [DATA / "risk_corpus.jsonl", DATA / "risk_dev.jsonl", DATA / "risk_dev2.jsonl"]
    if any("holdout" in path.name for path in corpora):
        raise SystemExit("thresholds are never chosen on a held-out set")
    engine = RiskEngine()
    if engine.nlp.get_pipe("medshare_sentence_model").model is None:
        raise SystemExit(f"{model_dir()}: no trained model (run python -m medshare_desktop.analysis.train_sentence_model)")
    items = [item for path in corpora for item in load_corpus(path)]
    scorer = Scorer(engine, items, args.folds)
    beta2 = args.beta**2

    def f_beta(precision: float, recall: float) -> float:
        return (1 + beta2) * precision * recall / (beta2 * precision + recall) if precision + recall else 0.0

    categories = sorted({category.value for category, _kind in LABELS.values()})
    scores: dict[str, list[tuple[float, float]]] = {}
    for threshold in GRID:
        measured = scorer.figures(dict.fromkeys(LABELS, threshold), NO_VETO)
        for category in categories:
            precision = measured.get(f"risk.{category}.precision", 0.0)
            recall = measured.get(f"risk.{category}.recall", 0.0)
            score = f_beta(precision, recall)
            print(json.dumps({"threshold": threshold, "category": category, "f_beta": round(score, 4),
                              "precision": precision, "recall": recall}))
            scores.setdefault(category, []).append((threshold, score))
    best = {}
    for category, rows in scores.items():
        top = max(score for _t, score in rows)
        best[category] = min(t for t, score in rows if score >= top - TIE)
    chosen: dict[str, float] = {label: best[category.value] for label, (category, _kind) in LABELS.items()}
    vetoes = []
    for veto in VETO_GRID:
        measured = scorer.figures(chosen, veto)
        score = f_beta(measured["risk.overall.precision"], measured["risk.overall.recall"])
        print(json.dumps({"veto": veto, "f_beta": round(score, 4), "precision": measured["risk.overall.precision"],
                          "recall": measured["risk.overall.recall"]}))
        vetoes.append((veto, score))
    top = max(score for _v, score in vetoes)
    chosen[NONE_LABEL] = max(v for v, score in vetoes if score >= top - TIE)  # the mildest veto within TIE
    print(json.dumps({"chosen": chosen}))
    if args.write:
        (model_dir() / "thresholds.json").write_text(json.dumps(chosen, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
