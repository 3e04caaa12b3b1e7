"""How well a second human annotator agrees with a labelled set's labels, beside the engine's figures.

    python tests/benchmarks/eval_agreement.py [--corpus tests/data/risk_dev5.jsonl]
        [--second tests/data/risk_dev5_second.jsonl]

The second annotation holds one JSON object per post: {"id", "spans": [{"quote", "category", "kind",
"occurrence"?}]}, each quote an exact substring of the post's text (its `occurrence`-th, default the
first). Its spans are scored against the set's labels exactly as the engine's findings are
(`evaluation.score_item`: overlap, same category), so the two rows compare directly: the human row is
roughly the ceiling the labels allow. Prints JSON lines {"name", "value", "unit"} for precision and
recall per category and overall ("agreement.*" for the human, "engine.*" for the engine).

Who annotated what: tests/data/RISK_DEV5.md ("Second annotator").
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
from medshare_desktop.analysis.evaluation import CorpusItem, EvalResult, load_corpus, score_item  # noqa: E402
from medshare_desktop.core.models import Finding, RiskCategory, Severity  # noqa: E402

DATA = ROOT / "tests" / "data"


def human_findings(item: CorpusItem, spans: list[dict], where: str) -> list[Finding]:
    """The annotator's quotes as findings on the post's text; a quote that is not in the text is an error."""
    out = []
    for span in spans:
        position = -1
        for _ in range(int(span.get("occurrence", 1))):
            position = item.text.find(span["quote"], position + 1)
        if position < 0:
            raise SystemExit(f"{where}: post {item.id}: quote not found in its text: {span['quote'][:60]!r}")
        end = position + len(span["quote"])
        out.append(Finding(position, end, span["quote"], RiskCategory(span["category"]), span["kind"], Severity.LOW, "human", ""))
    return out


def emit(prefix: str, result: EvalResult) -> None:
    for row in result.metrics():
        name = row["name"]
        if name.endswith((".precision", ".recall", ".f1")) and not name.startswith("risk.phi."):
            print(json.dumps({"name": prefix + name.removeprefix("risk."), "value": row["value"], "unit": "ratio"}))
    for row in result.metrics():
        if row["name"] in {"risk.phi.precision", "risk.phi.recall"}:
            print(json.dumps({"name": prefix + row["name"].removeprefix("risk."), "value": row["value"], "unit": "ratio"}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DATA / "risk_dev5.jsonl")
    parser.add_argument("--second", type=Path, default=DATA / "risk_dev5_second.jsonl")
    args = parser.parse_args(argv)
    if "holdout" in args.corpus.name:
        raise SystemExit("a held-out set's texts are not handed to annotators or read here")
    items = {item.id: item for item in load_corpus(args.corpus)}
    second: dict[str, list[dict]] = {}
    for number, line in enumerate(args.second.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            row = json.loads(line)
            if row["id"] not in items:
                raise SystemExit(f"{args.second}:{number}: post {row['id']} is not in {args.corpus.name}")
            second[row["id"]] = row["spans"]
    missing = sorted(set(items) - set(second))
    if missing:
        raise SystemExit(f"{args.second}: {len(missing)} post(s) not annotated, e.g. {missing[0]}")
    human = EvalResult()
    for key, item in items.items():
        score_item(human, item, human_findings(item, second[key], str(args.second)))
    emit("agreement.", human)
    engine = RiskEngine()
    machine = EvalResult()
    for item in items.values():
        score_item(machine, item, engine.analyze(item.text, item.context))
    emit("engine.", machine)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
