"""Span-overlap evaluation of the risk engine against a labelled corpus (JSONL).

Corpus line: {"id": str, "text": str, "spans": [{"start", "end", "category", "kind"}], "context"?: {...}}.
A finding is a true positive when it overlaps a labelled span of the same category; a labelled
span is recalled when any finding of its category overlaps it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from medshare_desktop.core.models import AnalysisContext, ConsentScope, Finding, KnownPerson, RiskCategory

STRUCTURED_KINDS = ("phone", "email", "url", "ip_address", "ssn", "mrn", "date")
KIND_ALIASES = {"ip": "ip_address", "ip_addr": "ip_address", "dates": "date", "e-mail": "email"}


@dataclass(frozen=True, slots=True)
class LabelledSpan:
    start: int
    end: int
    category: str
    kind: str = ""


@dataclass(frozen=True, slots=True)
class CorpusItem:
    id: str
    text: str
    spans: tuple[LabelledSpan, ...]
    context: AnalysisContext | None = None


@dataclass(slots=True)
class Counts:
    tp: int = 0  # findings overlapping a labelled span of their category
    fp: int = 0
    recalled: int = 0  # labelled spans overlapped by a finding of their category
    labelled: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp = self.tp + other.tp, self.fp + other.fp
        self.recalled, self.labelled = self.recalled + other.recalled, self.labelled + other.labelled

    @property
    def precision(self) -> float:
        found = self.tp + self.fp
        return self.tp / found if found else 1.0

    @property
    def recall(self) -> float:
        return self.recalled / self.labelled if self.labelled else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(slots=True)
class EvalResult:
    by_category: dict[str, Counts] = field(default_factory=dict)
    by_kind: dict[str, Counts] = field(default_factory=dict)  # recall of labelled PHI kinds
    overall: Counts = field(default_factory=Counts)
    items: int = 0

    def metrics(self) -> list[dict[str, object]]:
        """One {"name", "value", "unit"} dict per figure (the benchmark JSON-lines format)."""
        rows: list[dict[str, object]] = []
        for name, counts in [*sorted(self.by_category.items()), ("overall", self.overall)]:
            for metric in ("precision", "recall", "f1"):
                rows.append(
                    {"name": f"risk.{name}.{metric}", "value": round(getattr(counts, metric), 4), "unit": "ratio"}
                )
        for kind in STRUCTURED_KINDS:
            counts = self.by_kind.get(kind)
            if counts is not None and counts.labelled:
                rows.append({"name": f"risk.phi.{kind}.recall", "value": round(counts.recall, 4), "unit": "ratio"})
        return rows


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Half-open, non-empty character ranges share at least one character."""
    return a_start < a_end and b_start < b_end and a_start < b_end and b_start < a_end


def normalise_kind(kind: str) -> str:
    kind = (kind or "").strip().lower()
    return KIND_ALIASES.get(kind, kind)


def _context(data: dict[str, object] | None) -> AnalysisContext | None:
    if not data:
        return None
    people = tuple(
        KnownPerson(
            name=p["name"],
            aliases=tuple(p.get("aliases", ())),
            consented_scopes=frozenset(ConsentScope(s) for s in p.get("consented_scopes", ())),
        )
        for p in data.get("known_people", ())  # type: ignore[union-attr]
    )
    return AnalysisContext(
        known_people=people,
        has_photos=bool(data.get("has_photos", False)),
        people_shown=tuple(data.get("people_shown", ())),  # type: ignore[arg-type]
        extra_terms=tuple(tuple(t) for t in data.get("extra_terms", ())),  # type: ignore[misc, union-attr]
    )


def load_corpus(path: str | Path) -> list[CorpusItem]:
    items = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            spans = tuple(
                LabelledSpan(int(s["start"]), int(s["end"]), str(s["category"]), normalise_kind(s.get("kind", "")))
                for s in data.get("spans", ())
            )
            items.append(CorpusItem(str(data.get("id", number)), data["text"], spans, _context(data.get("context"))))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}:{number}: bad corpus line ({exc})") from exc
    return items


def score_item(result: EvalResult, item: CorpusItem, findings: Iterable[Finding]) -> None:
    findings = [f for f in findings if f.end > f.start]  # (0, 0) consent markers have no span to score
    result.items += 1
    for finding in findings:
        category = finding.category.value
        counts = result.by_category.setdefault(category, Counts())
        hit = any(s.category == category and overlaps(finding.start, finding.end, s.start, s.end) for s in item.spans)
        counts.tp += hit
        counts.fp += not hit
        result.overall.tp += hit
        result.overall.fp += not hit
    for span in item.spans:
        counts = result.by_category.setdefault(span.category, Counts())
        found = any(
            f.category.value == span.category and overlaps(f.start, f.end, span.start, span.end) for f in findings
        )
        counts.labelled += 1
        counts.recalled += found
        result.overall.labelled += 1
        result.overall.recalled += found
        if span.category == RiskCategory.PHI.value and span.kind:
            kind_counts = result.by_kind.setdefault(span.kind, Counts())
            kind_counts.labelled += 1
            kind_counts.recalled += found


def evaluate(
    items: Iterable[CorpusItem],
    analyze_many: Callable[[list[str], AnalysisContext | None], list[list[Finding]]],
) -> EvalResult:
    """Score every item; items sharing no context are analysed in one batch."""
    items = list(items)
    result = EvalResult()
    plain = [item for item in items if item.context is None]
    for item, findings in zip(plain, analyze_many([i.text for i in plain], None), strict=True):
        score_item(result, item, findings)
    for item in items:
        if item.context is not None:
            score_item(result, item, analyze_many([item.text], item.context)[0])
    return result
