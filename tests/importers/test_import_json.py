from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import Platform
from medshare_desktop.importers import read_posts


def test_generic_json_list(data: Path) -> None:
    result = read_posts(data / "generic" / "posts.json")
    assert [p.platform for p in result.posts] == [Platform.LINKEDIN, Platform.X, Platform.MASTODON, Platform.BLOG]
    assert result.skipped == ("record 4: no text",)
    x_post = result.posts[1]
    assert x_post.external_id == "1765000000000000002"  # a number in the file, text here
    assert x_post.media == ("https://pbs.twimg.com/media/flu1.jpg", "https://pbs.twimg.com/media/flu2.jpg")
    assert result.posts[2].text == "Café chat with the residents — naïve questions welcome 😀"
    assert result.posts[2].posted_at == datetime(2024, 3, 7, 7, tzinfo=UTC)
    assert result.posts[3].media == (
        "https://okafor.example.org/img/cover.png",
        "https://okafor.example.org/img/chart.png",
    )


def test_generic_json_wrapped(data: Path) -> None:
    result = read_posts(data / "generic" / "posts_wrapped.json")
    assert len(result.posts) == 2
    assert read_posts(data / "generic" / "posts.json").posts[:2] == result.posts


@pytest.mark.parametrize(
    ("name", "where", "words"),
    [
        ("malformed.json", "line 3, column 28", "Expecting ',' delimiter"),
        ("truncated.json", "line 3, column 12", "ends too early"),
        ("bad_field.json", "record 2, field 'text'", "expected text, found a list"),
    ],
)
def test_broken_json(data: Path, name: str, where: str, words: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read_posts(data / "broken" / name)
    assert (caught.value.path, caught.value.where) == (name, where)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"items": []}', 'no "posts" list'),
        ('{"posts": 3}', 'no "posts" list'),
        ("[1, 2]", "record 1: expected an object, found a number"),
        ('"text"', "expected a list of posts"),
        ('[{"text": "a", "posted_at": "2024-01-01"}] x', "unexpected 'x' after the end"),
        ('[{"text": "a", "posted_at": 20240101}]', "field 'posted_at': expected text, found a number"),
        ('[{"text": "a"}]', "record 1: posted_at is empty"),
        ("\ufeff[]", None),
    ],
)
def test_json_shapes(tmp_path: Path, content: str, words: str | None) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    if words is None:
        assert read_posts(path).posts == ()
        return
    with pytest.raises(ImportFormatError) as caught:
        read_posts(path)
    assert words in str(caught.value)


def test_streaming_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Records, numbers and errors that straddle the reader's chunk boundary."""
    from medshare_desktop.importers import jsonstream

    monkeypatch.setattr(jsonstream, "CHUNK_CHARS", 7)
    records = [
        {"text": f"post {i} " + "é" * (i % 5), "posted_at": "2024-01-02", "external_id": 10**i} for i in range(40)
    ]
    path = tmp_path / "chunks.json"
    path.write_text(json.dumps({"meta": {"n": 12345}, "posts": records}), encoding="utf-8")
    result = read_posts(path)
    assert [p.external_id for p in result.posts] == [str(10**i) for i in range(40)]
    path.write_text(json.dumps(records, indent=1)[:-30] + "]", encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"line \d+, column \d+: not valid JSON"):
        read_posts(path)


def test_minified_error_column(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from medshare_desktop.importers import jsonstream

    monkeypatch.setattr(jsonstream, "CHUNK_CHARS", 16)
    record = '{"text": "abc", "posted_at": "2024-01-01"}'
    content = "[" + ",".join([record] * 5) + ",{oops}]"
    path = tmp_path / "min.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        read_posts(path)
    assert caught.value.where == f"line 1, column {content.index('oops') + 1}"


def test_huge_integer_and_control_characters(tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text('[{"text": "a\\u0000b\\r\\nc", "posted_at": "2024-01-01"}]', encoding="utf-8")
    assert read_posts(path).posts[0].text == "ab\nc"
    path.write_text('[{"text": "a", "posted_at": "2024-01-01", "external_id": ' + "9" * 5000 + "}]", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="odd.json, line 1, column 2: not a usable JSON value"):
        read_posts(path)


def test_iter_posts_matches_read_posts(data: Path) -> None:
    from medshare_desktop.importers import iter_posts

    outcomes = list(iter_posts(data / "generic" / "posts.json"))
    result = read_posts(data / "generic" / "posts.json")
    assert tuple(o for o in outcomes if not isinstance(o, str)) == result.posts
    assert tuple(o for o in outcomes if isinstance(o, str)) == result.skipped
