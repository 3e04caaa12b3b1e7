"""Recall of the risk engine's PHI findings on two public, third-party PHI/PII sets.

    python tests/benchmarks/eval_phi_public.py [--data /work/shared/benchmarks/phi]

synthetic-clinical-queries: value-string labels (located with str.find); a value is recalled when a
`phi` finding overlaps it. Also prints the share of the 219 no-PHI queries with any `phi` finding.
presidio-research synth_dataset_v2: character-offset spans; recall per entity type.
Prints JSON lines {"name", "value", "unit"}. Do not tune rules to these sentences.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATA = Path("/work/shared/benchmarks/phi")


def load_clinical_queries(path: Path) -> list[tuple[str, list[tuple[str, int, int]]]]:
    """[(text, [(type, start, end), ...])]; values not found in the text are skipped."""
    items = []
    for block in path.read_text(encoding="utf-8").split("===QUERY===")[1:]:
        query, _, tags = block.partition("===PHI_TAGS===")
        text = query.strip()
        labels = []
        for line in tags.strip().splitlines():
            if line.strip():
                tag = json.loads(line)
                start = text.find(tag["value"])
                if start >= 0:
                    labels.append((tag["identifier_type"], start, start + len(tag["value"])))
        items.append((text, labels))
    return items


def load_presidio_synth(path: Path) -> list[tuple[str, list[tuple[str, int, int]]]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        (row["full_text"], [(s["entity_type"], s["start_position"], s["end_position"]) for s in row["spans"]])
        for row in data
    ]


def phi_spans_ours(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    from medshare_desktop.analysis import RiskEngine

    engine = RiskEngine()
    return [
        [(f.start, f.end, f.kind) for f in findings if f.category.value == "phi"]
        for findings in engine.analyze_many(texts)
    ]


def recall_rows(
    prefix: str, items: list[tuple[str, list[tuple[str, int, int]]]], found: list[list[tuple[int, int, str]]]
) -> list[dict[str, object]]:
    labelled: Counter[str] = Counter()
    recalled: Counter[str] = Counter()
    for (_, labels), spans in zip(items, found, strict=True):
        for label, start, end in labels:
            labelled[label] += 1
            recalled[label] += any(s < end and start < e for s, e, _ in spans)
    rows: list[dict[str, object]] = [
        {
            "name": f"{prefix}.{label.lower()}.recall",
            "value": round(recalled[label] / labelled[label], 4),
            "unit": "ratio",
            "n": labelled[label],
        }
        for label in sorted(labelled)
    ]
    total = sum(labelled.values())
    rows.append(
        {"name": f"{prefix}.all.recall", "value": round(sum(recalled.values()) / total, 4), "unit": "ratio", "n": total}
    )
    return rows


def run(data: Path = DEFAULT_DATA) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    queries = load_clinical_queries(data / "synthetic-clinical-queries" / "synthetic_dataset.txt")
    started = time.perf_counter()
    found = phi_spans_ours([text for text, _ in queries])
    rows.append(
        {
            "name": "phi_public.clinical_queries.posts_per_s",
            "value": round(len(queries) / (time.perf_counter() - started), 1),
            "unit": "posts/s",
        }
    )
    rows += recall_rows(
        "phi_public.clinical_queries",
        [q for q in queries if q[1]],
        [f for q, f in zip(queries, found, strict=True) if q[1]],
    )
    negatives = [f for q, f in zip(queries, found, strict=True) if not q[1]]
    flagged = sum(1 for spans in negatives if spans)
    rows.append(
        {
            "name": "phi_public.clinical_queries.no_phi_flagged_share",
            "value": round(flagged / len(negatives), 4),
            "unit": "ratio",
            "n": len(negatives),
        }
    )
    synth = load_presidio_synth(data / "presidio-research" / "synth_dataset_v2.json")
    rows += recall_rows("phi_public.presidio_synth", synth, phi_spans_ours([text for text, _ in synth]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    for row in run(args.data):
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
