"""The inbox's risk column and sort: the highest open severity and how many findings are open, kept in
step with the findings whoever stores or resolves them, and agreeing with the risk filter."""

from __future__ import annotations

import pytest

from medshare_desktop.core.models import Finding, Resolution, RiskCategory, Severity
from medshare_desktop.core.ports import PostFilter
from tests.conftest import make_imported


def _finding(category: RiskCategory, severity: Severity, n: int = 0) -> Finding:
    return Finding(n, n + 4, "Post", category, f"kind{n}", severity, f"rule{n}", "message")


def _rows(services, flt: PostFilter | None = None) -> dict[int, tuple[Severity | None, int]]:
    return {s.id: (s.open_risk, s.open_findings) for s in services.posts.query(flt or PostFilter(), 0, 200)}


def _three_posts(services) -> list[int]:
    services.posts.store_imported(make_imported(3), [], "x.json")
    ids = sorted(s.id for s in services.posts.query(PostFilter()))
    services.posts.store_findings(ids[0], [_finding(RiskCategory.PHI, Severity.HIGH),
                                           _finding(RiskCategory.DISCOVERABLE, Severity.LOW, 1)])
    services.posts.store_findings(ids[1], [_finding(RiskCategory.UNPROFESSIONAL, Severity.MEDIUM, n) for n in range(3)])
    services.posts.store_findings(ids[2], [])
    return ids


def test_each_row_carries_the_highest_open_severity_and_the_open_count(services) -> None:
    high, medium, clean = _three_posts(services)
    assert _rows(services) == {high: (Severity.HIGH, 2), medium: (Severity.MEDIUM, 3), clean: (None, 0)}


def test_resolving_findings_lowers_the_badge_and_reopening_raises_it_again(services) -> None:
    high, _medium, _clean = _three_posts(services)
    phi = next(f for f in services.posts.findings(high) if f.finding.severity is Severity.HIGH)

    services.posts.resolve_finding(phi.id, Resolution.ACCEPTED, "the name is the author's own")
    assert _rows(services)[high] == (Severity.LOW, 1)

    services.posts.reopen_finding(phi.id)
    assert _rows(services)[high] == (Severity.HIGH, 2)

    for f in services.posts.findings(high):
        services.posts.resolve_finding(f.id, Resolution.FALSE_POSITIVE, "not a patient")
    assert _rows(services)[high] == (None, 0)


def test_sorting_by_risk_puts_the_riskiest_first_and_the_clean_last(services) -> None:
    high, medium, clean = _three_posts(services)
    newest_first = [s.id for s in services.posts.query(PostFilter(sort="risk"))]
    oldest_first = [s.id for s in services.posts.query(PostFilter(sort="risk", descending=False))]
    assert newest_first == [high, medium, clean]
    assert oldest_first == [clean, medium, high]


def test_every_post_the_risk_filter_finds_shows_an_open_risk_and_no_other_post_does(services) -> None:
    high, medium, clean = _three_posts(services)
    matched: set[int] = set()
    for category in RiskCategory:
        found = _rows(services, PostFilter(risk_category=category))
        assert all(level is not None and count > 0 for level, count in found.values())
        matched |= set(found)
    shown = {post_id for post_id, (level, _count) in _rows(services).items() if level is not None}
    assert matched == shown == {high, medium}


@pytest.mark.parametrize("broad_from", [2_000, 5], ids=["narrow-phrasing", "broad-phrasing"])
def test_filters_and_sorts_combined_return_the_same_posts_as_without_the_index_tricks(
    services, monkeypatch, broad_from: int
) -> None:
    """The query phrasing chosen for big inboxes (walking the sort's index, or reading a narrow search
    first) must never change which posts match nor their order."""
    from dataclasses import replace

    from medshare_desktop.core.models import Platform, PostState
    from medshare_desktop.storage import post_repository

    monkeypatch.setattr(post_repository, "BROAD_SEARCH", broad_from)

    services.posts.store_imported(make_imported(60) + make_imported(40, platform="x", handle="dr-x", start=100), [], "x")
    ids = sorted(s.id for s in services.posts.query(PostFilter(), 0, 500))
    for n, post_id in enumerate(ids[::3]):
        services.posts.store_findings(post_id, [_finding(RiskCategory.PHI, (Severity.HIGH, Severity.LOW)[n % 2])])
    every = services.posts.query(PostFilter(), 0, 500)
    for flt in (
        PostFilter(platform=Platform.X),
        PostFilter(states=frozenset({PostState.NEW}), risk_category=RiskCategory.PHI),
        PostFilter(search="cardiology"),
        PostFilter(search="number 1", platform=Platform.LINKEDIN),
    ):
        for sort in ("posted_at", "author", "platform", "state", "risk"):
            for descending in (True, False):
                chosen = replace(flt, sort=sort, descending=descending)
                got = [s.id for s in services.posts.query(chosen, 0, 500)]
                expected = _expected(every, services, chosen)
                assert got == expected, chosen
                assert services.posts.count(chosen, 10_001) == len(expected)


def _expected(every, services, flt: PostFilter) -> list[int]:
    """The filter applied and the order computed in Python over every row."""
    allowed = {s.id for s in services.posts.query(PostFilter(search=flt.search), 0, 500)} if flt.search else None
    risky = (
        {s.id for s in every if any(f.finding.category is flt.risk_category and f.resolution is None
                                    for f in services.posts.findings(s.id))}
        if flt.risk_category else None
    )
    rows = [
        s for s in every
        if (flt.platform is None or s.platform is flt.platform)
        and (not flt.states or s.state in flt.states)
        and (allowed is None or s.id in allowed)
        and (risky is None or s.id in risky)
    ]
    level = {None: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3}
    key = {
        "posted_at": lambda s: (s.posted_at, s.id),
        "author": lambda s: (s.author, s.id),
        "platform": lambda s: (s.platform.value, s.id),
        "state": lambda s: (s.state.value, s.posted_at, s.id),
        "risk": lambda s: (level[s.open_risk], s.open_findings, s.posted_at, s.id),
    }[flt.sort]
    return [s.id for s in sorted(rows, key=key, reverse=flt.descending)]
