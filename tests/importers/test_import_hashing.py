from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from medshare_desktop.core.models import ImportedPost, Platform
from medshare_desktop.importers import content_hash, read_pasted, read_posts

POST = ImportedPost(
    platform=Platform.LINKEDIN,
    text="Proud of our NICU team.\nTwelve years!",
    posted_at=datetime(2024, 3, 5, 14, 22, tzinfo=UTC),
    author="Dr. Jane Rivera",
    handle="@drjrivera",
)


def test_is_sha256_hex() -> None:
    digest = content_hash(POST)
    assert len(digest) == 64 and int(digest, 16) >= 0


def test_normalisation_keeps_the_hash() -> None:
    same = [
        replace(POST, text="  proud of our NICU team. \r\n  Twelve   years! "),
        replace(POST, handle="DrJRivera"),
        replace(POST, posted_at=datetime(2024, 3, 5, 23, 59, tzinfo=UTC)),
        replace(POST, posted_at=datetime(2024, 3, 5, 9, 0, tzinfo=timezone(timedelta(hours=-5)))),
        replace(POST, url="https://elsewhere", external_id="x", media=("a.jpg",), author="Jane"),
    ]
    assert {content_hash(p) for p in same} == {content_hash(POST)}


def test_differences_change_the_hash() -> None:
    different = [
        replace(POST, platform=Platform.X),
        replace(POST, handle="@someoneelse"),
        replace(POST, text="Proud of our PICU team.\nTwelve years!"),
        replace(POST, posted_at=datetime(2024, 3, 6, 0, 1, tzinfo=UTC)),
    ]
    hashes = {content_hash(p) for p in different}
    assert content_hash(POST) not in hashes and len(hashes) == len(different)


def test_author_used_without_handle() -> None:
    a = read_pasted("Same text", author="Dr. A", platform=Platform.BLOG, posted_at=datetime(2024, 1, 1, tzinfo=UTC))
    b = read_pasted("Same text", author="dr.  a", platform=Platform.BLOG, posted_at=datetime(2024, 1, 1, tzinfo=UTC))
    c = read_pasted("Same text", author="Dr. B", platform=Platform.BLOG, posted_at=datetime(2024, 1, 1, tzinfo=UTC))
    assert content_hash(a) == content_hash(b) != content_hash(c)


@pytest.mark.parametrize(
    "relative",
    ["generic/posts.csv", "generic/posts.json", "x_archive", "linkedin", "mastodon", "rss/feed.rss", "rss/atom.xml"],
)
def test_same_source_twice_gives_same_posts_and_hashes(data: Path, relative: str) -> None:
    first, second = read_posts(data / relative), read_posts(data / relative)
    assert first == second
    hashes = [content_hash(p) for p in first.posts]
    assert hashes == [content_hash(p) for p in second.posts]
    assert len(set(hashes)) == len(hashes)
