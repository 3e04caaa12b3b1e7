"""The corpus matching logic used by tests/benchmarks/eval_risk.py."""

from __future__ import annotations

import json
from pathlib import Path

from medshare_desktop.analysis.evaluation import (
    CorpusItem,
    EvalResult,
    LabelledSpan,
    evaluate,
    load_corpus,
    overlaps,
    score_item,
)
from medshare_desktop.core.models import AnalysisContext, Finding, RiskCategory, Severity


def finding(start: int, end: int, category: str, kind: str = "x") -> Finding:
    return Finding(start, end, "", RiskCategory(category), kind, Severity.HIGH, "r", "m")


def test_overlaps() -> None:
    assert overlaps(0, 5, 4, 9)
    assert not overlaps(0, 5, 5, 9)
    assert not overlaps(3, 3, 0, 9)


def test_score_counts_category_overlap() -> None:
    item = CorpusItem("1", "x" * 50, (LabelledSpan(0, 10, "phi", "phone"), LabelledSpan(20, 30, "discoverable")))
    result = EvalResult()
    score_item(result, item, [finding(2, 4, "phi"), finding(22, 25, "phi"), finding(40, 45, "unprofessional")])
    phi = result.by_category["phi"]
    assert (phi.tp, phi.fp, phi.recalled, phi.labelled) == (1, 1, 1, 1)
    assert result.by_category["discoverable"].recall == 0.0
    assert result.by_category["unprofessional"].precision == 0.0
    assert result.by_kind["phone"].recall == 1.0
    assert result.overall.labelled == 2 and result.overall.tp == 1 and result.overall.fp == 2


def test_metrics_names_and_perfect_scores(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    rows = [
        {
            "id": "a",
            "text": "call 555-123-4567",
            "spans": [{"start": 5, "end": 17, "category": "phi", "kind": "phone"}],
        },
        {"id": "b", "text": "nothing", "spans": []},
        {"id": "c", "text": "Maria", "spans": [], "context": {"known_people": [{"name": "Maria"}]}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    items = load_corpus(path)
    assert items[2].context == AnalysisContext(known_people=items[2].context.known_people)  # type: ignore[union-attr]

    def fake(texts: list[str], ctx: AnalysisContext | None) -> list[list[Finding]]:
        return [[finding(5, 17, "phi", "phone")] if "call" in t else [] for t in texts]

    result = evaluate(items, fake)
    names = {row["name"]: row["value"] for row in result.metrics()}
    assert names["risk.phi.precision"] == 1.0 and names["risk.phi.recall"] == 1.0
    assert names["risk.phi.phone.recall"] == 1.0
    assert names["risk.overall.f1"] == 1.0
    assert all(row["unit"] == "ratio" for row in result.metrics())
