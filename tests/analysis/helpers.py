"""Small helpers for the analysis tests."""

from __future__ import annotations

from medshare_desktop.core.models import Finding


def categories(findings: list[Finding]) -> set[str]:
    return {f.category.value for f in findings}


def kinds(findings: list[Finding], category: str) -> set[str]:
    return {f.kind for f in findings if f.category.value == category}
