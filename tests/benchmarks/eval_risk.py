"""Evaluate the risk engine on the labelled corpus.

    python tests/benchmarks/eval_risk.py [--corpus tests/data/risk_corpus.jsonl] [--errors]
                                         [--write-baseline tests/data/risk_baseline.json] [--no-check]

Prints one JSON object per line: {"name": "risk.<category>.precision", "value": ..., "unit": "ratio"},
recall/F1 likewise, an overall row, and recall for structured PHI kinds (risk.phi.<kind>.recall).
`--errors` adds per-rule false-positive counts and per-kind misses (aggregates, no post text).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from medshare_desktop.analysis import RiskEngine  # noqa: E402
from medshare_desktop.analysis.evaluation import evaluate, load_corpus, overlaps  # noqa: E402

DEFAULT_CORPUS = ROOT / "tests" / "data" / "risk_corpus.jsonl"


def error_summary(engine: RiskEngine, corpus: Path) -> dict[str, dict[str, int]]:
    items = load_corpus(corpus)
    fp_rules: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for item in items:
        findings = [f for f in engine.analyze(item.text, item.context) if f.end > f.start]
        for f in findings:
            if not any(s.category == f.category.value and overlaps(f.start, f.end, s.start, s.end) for s in item.spans):
                fp_rules[f.rule] += 1
        for s in item.spans:
            if not any(f.category.value == s.category and overlaps(f.start, f.end, s.start, s.end) for f in findings):
                missed[f"{s.category}/{s.kind}"] += 1
    return {"false_positive_rules": dict(fp_rules.most_common()), "missed_kinds": dict(missed.most_common())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--errors", action="store_true", help="also print aggregate error counts")
    parser.add_argument("--write-baseline", type=Path, help="also save the figures as a regression baseline")
    parser.add_argument("--textcat-only", action="store_true", help="without the cascade's encoder stage (before/after)")
    parser.add_argument("--no-check", action="store_true", help="without the finding check (before/after)")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    engine = RiskEngine(finding_check=not args.no_check)
    if args.textcat_only and "medshare_sentence_model" in engine.nlp.pipe_names:
        engine.nlp.get_pipe("medshare_sentence_model").textcat_only()
    result = evaluate(load_corpus(args.corpus), lambda texts, ctx: engine.analyze_many(texts, ctx))
    for row in result.metrics():
        print(json.dumps(row))
    if args.write_baseline:
        baseline = {
            "corpus": str(args.corpus.relative_to(ROOT) if args.corpus.is_relative_to(ROOT) else args.corpus),
            "items": result.items,
            "note": "Measured figures; tests/analysis/test_corpus_regression.py fails if any falls below.",
            "metrics": {row["name"]: row["value"] for row in result.metrics()},
        }
        args.write_baseline.write_text(json.dumps(baseline, indent=2) + "\n", encoding="utf-8")
    if args.errors:
        print(json.dumps(error_summary(engine, args.corpus), indent=1), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
