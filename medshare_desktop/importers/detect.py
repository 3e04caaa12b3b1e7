"""Which importer a file or folder needs, from its name, extension and first bytes."""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.importers.sniff import refuse_binary
from medshare_desktop.importers.sources import ZIP_DAMAGED, is_zip, open_zip
from medshare_desktop.importers.x_archive import TWEETS_FILE

FORMATS = ("auto", "csv", "json", "x-archive", "linkedin", "mastodon", "rss")
_PEEK = 64 * 1024
_FEED = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")
_LINKEDIN_COLUMNS = (b"sharecommentary", b"sharelink")


def detect_format(path: Path) -> str:
    """One of FORMATS other than "auto"; raises ImportFormatError naming the file otherwise."""
    name = path.name.lower()
    if path.is_dir():
        return _detect_folder(path)
    if not path.is_file():
        raise ImportFormatError(path.name or str(path), "", "not found")
    if is_zip(path) or name.endswith(".zip"):
        return _detect_zip(path)
    refuse_binary(path)
    if TWEETS_FILE.search(name):
        return "x-archive"
    if name == "shares.csv":
        return "linkedin"
    if name == "outbox.json":
        return "mastodon"
    if name.endswith((".xml", ".rss", ".atom")):
        return "rss"
    head = _peek(path)
    content = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    first_line = content.split(b"\n", 1)[0].lower()
    if content.startswith(b"window.YTD."):
        return "x-archive"
    is_json = name.endswith(".json") or content[:1] in (b"[", b"{")
    if name.endswith(".csv") or (not is_json and b"posted_at" in first_line and b"text" in first_line):
        return "linkedin" if all(c in first_line for c in _LINKEDIN_COLUMNS) else "csv"
    if not is_json and all(c in first_line for c in _LINKEDIN_COLUMNS):
        return "linkedin"
    if is_json:
        return "mastodon" if b'"orderedItems"' in content else "json"
    if content.startswith(b"<") and _FEED.search(content[:4096]):
        return "rss"
    if not content:
        raise ImportFormatError(path.name, "", "the file is empty")
    raise ImportFormatError(path.name, "", _UNKNOWN)


_UNKNOWN = "cannot tell which format this is; choose one of: " + ", ".join(FORMATS[1:])


def _peek(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_PEEK)
    except OSError as err:
        raise ImportFormatError(path.name, "", f"cannot be read ({err.strerror})") from None


def _detect_folder(path: Path) -> str:
    names = {p.name.lower() for p in path.iterdir()}
    data = path / "data"
    if data.is_dir() and any(TWEETS_FILE.search(p.name) for p in data.glob("tweet*.js")):
        return "x-archive"
    if any(TWEETS_FILE.search(n) for n in names):
        return "x-archive"
    if "outbox.json" in names:
        return "mastodon"
    if "shares.csv" in names:
        return "linkedin"
    raise ImportFormatError(path.name, "", "is a folder without data/tweets.js, outbox.json or Shares.csv; " + _UNKNOWN)


def _detect_zip(path: Path) -> str:
    try:
        with open_zip(path) as archive:
            names = [n.lower() for n in archive.namelist()]
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError) as err:
        raise ImportFormatError(path.name, "", f"{ZIP_DAMAGED} ({err})") from None
    if any(TWEETS_FILE.search(n) and "data/" in n for n in names):
        return "x-archive"
    if any(n.rsplit("/", 1)[-1] == "outbox.json" for n in names):
        return "mastodon"
    if any(n.rsplit("/", 1)[-1] == "shares.csv" for n in names):
        return "linkedin"
    raise ImportFormatError(
        path.name,
        "",
        "is a zip archive without data/tweets.js (X), outbox.json (Mastodon) or Shares.csv (LinkedIn)",
    )
