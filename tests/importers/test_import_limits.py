"""Hostile and heavy files: each is refused with one clear message naming the file, quickly and in
little memory; ordinary files that only look odd (a stray NUL byte) still import."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.importers import read_posts
from medshare_desktop.importers.jsonstream import JsonStream
from medshare_desktop.importers.sources import MAX_ZIP_ENTRIES

from .conftest import DATA

CSV_HEADER = b"text,posted_at\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(range(256)) * 8


def _refused(source: Path, fmt: str = "auto") -> ImportFormatError:
    with pytest.raises(ImportFormatError) as caught:
        read_posts(source, fmt)
    return caught.value


# --- files that are not text ------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("posts.csv", JPEG, "a JPEG image"),
        ("Shares.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "a PDF document"),
        ("posts.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "a PNG image"),
        ("export.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "an old Office file"),
        ("photo.jpg", JPEG, "a JPEG image"),
    ],
    ids=["jpeg-as-csv", "pdf-as-csv", "png-as-json", "xls-as-csv", "jpeg"],
)
def test_a_file_that_is_not_text_is_named_for_what_it_looks_like(tmp_path, name, content, kind) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    error = _refused(path)
    assert str(error).startswith(f"{name}: looks like {kind}")
    assert "Excel" not in str(error) and "UTF-8" not in str(error)


def test_the_format_chosen_by_hand_does_not_change_what_the_file_is_called(tmp_path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(JPEG)
    for fmt in ("csv", "json", "x-archive", "linkedin", "mastodon"):
        assert "looks like a JPEG image" in str(_refused(path, fmt)), fmt


def test_utf16_text_from_excel_is_told_to_be_saved_as_utf8(tmp_path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes("text,posted_at\nHello,2026-10-01\n".encode("utf-16"))
    assert "posts.csv: is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8')" in str(_refused(path))
    path.write_bytes("text,posted_at\nHello,2026-10-01\n".encode("utf-16-le"))  # no byte order mark
    assert "is UTF-16 text" in str(_refused(path))


def test_a_stray_nul_byte_in_a_csv_still_imports(tmp_path) -> None:
    path = tmp_path / "posts.csv"
    path.write_bytes(CSV_HEADER + b"Flu clinic\x00 opens today,2026-10-01\n")
    [post] = read_posts(path).posts
    assert post.text == "Flu clinic opens today"


# --- zip archives -----------------------------------------------------------------------------

def _zip_with_entries(path: Path, count: int) -> Path:
    """A real zip of `count` empty stored entries plus a tweets.js, written directly (zipfile takes
    seconds for this many)."""
    tweets = b"window.YTD.tweets.part0 = []"
    entries = [("data/tweets.js", tweets)] + [(f"e/{i}", b"") for i in range(count - 1)]
    local, central = io.BytesIO(), io.BytesIO()
    for name, body in entries:
        raw, offset = name.encode(), local.tell()
        crc = zlib.crc32(body)
        local.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(body), len(body),
                                len(raw), 0) + raw + body)
        central.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, len(body), len(body),
                                  len(raw), 0, 0, 0, 0, 0, offset) + raw)
    start, size = local.tell(), central.tell()
    with path.open("wb") as handle:
        handle.write(local.getvalue())
        handle.write(central.getvalue())
        # zip64 end record and locator: more than 65,535 entries
        handle.write(struct.pack("<4sQ2H2L4Q", b"PK\x06\x06", 44, 45, 45, 0, 0, count, count, size, start))
        handle.write(struct.pack("<4sLQL", b"PK\x06\x07", 0, start + size, 1))
        handle.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 0))
    return path


def test_a_zip_of_too_many_entries_is_refused_before_they_are_listed(tmp_path) -> None:
    path = _zip_with_entries(tmp_path / "twitter-archive.zip", MAX_ZIP_ENTRIES + 1)
    assert len(zipfile.ZipFile(path).namelist()) == MAX_ZIP_ENTRIES + 1  # a valid archive, just huge
    for fmt in ("auto", "x-archive", "mastodon", "linkedin"):
        error = _refused(path, fmt)
        assert str(error).startswith("twitter-archive.zip: the zip archive lists 200,001 entries"), fmt


def test_a_zip_just_under_the_entry_limit_is_still_read(tmp_path) -> None:
    path = _zip_with_entries(tmp_path / "twitter-archive.zip", 70_000)
    assert read_posts(path).posts == ()


def test_tweet_parts_that_together_unpack_past_the_limit_are_refused_before_reading(tmp_path) -> None:
    path = tmp_path / "twitter-archive.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("data/tweets.js", "window.YTD.tweets.part0 = []")
        archive.writestr("data/tweets-part1.js", "window.YTD.tweets.part1 = []")
        archive.writestr("data/tweets-part2.js", "window.YTD.tweets.part2 = []")
    data = bytearray(path.read_bytes())
    # each part says it unpacks to 200 MB (under the 500 MB limit for one file; 600 MB together)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        struct.pack_into("<L", data, at + 24, 200 * 1024 * 1024)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    error = _refused(path)
    assert str(error) == (
        "twitter-archive.zip: its tweet files unpack to 600.0 MB; the largest file that can be imported is 500 MB"
    )


# --- side files and archive parts -------------------------------------------------------------

def _x_zip(tmp_path: Path, extra: dict[str, str]) -> Path:
    path = tmp_path / "twitter-2024.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(DATA / "x_archive" / "data" / "tweets.js", "data/tweets.js")
        for name, text in extra.items():
            archive.writestr(name, text)
    return path


def test_a_deeply_nested_account_js_is_refused_naming_it(tmp_path) -> None:
    nested = "window.YTD.account.part0 = " + "[" * 200_000 + "]" * 200_000
    path = _x_zip(tmp_path, {"data/account.js": nested})
    assert str(_refused(path)) == "twitter-2024.zip, data/account.js: not valid JSON: nested too deeply"


def test_a_deeply_nested_mastodon_actor_json_is_refused_naming_it(tmp_path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "outbox.json").write_text((DATA / "mastodon" / "outbox.json").read_text(encoding="utf-8"))
    (folder / "actor.json").write_text('{"a":' * 100_000 + "1" + "}" * 100_000)
    assert str(_refused(folder)) == "actor.json: not valid JSON: nested too deeply"


def test_the_command_line_refuses_a_nested_account_js_in_one_line_with_status_2(tmp_path) -> None:
    nested = "window.YTD.account.part0 = " + "[" * 200_000 + "]" * 200_000
    path = _x_zip(tmp_path, {"data/account.js": nested})
    env = dict(os.environ, MEDSHARE_DATA_DIR=str(tmp_path / "data"))
    result = subprocess.run(
        [sys.executable, "-m", "medshare_desktop", "--db", f"sqlite:///{tmp_path}/m.db", "import", str(path)],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr == "medshare: error: twitter-2024.zip, data/account.js: not valid JSON: nested too deeply\n"


def test_an_archive_part_holding_likes_is_not_imported_as_tweets(tmp_path) -> None:
    likes = 'window.YTD.like.part0 = [{"like": {"tweetId": "1", "fullText": "Someone else\'s words"}}]'
    path = _x_zip(tmp_path, {"data/tweets-part1.js": likes})
    assert str(_refused(path)) == (
        "twitter-2024.zip, data/tweets-part1.js line 1: holds like (window.YTD.like), not tweets; "
        "is this the right file?"
    )
    alone = tmp_path / "like.js"
    alone.write_text(likes, encoding="utf-8")
    assert "holds like (window.YTD.like), not tweets" in str(_refused(alone, "x-archive"))


# --- one very large record --------------------------------------------------------------------

def _record(megabytes: int) -> str:
    items = [{"k": i, "v": f"https://example.org/m/{i}.jpg"} for i in range(megabytes * 20_000)]
    return json.dumps([{"text": "one", "posted_at": "2026-10-01", "extra": items}, {"text": "two"}])


def test_a_large_record_is_parsed_in_a_few_passes_not_one_per_megabyte() -> None:
    text = _record(12)
    reads = []
    stream = JsonStream(io.StringIO(text), "big.json", lambda: reads.append(1))
    records = list(stream.array())
    assert [r["text"] for r in records] == ["one", "two"] and len(text) > 12 * 1024 * 1024
    assert len(reads) <= 6  # doubling what is held: 1, 2, 4, 8, 16 MB (before: 13 reads, 13 parses)


def test_a_record_over_16_mb_is_refused_naming_where_it_starts(tmp_path) -> None:
    path = tmp_path / "big.json"
    path.write_text(_record(20), encoding="utf-8")
    assert str(_refused(path)) == "big.json, line 1, column 2: a record is larger than 16 MB, or the JSON is not valid"
