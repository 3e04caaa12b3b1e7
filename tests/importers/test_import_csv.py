from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import Platform
from medshare_desktop.importers import content_hash, read_posts


def test_generic_csv_fields(data: Path) -> None:
    result = read_posts(data / "generic" / "posts.csv")
    assert result.source_name == "posts.csv"
    assert len(result.posts) == 5
    assert result.skipped == ("line 6: no text",)
    first, second, third, fourth, fifth = result.posts
    assert first.platform is Platform.LINKEDIN
    assert first.external_id == "urn:li:share:7170000000000000001"
    assert first.posted_at == datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)
    assert second.text == "Flu shots are available at all our clinics.\nWalk-ins welcome, Monday to Friday."
    assert second.posted_at == datetime(2024, 3, 6, tzinfo=UTC)
    assert second.media == ("https://pbs.twimg.com/media/flu1.jpg", "https://pbs.twimg.com/media/flu2.jpg")
    assert second.handle == "@drjrivera"
    # no platform column value: guessed from the URL, handle and id taken from it
    assert third.platform is Platform.MASTODON
    assert third.text == 'She said "thank you" and that made my week.'
    assert third.posted_at == datetime(2024, 3, 7, 7, 0, tzinfo=UTC)
    assert third.handle == "@samokafor@mastodon.social"
    assert fourth.posted_at == datetime(2024, 3, 9, 18, 30, tzinfo=UTC)  # naive → UTC
    assert fourth.media == ("https://okafor.example.org/img/cover.png", "https://okafor.example.org/img/chart.png")
    assert fifth.platform is Platform.OTHER and fifth.external_id is None
    assert fifth.posted_at == datetime(2024, 3, 10, 17, 0, tzinfo=UTC)
    assert all(p.posted_at.tzinfo is UTC for p in result.posts)


def test_bom_and_crlf_read_the_same(data: Path) -> None:
    plain = read_posts(data / "generic" / "posts.csv")
    bom = read_posts(data / "generic" / "posts_bom_crlf.csv", "csv")
    assert bom.posts == plain.posts
    assert bom.skipped == plain.skipped


def test_semicolon_separated(data: Path) -> None:
    (post,) = read_posts(data / "generic" / "posts_semicolon.csv").posts
    assert post.text == "Hand hygiene day; thank you all"
    assert post.author == "Dr. Lee"


def test_same_file_twice_is_identical(data: Path) -> None:
    first = read_posts(data / "generic" / "posts.csv")
    second = read_posts(data / "generic" / "posts.csv")
    assert first == second
    assert [content_hash(p) for p in first.posts] == [content_hash(p) for p in second.posts]


@pytest.mark.parametrize(
    ("name", "where", "words"),
    [
        ("no_text_column.csv", "line 1", "missing required column 'text'"),
        ("latin1.csv", "line 3", "byte 0xE9 is not valid UTF-8"),
        ("empty.csv", "", "empty"),
        ("bad_date.csv", "line 3", "posted_at 'yesterday'"),
        ("unclosed_quote.csv", "line 3", "not valid CSV"),
    ],
)
def test_broken_csv(data: Path, name: str, where: str, words: str) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read_posts(data / "broken" / name, "csv")
    assert caught.value.path == name
    assert caught.value.where == where
    assert words in str(caught.value)
    assert str(caught.value).startswith(name)


def test_unknown_platform_names_line_and_value(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("text,posted_at,platform\nhello,2024-01-01,myspace\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"p.csv, line 2: platform: unknown platform 'myspace'"):
        read_posts(path)


def test_quoted_newlines_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text('text,posted_at\n"a\nb\nc",2024-01-01\n"",2024-01-02\n', encoding="utf-8")
    result = read_posts(path)
    assert result.posts[0].text == "a\nb\nc"
    assert result.skipped == ("line 5: no text",)


def test_column_names_are_matched_loosely(tmp_path: Path) -> None:
    path = tmp_path / "loose.csv"
    path.write_text(" Text , POSTED_AT ,Platform\nhi,2024-01-01T10:00:00+01:00,Twitter\n", encoding="utf-8")
    (post,) = read_posts(path).posts
    assert post.platform is Platform.X
    assert post.posted_at == datetime(2024, 1, 1, 9, tzinfo=UTC)
