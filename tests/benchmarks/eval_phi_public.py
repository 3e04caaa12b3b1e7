"""Recall of the risk engine's PHI findings on public, third-party PHI/PII sets (measuring only).

    python tests/benchmarks/eval_phi_public.py [--data /work/shared/benchmarks/phi]

Prints JSON lines {"name", "value", "unit"} (some rows add "n", the number of labels / texts):

synthetic-clinical-queries (1,051 physician-style questions, MIT, see the data README):
  labels are value strings, not offsets; every occurrence of a value in its query is a labelled span
  (`text.find`, non-overlapping). A label is recalled when any `phi` finding overlaps it (any kind:
  the set's types do not map one-to-one to ours). Rows:
  - phi_public.clinical_queries.<identifier_type>.recall, ...all.recall
  - phi_public.clinical_queries.all.full_cover_recall: stricter, every non-space character of the
    value lies inside some `phi` finding (what "nothing leaked" means for redaction)
  - phi_public.clinical_queries.no_phi_flagged_share: share of the 219 no-PHI queries with any `phi`
    finding (ages under 90 and bare years are deliberately unlabelled there)
  - phi_public.clinical_queries.labels_unlocated: tag values not found verbatim in their query
  - phi_public.clinical_queries.posts_per_s: engine.analyze_many after warm-up (load time excluded)
presidio-research synth_dataset_v2 (1,500 template sentences, general PII, not clinical):
  character-offset spans; recall per entity type. Our engine only flags identifiers tied to a
  patient, so low figures on this set are expected and are not a target.

Context is None (no People register). Benchmark sentences are never printed. Do not tune rules to
these sentences: they are a measuring stick, not a test set.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATA = ROOT.parent / "shared" / "benchmarks" / "phi"  # ../shared/benchmarks/phi from the repo
CLINICAL = Path("synthetic-clinical-queries") / "synthetic_dataset.txt"
SYNTH = Path("presidio-research") / "synth_dataset_v2.json"

Item = tuple[str, list[tuple[str, int, int]]]  # (text, [(label, start, end), ...])


def load_clinical_queries(path: Path, stats: dict[str, int] | None = None) -> list[Item]:
    """[(text, [(identifier_type, start, end), ...])] with every occurrence of each tagged value.

    Values not found in their query are skipped and counted in stats["unlocated"].
    """
    items: list[Item] = []
    unlocated = 0
    for block in path.read_text(encoding="utf-8").split("===QUERY===")[1:]:
        query, _, tags = block.partition("===PHI_TAGS===")
        text = query.strip()
        labels: set[tuple[str, int, int]] = set()
        for line in tags.strip().splitlines():
            if not line.strip():
                continue
            tag = json.loads(line)
            value = tag["value"]
            start = text.find(value) if value else -1
            if start < 0:
                unlocated += 1
            while start >= 0:
                labels.add((tag["identifier_type"], start, start + len(value)))
                start = text.find(value, start + len(value))
        items.append((text, sorted(labels, key=lambda label: (label[1], label[2], label[0]))))
    if stats is not None:
        stats["unlocated"] = unlocated
    return items


def load_presidio_synth(path: Path) -> list[Item]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        (row["full_text"], [(s["entity_type"], s["start_position"], s["end_position"]) for s in row["spans"]])
        for row in data
    ]


def phi_spans_ours(texts: list[str], timing: dict[str, float] | None = None) -> list[list[tuple[int, int, str]]]:
    """`phi` findings (start, end, kind) per text; timing["seconds"] excludes load and warm-up."""
    from medshare_desktop.analysis import RiskEngine

    engine = RiskEngine()
    engine.analyze_many(texts[:20])  # warm-up
    started = time.perf_counter()
    found = engine.analyze_many(texts)
    if timing is not None:
        timing["seconds"] = time.perf_counter() - started
    return [[(f.start, f.end, f.kind) for f in findings if f.category.value == "phi"] for findings in found]


def _covered(start: int, end: int, text: str, spans: list[tuple[int, int, str]]) -> bool:
    return all(text[i].isspace() or any(s <= i < e for s, e, _ in spans) for i in range(start, end))


def recall_rows(prefix: str, items: list[Item], found: list[list[tuple[int, int, str]]]) -> list[dict[str, Any]]:
    labelled: Counter[str] = Counter()
    recalled: Counter[str] = Counter()
    covered = 0
    for (text, labels), spans in zip(items, found, strict=True):
        for label, start, end in labels:
            labelled[label] += 1
            recalled[label] += any(s < end and start < e for s, e, _ in spans)
            covered += _covered(start, end, text, spans)
    rows: list[dict[str, Any]] = [
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
    rows.append(
        {"name": f"{prefix}.all.full_cover_recall", "value": round(covered / total, 4), "unit": "ratio", "n": total}
    )
    return rows


def run(data: Path = DEFAULT_DATA) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    stats: dict[str, int] = {}
    queries = load_clinical_queries(data / CLINICAL, stats)
    timing: dict[str, float] = {}
    found = phi_spans_ours([text for text, _ in queries], timing)
    rows.append(
        {
            "name": "phi_public.clinical_queries.posts_per_s",
            "value": round(len(queries) / timing["seconds"], 1),
            "unit": "posts/s",
            "n": len(queries),
        }
    )
    positives = [(q, f) for q, f in zip(queries, found, strict=True) if q[1]]
    rows += recall_rows("phi_public.clinical_queries", [q for q, _ in positives], [f for _, f in positives])
    rows.append({"name": "phi_public.clinical_queries.labels_unlocated", "value": stats["unlocated"], "unit": "labels"})
    negatives = [f for q, f in zip(queries, found, strict=True) if not q[1]]
    rows.append(
        {
            "name": "phi_public.clinical_queries.no_phi_flagged_share",
            "value": round(sum(1 for spans in negatives if spans) / len(negatives), 4),
            "unit": "ratio",
            "n": len(negatives),
        }
    )
    synth = load_presidio_synth(data / SYNTH)
    rows += recall_rows("phi_public.presidio_synth", synth, phi_spans_ours([text for text, _ in synth]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    for row in run(args.data):
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
