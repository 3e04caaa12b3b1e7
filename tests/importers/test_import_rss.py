from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import Platform
from medshare_desktop.importers import SourceUnreachableError, read_posts
from medshare_desktop.importers import rss as rss_module

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if self.path == "/slow":
            time.sleep(2)
        if self.path == "/feed.rss":
            body = (DATA / "rss" / "feed.rss").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        self.send_error(404, "Not Found")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_rss_file(data: Path) -> None:
    result = read_posts(data / "rss" / "feed.rss")
    sepsis, reading = result.posts
    assert sepsis.platform is Platform.BLOG
    assert sepsis.external_id == "okafor-blog-post-41"
    assert sepsis.url == "https://okafor.example.org/2024/02/sepsis-checklist"
    assert sepsis.posted_at == datetime(2024, 2, 20, 13, 30, tzinfo=UTC)
    assert sepsis.author == "Dr. Sam Okafor"
    assert sepsis.text == (
        "Why we changed our sepsis checklist\n\nWe reviewed 200 cases & found three gaps.\n\n"
        "• Lactate timing\n• Fluids\n\nDownload the checklist"
    )
    assert sepsis.media == ("https://okafor.example.org/audio/ep41.mp3",)
    assert reading.text == "Residents' reading list\n\nThree papers worth your time this month."
    assert reading.media == ("https://okafor.example.org/img/books.jpg",)
    assert result.skipped == ("entry 3: no readable publication date",)


def test_atom_file(data: Path) -> None:
    first, second = read_posts(data / "rss" / "atom.xml", "rss").posts
    assert first.platform is Platform.MASTODON  # a Mastodon profile feed
    assert first.text == "Stroke awareness week: know the signs.\nB.E. F.A.S.T."
    assert first.posted_at == datetime(2024, 3, 2, 9, tzinfo=UTC)
    # the same id the outbox importer gives this status
    assert first.external_id == "https://mastodon.social/users/drjrivera/statuses/112000000000000010"
    assert first.author == "Dr. Jane Rivera"
    assert second.posted_at == datetime(2024, 3, 3, 8, tzinfo=UTC)  # <updated> when not published


@pytest.mark.parametrize("name", ["not_xml.rss", "html_page.xml"])
def test_not_a_feed(data: Path, name: str) -> None:
    with pytest.raises(ImportFormatError, match=rf"^{name}: is not a readable RSS or Atom feed \(.+\)"):
        read_posts(data / "broken" / name, "rss")


def test_fetch_from_local_server(server: str, data: Path) -> None:
    seen: list[tuple[int, int]] = []
    result = read_posts(f"{server}/feed.rss", progress=lambda d, t: seen.append((d, t)))
    assert result.source_name == f"{server}/feed.rss"
    assert result.posts == read_posts(data / "rss" / "feed.rss").posts
    size = (data / "rss" / "feed.rss").stat().st_size
    assert seen[0] == (0, size) and seen[-1] == (size, size)


def test_http_error(server: str) -> None:
    with pytest.raises(SourceUnreachableError, match=rf"^Could not reach {server}/missing.xml: .*404"):
        read_posts(f"{server}/missing.xml")


def test_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}/feed.xml"
    with pytest.raises(ImportFormatError, match=rf"^Could not reach {url}: "):
        read_posts(url)


def test_timeout(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rss_module, "FETCH_TIMEOUT_S", 0.3)
    with pytest.raises(SourceUnreachableError, match=r"^Could not reach .*/slow: .*(timed out|no answer)"):
        read_posts(f"{server}/slow")


def test_url_only_for_feeds() -> None:
    with pytest.raises(ImportFormatError, match="only RSS or Atom"):
        read_posts("https://example.org/posts.csv", "csv")
