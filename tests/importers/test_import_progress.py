"""Progress callbacks, cancellation, the size limit and memory use on a large file."""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest

from medshare_desktop.core.errors import ImportFormatError, MedshareError
from medshare_desktop.importers import MAX_FILE_BYTES, ImportCancelled, common, read_posts, sources

SOURCES = [
    "generic/posts.csv",
    "generic/posts.json",
    "x_archive",
    "linkedin",
    "mastodon",
    "rss/feed.rss",
]


def _big_json(path: Path, n: int, blob: int = 0) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        handle.write("[\n")
        for i in range(n):
            record = {
                "text": f"Post number {i} about hand hygiene.",
                "posted_at": "2024-01-01T10:00:00Z",
                "platform": "x",
                "external_id": str(i),
                "notes": "x" * blob,
            }
            handle.write(("," if i else "") + json.dumps(record) + "\n")
        handle.write("]\n")
    return path


@pytest.mark.parametrize("relative", SOURCES)
def test_progress_start_and_end(data: Path, relative: str) -> None:
    calls: list[tuple[int, int]] = []
    read_posts(data / relative, progress=lambda done, total: calls.append((done, total)))
    total = calls[-1][1]
    assert total > 0
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    assert all(b[0] >= a[0] for a, b in zip(calls, calls[1:], strict=False))


@pytest.mark.parametrize("relative", SOURCES)
def test_cancelled_before_start(data: Path, relative: str) -> None:
    with pytest.raises(ImportCancelled) as caught:
        read_posts(data / relative, cancelled=lambda: True)
    assert str(caught.value) == "Import cancelled; nothing was imported."
    assert isinstance(caught.value, MedshareError)


def test_progress_and_cancel_midway(tmp_path: Path) -> None:
    path = _big_json(tmp_path / "big.json", 30_000)
    calls: list[tuple[int, int]] = []
    read_posts(path, progress=lambda done, total: calls.append((done, total)))
    assert 3 <= len(calls) <= 102
    assert calls[-1] == (path.stat().st_size, path.stat().st_size)

    state = {"chunks": 0}

    def progress(done: int, total: int) -> None:
        state["chunks"] += 1

    with pytest.raises(ImportCancelled):
        read_posts(path, progress=progress, cancelled=lambda: state["chunks"] >= 2)


def test_cancel_csv_midway(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("text,posted_at\n" + "hello,2024-01-01\n" * 5000, encoding="utf-8")
    checks = {"n": 0}

    def cancelled() -> bool:
        checks["n"] += 1
        return checks["n"] > 3

    with pytest.raises(ImportCancelled):
        read_posts(path, cancelled=cancelled)


def test_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, x_zip: Path) -> None:
    assert MAX_FILE_BYTES == 500 * 1024 * 1024
    monkeypatch.setattr(common, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(sources, "MAX_FILE_BYTES", 100)
    path = tmp_path / "posts.csv"
    path.write_text("text,posted_at\n" + "hello,2024-01-01\n" * 20, encoding="utf-8")
    with pytest.raises(
        ImportFormatError, match=r"posts.csv: the file is 0.0 MB; the largest file that can be imported"
    ):
        read_posts(path)
    monkeypatch.setattr(common, "MAX_FILE_BYTES", 10**6)
    with pytest.raises(ImportFormatError, match=r"\.zip, data/tweets(-part1)?\.js: the file is .* the largest"):
        read_posts(x_zip)


def test_large_json_streams(tmp_path: Path) -> None:
    """A ~12 MB file is read without holding the whole text (or its parsed form) in memory."""
    path = _big_json(tmp_path / "wide.json", 3_000, blob=4_000)
    size = path.stat().st_size
    tracemalloc.start()
    try:
        result = read_posts(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(result.posts) == 3_000
    assert peak < size / 2, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB file"


def test_csv_progress_with_multiline_records(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text("text,posted_at\n" + '"two\nlines",2024-01-01\n' * 60_000, encoding="utf-8")
    calls: list[tuple[int, int]] = []
    result = read_posts(path, progress=lambda done, total: calls.append((done, total)))
    assert len(result.posts) == 60_000
    assert 10 <= len(calls) <= 102
    assert calls[-1] == (path.stat().st_size, path.stat().st_size)


def test_feed_without_content_length_reports_monotonic_progress(tmp_path: Path, data: Path) -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    body = (data / "rss" / "feed.rss").read_bytes()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.handle_request, daemon=True)
    thread.start()
    calls: list[tuple[int, int]] = []
    try:
        read_posts(f"http://127.0.0.1:{httpd.server_address[1]}/feed", progress=lambda d, t: calls.append((d, t)))
    finally:
        thread.join(5)
        httpd.server_close()
    assert calls[0] == (0, 0) and calls[-1] == (len(body), len(body))
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
