from __future__ import annotations

from dataclasses import replace

import pytest

from medshare_desktop.core.errors import ConcurrentEditError
from medshare_desktop.core.models import Person, Platform, PostState, SourceAccount
from medshare_desktop.core.ports import PostFilter
from tests.conftest import make_imported


def test_importing_the_same_posts_twice_adds_nothing_the_second_time(services) -> None:
    first = services.posts.store_imported(make_imported(30), [], "a.json")
    second = services.posts.store_imported(make_imported(30), [], "a.json")
    assert (first.new, first.already_present) == (30, 0)
    assert (second.new, second.already_present) == (0, 30)
    assert services.posts.count(PostFilter()) == 30


def test_duplicates_inside_one_import_are_counted_once(services) -> None:
    posts = make_imported(5) + make_imported(5)
    report = services.posts.store_imported(posts, ["line 3: no text"], "dup.csv")
    assert (report.new, report.already_present, report.skipped) == (5, 5, ("line 3: no text",))
    assert report.summary() == "5 new, 5 already present, 1 skipped (line 3: no text); 5 not linked to a person"


def test_imported_posts_attach_to_the_watched_account_and_its_person(services) -> None:
    person = services.people.add_person(Person(None, "Dr. Anika Patel", department="Cardiology"))
    services.people.add_account(SourceAccount(None, person.id, Platform.LINKEDIN, "anika-patel-md"))
    services.posts.store_imported(make_imported(3) + make_imported(2, handle="someone-else", start=50), [], "x")
    mine = services.posts.query(PostFilter(person_id=person.id))
    assert len(mine) == 3
    assert services.posts.count(PostFilter()) == 5


def test_full_text_search_matches_all_words_as_prefixes_and_ignores_operators(services) -> None:
    posts = make_imported(3)
    posts[1] = replace(posts[1], text="Barely slept after a thirty-hour call shift")
    services.posts.store_imported(posts, [], "x")
    assert [s.excerpt for s in services.posts.query(PostFilter(search="slep call"))] == [
        "Barely slept after a thirty-hour call shift"
    ]
    assert services.posts.query(PostFilter(search="slept cardiology")) == []
    assert services.posts.count(PostFilter(search='"AND OR NEAR(*')) == 0  # no syntax error reaches the user
    assert services.posts.count(PostFilter(search="cardiology")) == 2


def test_filters_by_state_platform_and_dates_combine(services) -> None:
    from datetime import date

    services.posts.store_imported(make_imported(10) + make_imported(4, platform="x", start=100), [], "x")
    first = services.posts.query(PostFilter(descending=False))[0]
    services.posts.start_review(services.posts.get(first.id))
    assert services.posts.count(PostFilter(states=frozenset({PostState.IN_REVIEW}))) == 1
    assert services.posts.count(PostFilter(platform=Platform.X)) == 4
    assert services.posts.count(PostFilter(date_from=date(2026, 10, 3), date_to=date(2026, 10, 4))) == 2  # the 3rd and 4th of October


def test_a_stale_copy_of_a_post_cannot_overwrite_a_newer_change(services) -> None:
    services.posts.store_imported(make_imported(1), [], "x")
    post = services.posts.get(services.posts.query(PostFilter())[0].id)
    services.posts.start_review(post)  # someone else's change
    with pytest.raises(ConcurrentEditError, match=r"changed by tester at \d\d:\d\d on .* — reload"):
        services.posts.reject(post, "stale copy")
    assert services.posts.get(post.id).state is PostState.IN_REVIEW


def test_storing_an_analysis_is_not_an_edit_so_an_open_copy_stays_current(services) -> None:
    from medshare_desktop.core.models import Finding, RiskCategory, Severity

    services.posts.store_imported(make_imported(1), [], "x")
    post = services.posts.get(services.posts.query(PostFilter())[0].id)
    services.posts.store_findings(post.id, [Finding(0, 4, "Post", RiskCategory.PHI, "name", Severity.LOW, "r", "m")])
    assert services.posts.query(PostFilter())[0].risk_summary == "phi:1"
    assert services.posts.start_review(post).state is PostState.IN_REVIEW  # no ConcurrentEditError


def test_a_broad_search_lists_and_counts_exactly_what_a_narrow_one_would(services) -> None:
    from medshare_desktop.storage.post_repository import BROAD_SEARCH

    n = BROAD_SEARCH + 300  # enough matches for the index-walking plan
    posts = [
        replace(p, author=f"Dr. {'ABCDEFGHIJ'[i % 10]} Example", platform=Platform.X if i % 4 == 0 else p.platform)
        for i, p in enumerate(make_imported(n))
    ]
    services.posts.store_imported(posts, [], "big.json")
    everything = [services.posts.query(PostFilter(sort=sort, descending=desc), 0, n) for sort, desc in
                  (("posted_at", True), ("author", False), ("platform", True))]
    for expected, (sort, desc) in zip(everything, (("posted_at", True), ("author", False), ("platform", True)), strict=True):
        broad = PostFilter(search="cardiology", sort=sort, descending=desc)  # every post says "cardiology"
        assert [r.id for r in services.posts.query(broad, 40, 200)] == [r.id for r in expected[40:240]]
    assert services.posts.count(PostFilter(search="cardiology"), 10_001) == n
    only_x = PostFilter(search="cardiology", platform=Platform.X)
    assert services.posts.count(only_x, 10_001) == len([p for p in posts if p.platform is Platform.X])
    assert {r.platform for r in services.posts.query(only_x, 0, 500)} == {Platform.X}
