from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import Platform
from medshare_desktop.importers import read_posts
from medshare_desktop.importers.x_archive import parse_created_at


def _check_archive(result_posts: tuple, skipped: tuple) -> None:
    assert [p.external_id for p in result_posts] == [
        "1050118621198921728",
        "1050300000000000002",
        "1060000000000000010",  # from tweets-part1.js, after part0
    ]
    flu, night, update = result_posts
    assert flu.platform is Platform.X
    assert flu.text == (
        "Flu shots are free for staff this week & next. #FluSeason Details >> https://hospital.example.org/flu"
    )
    assert flu.posted_at == datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)
    assert flu.url == "https://x.com/drjrivera/status/1050118621198921728"
    assert (flu.author, flu.handle) == ("Dr. Jane Rivera", "@drjrivera")
    assert night.text == "Night shift crew, ready for anything. Grateful for this team 💙"  # t.co media link gone
    assert night.media == ("https://pbs.twimg.com/media/DpTeam1.jpg", "https://pbs.twimg.com/media/DpTeam2.jpg")
    assert night.posted_at == datetime(2018, 10, 12, 4, 30, tzinfo=UTC)  # -0500 converted to UTC
    assert update.text.startswith("Update: the clinic")
    assert skipped == (
        "tweet 1050200000000000001: retweet of @cityhospital",
        "tweet 1050400000000000003: no text (media only)",
    )


def test_extracted_folder(data: Path) -> None:
    result = read_posts(data / "x_archive")
    _check_archive(result.posts, result.skipped)


def test_zip(x_zip: Path) -> None:
    result = read_posts(x_zip)
    assert result.source_name == x_zip.name
    _check_archive(result.posts, result.skipped)


def test_zip_with_top_folder(tmp_path: Path, data: Path, make_zip: Callable[..., Path]) -> None:
    archive = make_zip(data / "x_archive", tmp_path / "nested.zip", prefix="twitter-2024/")
    result = read_posts(archive)
    _check_archive(result.posts, result.skipped)


def test_tweets_js_itself_and_data_folder(data: Path) -> None:
    by_file = read_posts(data / "x_archive" / "data" / "tweets.js")
    by_data = read_posts(data / "x_archive" / "data", "x-archive")
    assert by_file.posts == by_data.posts == read_posts(data / "x_archive").posts


def test_without_account_js(tmp_path: Path, data: Path) -> None:
    shutil.copy(data / "x_archive" / "data" / "tweets.js", tmp_path / "tweets.js")
    first = read_posts(tmp_path / "tweets.js").posts[0]
    assert (first.author, first.handle) == ("", "")
    assert first.url == "https://x.com/i/web/status/1050118621198921728"


def test_old_layout(data: Path) -> None:
    (post,) = read_posts(data / "x_archive_old").posts
    assert post.external_id == "990000000000000001"
    assert post.text == 'An archive in the 2019 layout: tweet.js with no "tweet" wrapper.'


def test_bad_prefix(data: Path) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read_posts(data / "broken" / "bad_prefix_tweets.js", "x-archive")
    assert caught.value.path == "bad_prefix_tweets.js"
    assert caught.value.where == "line 1, column 1"
    assert "window.YTD.tweets.part0" in str(caught.value)


def test_zip_without_tweets(zip_without_tweets: Path) -> None:
    with pytest.raises(
        ImportFormatError, match=r"twitter-archive.zip: is not an X \(Twitter\) archive.*data/tweets.js"
    ):
        read_posts(zip_without_tweets, "x-archive")


def test_truncated_zip(truncated_zip: Path) -> None:
    with pytest.raises(ImportFormatError, match=r"truncated.zip: the zip archive is damaged or incomplete"):
        read_posts(truncated_zip)


def test_damaged_member(corrupt_member_zip: Path) -> None:
    with pytest.raises(ImportFormatError) as caught:
        read_posts(corrupt_member_zip, "x-archive")
    assert caught.value.path == "corrupt.zip"
    assert "data/tweets.js" in caught.value.where
    assert "damaged" in str(caught.value)


def test_bad_record_names_tweet(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    path.write_text(
        'window.YTD.tweets.part0 = [{"tweet": {"id_str": "7", "created_at": "yesterday", "full_text": "x"}}]',
        encoding="utf-8",
    )
    with pytest.raises(ImportFormatError, match=r"tweets.js, tweet 7: created_at 'yesterday' is not an X date"):
        read_posts(path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Wed Oct 10 20:19:24 +0000 2018", datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)),
        ("Mon Jan 01 00:30:00 +0100 2024", datetime(2023, 12, 31, 23, 30, tzinfo=UTC)),
    ],
)
def test_created_at(value: str, expected: datetime) -> None:
    assert parse_created_at(value) == expected


@pytest.mark.parametrize("value", ["", "Wed Foo 10 20:19:24 +0000 2018", "Wed Feb 30 20:19:24 +0000 2018"])
def test_created_at_bad(value: str) -> None:
    with pytest.raises(ValueError):
        parse_created_at(value)
