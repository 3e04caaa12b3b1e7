"""Compare the MedShare risk engine with Microsoft Presidio on structured PHI both tools cover.

Run it with the Presidio venv's Python (our engine is called in the main interpreter via subprocess):

    python -m venv /tmp/presidio-venv
    /tmp/presidio-venv/bin/pip install presidio-analyzer spacy
    /tmp/presidio-venv/bin/python tests/benchmarks/compare_presidio.py [--ours-python python3]

Presidio gets spacy.blank("en") saved to a folder (NlpEngineProvider with that model path), so it
never downloads a model; with a blank model Presidio finds no names or places (no NER), only its
pattern recognizers. Prints JSON lines: recall / precision per type and posts/s for each tool on the
two public sets and, if present, tests/data/risk_corpus.jsonl.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from eval_phi_public import DEFAULT_DATA, load_clinical_queries, load_presidio_synth  # noqa: E402

# Common type -> (labels in the data sets, our finding kinds, Presidio entity types)
TYPES: dict[str, tuple[set[str], set[str], set[str]]] = {
    "phone": ({"PHONE_NUMBER", "FAX_NUMBER", "phone", "fax"}, {"phone", "fax"}, {"PHONE_NUMBER"}),
    "email": ({"EMAIL_ADDRESS", "email"}, {"email"}, {"EMAIL_ADDRESS"}),
    "url": ({"DOMAIN_NAME", "URL", "url"}, {"url"}, {"URL"}),
    "ip": ({"IP_ADDRESS", "ip_address", "ip"}, {"ip_address"}, {"IP_ADDRESS"}),
    "ssn": ({"SOCIAL_SECURITY_NUMBER", "US_SSN", "ssn"}, {"ssn"}, {"US_SSN"}),
    "date": ({"DATE", "DATE_TIME", "date"}, {"date"}, {"DATE_TIME"}),
    "credit_card": ({"CREDIT_CARD"}, {"account"}, {"CREDIT_CARD"}),
}
Spans = list[tuple[int, int, str]]


def ours_worker() -> None:
    """Inside the main interpreter: read texts as JSON on stdin, print spans and elapsed seconds."""
    sys.path.insert(0, str(ROOT))
    from medshare_desktop.analysis import RiskEngine

    texts = json.load(sys.stdin)
    engine = RiskEngine()
    engine.analyze_many(texts[:20])
    started = time.perf_counter()
    found = engine.analyze_many(texts)
    elapsed = time.perf_counter() - started
    spans = [[(f.start, f.end, f.kind) for f in fs if f.category.value == "phi"] for fs in found]
    json.dump({"spans": spans, "seconds": elapsed}, sys.stdout)


def run_ours(texts: list[str], python: str) -> tuple[list[Spans], float]:
    out = subprocess.run(
        [python, __file__, "--ours-worker"],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    data = json.loads(out.stdout)
    return [[tuple(s) for s in spans] for spans in data["spans"]], data["seconds"]  # type: ignore[misc]


def presidio_analyzer():  # type: ignore[no-untyped-def]
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    model_dir = Path(tempfile.gettempdir()) / "medshare-spacy-blank-en"
    if not model_dir.exists():
        spacy.blank("en").to_disk(model_dir)
    provider = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": str(model_dir)}],
        }
    )
    return AnalyzerEngine(nlp_engine=provider.create_engine(), supported_languages=["en"])


def run_presidio(texts: list[str], analyzer) -> tuple[list[Spans], float]:  # type: ignore[no-untyped-def]
    for text in texts[:20]:
        analyzer.analyze(text=text, language="en")
    started = time.perf_counter()
    results = [analyzer.analyze(text=text, language="en") for text in texts]
    elapsed = time.perf_counter() - started
    return [[(r.start, r.end, r.entity_type) for r in rs] for rs in results], elapsed


def score(items: list[tuple[str, list[tuple[str, int, int]]]], found: list[Spans], tool: int) -> dict[str, dict]:
    rows = {}
    for name, (labels, our_kinds, presidio_types) in TYPES.items():
        kinds = our_kinds if tool == 0 else presidio_types
        labelled = recalled = tp = fp = 0
        for (_, gold), spans in zip(items, found, strict=True):
            gold_spans = [(s, e) for label, s, e in gold if label in labels]
            mine = [(s, e) for s, e, k in spans if k in kinds]
            labelled += len(gold_spans)
            recalled += sum(any(s < e2 and s2 < e for s2, e2 in mine) for s, e in gold_spans)
            for s, e in mine:
                hit = any(s < e2 and s2 < e for s2, e2 in gold_spans)
                tp += hit
                fp += not hit
        if labelled:
            rows[name] = {"recall": recalled / labelled, "precision": tp / (tp + fp) if tp + fp else 1.0, "n": labelled}
    return rows


def load_corpus_items(path: Path) -> list[tuple[str, list[tuple[str, int, int]]]]:
    items = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            items.append(
                (
                    data["text"],
                    [(s.get("kind", ""), s["start"], s["end"]) for s in data["spans"] if s["category"] == "phi"],
                )
            )
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument(
        "--ours-python",
        default=os.environ.get("MEDSHARE_PYTHON") or shutil.which("python3") or "python3",
        help="interpreter where medshare_desktop and its deps are installed",
    )
    parser.add_argument("--ours-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.ours_worker:
        ours_worker()
        return 0
    sets = {
        "clinical_queries": load_clinical_queries(args.data / "synthetic-clinical-queries" / "synthetic_dataset.txt"),
        "presidio_synth": load_presidio_synth(args.data / "presidio-research" / "synth_dataset_v2.json"),
    }
    corpus = ROOT / "tests" / "data" / "risk_corpus.jsonl"
    if corpus.exists():
        sets["risk_corpus"] = load_corpus_items(corpus)
    analyzer = presidio_analyzer()
    for set_name, items in sets.items():
        texts = [text for text, _ in items]
        for tool, (found, seconds) in enumerate([run_ours(texts, args.ours_python), run_presidio(texts, analyzer)]):
            tool_name = ("medshare", "presidio")[tool]
            for type_name, row in score(items, found, tool).items():
                for metric in ("recall", "precision"):
                    print(
                        json.dumps(
                            {
                                "name": f"compare.{set_name}.{tool_name}.{type_name}.{metric}",
                                "value": round(row[metric], 4),
                                "unit": "ratio",
                                "n": row["n"],
                            }
                        )
                    )
            print(
                json.dumps(
                    {
                        "name": f"compare.{set_name}.{tool_name}.posts_per_s",
                        "value": round(len(texts) / seconds, 1),
                        "unit": "posts/s",
                    }
                )
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
