"""Importers: turn a file, folder, zip archive or feed URL into ImportedPost objects.

A pure reading layer (no Qt, no database). An import lands whole or not at all: records that
are individually unusable are skipped with a reason in ImportResult.skipped, while a file that
is malformed raises ImportFormatError naming the file and line/record and returns nothing.
Formats are described in docs/import_formats.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import ImportedPost
from medshare_desktop.importers.common import MAX_FILE_BYTES, Monitor
from medshare_desktop.importers.detect import FORMATS, detect_format
from medshare_desktop.importers.errors import ImportCancelled, SourceUnreachableError
from medshare_desktop.importers.generic_csv import iter_csv
from medshare_desktop.importers.generic_json import iter_json
from medshare_desktop.importers.hashing import content_hash
from medshare_desktop.importers.linkedin import iter_linkedin
from medshare_desktop.importers.mastodon import iter_mastodon
from medshare_desktop.importers.pasted import read_pasted
from medshare_desktop.importers.result import ImportResult
from medshare_desktop.importers.rss import is_url, iter_feed
from medshare_desktop.importers.x_archive import iter_x_archive

__all__ = [
    "FORMATS",
    "MAX_FILE_BYTES",
    "ImportCancelled",
    "ImportFormatError",
    "ImportResult",
    "SourceUnreachableError",
    "content_hash",
    "detect_format",
    "iter_posts",
    "read_pasted",
    "read_posts",
    "source_name",
]

_READERS: dict[str, Callable[[Path, Monitor], Iterator[ImportedPost | str]]] = {
    "csv": iter_csv,
    "json": iter_json,
    "x-archive": iter_x_archive,
    "linkedin": iter_linkedin,
    "mastodon": iter_mastodon,
}


def read_posts(
    source: Path | str,
    fmt: str = "auto",
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportResult:
    """Reads every post from `source` (a file, folder, zip archive, or an http(s) feed URL).

    `progress(done, total)` is called with bytes read (about 100 times at most, always at the
    start and the end); `cancelled()` is polled regularly and, when it returns True, the import
    stops with ImportCancelled. Raises ImportFormatError for a malformed or unknown source.
    Safe to call from a worker thread; it touches no shared state.
    """
    monitor = Monitor(progress, cancelled)
    posts: list[ImportedPost] = []
    skipped: list[str] = []
    for outcome in _outcomes(source, fmt, monitor):
        (skipped if isinstance(outcome, str) else posts).append(outcome)  # type: ignore[arg-type]
    monitor.finish()
    return ImportResult(tuple(posts), tuple(skipped), source_name(source))


def iter_posts(
    source: Path | str,
    fmt: str = "auto",
    *,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Iterator[ImportedPost | str]:
    """Like read_posts, one record at a time: yields an ImportedPost, or a str (the reason a
    record is skipped). For storing a very large file in batches (ImportService does, inside one
    transaction); the caller must undo what it stored if an ImportFormatError or ImportCancelled
    arrives part-way."""
    monitor = Monitor(progress, cancelled)
    yield from _outcomes(source, fmt, monitor)
    monitor.finish()


def source_name(source: Path | str) -> str:
    if isinstance(source, str) and is_url(source):
        return source.strip()
    path = Path(source)
    return path.name or str(path)


def _outcomes(source: Path | str, fmt: str, monitor: Monitor) -> Iterator[ImportedPost | str]:
    if fmt not in FORMATS:
        raise ImportFormatError(str(source), "", f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")
    monitor.check()
    if isinstance(source, str) and is_url(source):
        if fmt not in ("auto", "rss"):
            raise ImportFormatError(source, "", "only RSS or Atom feeds can be read from a web address")
        return iter_feed(source, monitor)
    path = Path(source).expanduser()
    if not path.exists():
        raise ImportFormatError(path.name or str(path), "", "not found")
    chosen = detect_format(path) if fmt == "auto" else fmt
    return iter_feed(path, monitor) if chosen == "rss" else _READERS[chosen](path, monitor)
