from __future__ import annotations

from pathlib import Path

import pytest

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.importers import FORMATS, detect_format, read_posts


def test_formats_tuple() -> None:
    assert FORMATS == ("auto", "csv", "json", "x-archive", "linkedin", "mastodon", "rss")


@pytest.mark.parametrize(
    ("relative", "expected"),
    [
        ("generic/posts.csv", "csv"),
        ("generic/posts_bom_crlf.csv", "csv"),
        ("generic/posts.json", "json"),
        ("generic/posts_wrapped.json", "json"),
        ("x_archive", "x-archive"),
        ("x_archive/data", "x-archive"),
        ("x_archive/data/tweets.js", "x-archive"),
        ("x_archive/data/tweets-part1.js", "x-archive"),
        ("x_archive_old", "x-archive"),
        ("linkedin", "linkedin"),
        ("linkedin/Shares.csv", "linkedin"),
        ("mastodon", "mastodon"),
        ("mastodon/outbox.json", "mastodon"),
        ("rss/feed.rss", "rss"),
        ("rss/atom.xml", "rss"),
    ],
)
def test_detect_fixtures(data: Path, relative: str, expected: str) -> None:
    assert detect_format(data / relative) == expected


def test_detect_zips(x_zip: Path, mastodon_zip: Path, linkedin_zip: Path) -> None:
    assert detect_format(x_zip) == "x-archive"
    assert detect_format(mastodon_zip) == "mastodon"
    assert detect_format(linkedin_zip) == "linkedin"


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("export.txt", b"\xef\xbb\xbf  <?xml version='1.0'?>\n<rss version='2.0'><channel/></rss>", "rss"),
        ("feed", b"<feed xmlns='http://www.w3.org/2005/Atom'></feed>", "rss"),
        ("data.js", b"window.YTD.tweets.part0 = []", "x-archive"),
        ("dump", b'{"orderedItems": []}', "mastodon"),
        ("dump", b"[]", "json"),
        ("renamed.txt", b"text,posted_at\nhi,2024-01-01\n", "csv"),
        ("export.csv", b"Date,ShareLink,ShareCommentary\n", "linkedin"),
        ("outbox-copy.json", b'{"type": "OrderedCollection", "orderedItems": []}', "mastodon"),
    ],
)
def test_detect_by_content(tmp_path: Path, name: str, content: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert detect_format(path) == expected


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("notes.txt", b"just some words", "cannot tell which format"),
        ("blank", b"", "empty"),
        ("bad.zip", b"PK\x03\x04 not really", "damaged or incomplete"),
    ],
)
def test_detect_fails_naming_file(tmp_path: Path, name: str, content: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFormatError) as caught:
        detect_format(path)
    assert caught.value.path == name
    assert words in str(caught.value)


def test_detect_missing_and_odd_folder(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="nothing.csv: not found"):
        detect_format(tmp_path / "nothing.csv")
    (tmp_path / "folder").mkdir()
    with pytest.raises(ImportFormatError, match="folder: is a folder without"):
        detect_format(tmp_path / "folder")


def test_zip_without_known_content(zip_without_tweets: Path) -> None:
    with pytest.raises(ImportFormatError, match=r"twitter-archive.zip: is a zip archive without data/tweets.js"):
        read_posts(zip_without_tweets)


def test_unknown_format_name(data: Path) -> None:
    with pytest.raises(ImportFormatError, match="unknown format 'xml'"):
        read_posts(data / "rss" / "feed.rss", "xml")
