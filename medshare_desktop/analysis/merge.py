"""Resolving overlapping candidates and turning them into Findings."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from medshare_desktop.analysis.candidates import MODEL_RULE_PREFIX, Candidate
from medshare_desktop.analysis.explanations import explain
from medshare_desktop.core.models import Finding, RiskCategory

NARRATIVE_GAP = 240  # patient-story matches this close (same paragraph) form one finding


def _joinable(text: str | None, category: RiskCategory, current: Candidate, candidate: Candidate) -> bool:
    if candidate.start < current.end:
        return True
    if text is None or category is not RiskCategory.PATIENT_STORY:
        return False
    gap = text[current.end : candidate.start]
    return len(gap) <= NARRATIVE_GAP and "\n\n" not in gap


def _from_model(candidate: Candidate) -> bool:
    return candidate.rule.startswith(MODEL_RULE_PREFIX)


def _better(current: Candidate, candidate: Candidate) -> Candidate:
    """Whose kind and rule a joined span keeps: a rule's specific kind over the classifier's generic one,
    then the longer match."""
    if _from_model(current) != _from_model(candidate):
        return current if _from_model(candidate) else candidate
    return candidate if candidate.end - candidate.start > current.end - current.start else current


def _first_of_each_overlap(spans: list[Candidate]) -> list[Candidate]:
    """The spans, in their order, that overlap none kept before them. The kept spans never overlap one
    another, so sorted by start only the neighbours of a new span can touch it (a bisection, not a scan
    of every kept span: a huge paste has thousands)."""
    starts: list[int] = []
    ends: list[int] = []
    chosen: list[Candidate] = []
    for candidate in spans:
        at = bisect_right(starts, candidate.start)
        if at and ends[at - 1] > candidate.start:
            continue  # the kept span starting at or before it reaches into it
        if at < len(starts) and starts[at] < candidate.end:
            continue  # the next kept span starts inside it
        starts.insert(at, candidate.start)
        ends.insert(at, candidate.end)
        chosen.append(candidate)
    return chosen


def resolve(candidates: Iterable[Candidate], text: str | None = None) -> list[Candidate]:
    """Within one category keep one finding per overlapping cluster.

    PHI: the highest-priority (then longest) candidate wins, so an email is not also a URL.
    Other categories: overlapping matches are joined into one span, keeping the longest rule's kind (a
    rule's specific kind wins over the sentence classifier's generic one);
    patient-story matches in the same paragraph are joined too (one narrative, one finding).
    Zero-length consent findings (photo without a name in the text) are kept as they are.
    """
    by_category: dict[RiskCategory, list[Candidate]] = {}
    for candidate in candidates:
        by_category.setdefault(candidate.category, []).append(candidate)
    kept: list[Candidate] = []
    for category, items in by_category.items():
        points = [c for c in items if c.start == c.end]
        spans = [c for c in items if c.start < c.end]
        kept.extend(dict.fromkeys(points))
        if category is RiskCategory.PHI or category is RiskCategory.CONSENT:
            spans.sort(key=lambda c: (-c.priority, -(c.end - c.start), c.start))
            kept.extend(_first_of_each_overlap(spans))
        else:
            spans.sort(key=lambda c: (c.start, -(c.end - c.start)))
            current: Candidate | None = None
            for candidate in spans:
                if current is not None and _joinable(text, category, current, candidate):
                    if candidate.end > current.end or (_from_model(current) and not _from_model(candidate)):
                        best = _better(current, candidate)
                        severity = max(current.severity, candidate.severity, key=lambda s: s.rank)
                        current = Candidate(
                            current.start, max(current.end, candidate.end), category, best.kind, best.rule, severity,
                            best.priority,
                        )
                    continue
                if current is not None:
                    kept.append(current)
                current = candidate
            if current is not None:
                kept.append(current)
    return kept


def to_findings(text: str, candidates: Iterable[Candidate], offset: int = 0) -> list[Finding]:
    findings = []
    for c in candidates:
        message, suggestion = explain(c.category, c.kind, c.subject)
        findings.append(
            Finding(
                start=c.start + offset,
                end=c.end + offset,
                text=text[c.start : c.end],
                category=c.category,
                kind=c.kind,
                severity=c.severity,
                rule=c.rule,
                message=message,
                suggestion=suggestion,
            )
        )
    return findings


def sort_key(finding: Finding) -> tuple[int, int, str, str]:
    return (finding.start, finding.end, finding.category.value, finding.kind)
