"""The online fetchers' HTTP layer against a local server on 127.0.0.1: token header, redirects,
offline, HTTP errors, malformed JSON, size cap, timeout. FakeApi is shared by the other online tests."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.importers.errors import SourceUnreachableError
from medshare_desktop.importers.online.http import HttpOptions, SourceHttpError, get_bytes, get_json

DATA = Path(__file__).resolve().parents[1] / "data" / "online"
STATUSES_PATH = "/api/v1/accounts/109876543210/statuses"
Answer = tuple[int, bytes, str]


def _statuses(query: dict[str, list[str]]) -> Answer:
    """Like Mastodon: newest first, only statuses newer than since_id and older than max_id, at most `limit`."""
    return statuses_page(json.loads((DATA / "mastodon_statuses.json").read_bytes()), query)


def statuses_page(statuses: list[dict[str, object]], query: dict[str, list[str]]) -> Answer:
    since = int(query.get("since_id", ["0"])[0])
    before = int(query.get("max_id", [str(10**30)])[0])
    newest_first = sorted(statuses, key=lambda s: int(str(s["id"])), reverse=True)
    chosen = [s for s in newest_first if since < int(str(s["id"])) < before][: int(query.get("limit", ["20"])[0])]
    return 200, json.dumps(chosen).encode(), "application/json"


class FakeApi:
    """A Mastodon instance, the Bluesky AppView and a blog, all on one local port."""

    def __init__(self) -> None:
        self.routes: dict[str, Answer | Callable[[dict[str, list[str]]], Answer]] = {
            "/api/v1/accounts/lookup": (200, (DATA / "mastodon_account.json").read_bytes(), "application/json"),
            STATUSES_PATH: _statuses,
            "/xrpc/app.bsky.feed.getAuthorFeed": (
                200,
                (DATA / "bluesky_author_feed.json").read_bytes(),
                "application/json",
            ),
            "/blog/feed.xml": (200, (DATA / "blog_feed.xml").read_bytes(), "application/rss+xml"),
        }
        self.requests: list[tuple[str, dict[str, str]]] = []  # (path with query, headers)
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                api.requests.append((self.path, dict(self.headers.items())))
                parts = urlsplit(self.path)
                route = api.routes.get(parts.path)
                if route is None:
                    status, body, ctype = 404, b'{"error":"Record not found"}', "application/json"
                else:
                    status, body, ctype = route(parse_qs(parts.query)) if callable(route) else route
                self.send_response(status)
                if status in (301, 302):
                    self.send_header("Location", body.decode())
                    body = b""
                self.send_header("Content-Type", ctype.removesuffix(";no-length"))
                if not ctype.endswith(";no-length"):  # HTTP/1.0: the body ends at close
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def headers_for(self, path_start: str) -> list[dict[str, str]]:
        return [h for p, h in self.requests if p.startswith(path_start)]


def closed_port_url() -> str:
    """An address on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def api() -> Iterator[FakeApi]:
    server = FakeApi()
    yield server
    server.close()


def test_token_sent_as_bearer_header(api: FakeApi) -> None:
    get_json(
        f"{api.url}/api/v1/accounts/lookup?acct=drpatel",
        host="mastodon.example",
        who="@drpatel",
        token="s3cret-token-value",
    )
    get_json(f"{api.url}/api/v1/accounts/lookup?acct=drpatel", host="mastodon.example", who="@drpatel")
    with_token, without = api.headers_for("/api/v1/accounts/lookup")
    assert with_token["Authorization"] == "Bearer s3cret-token-value"
    assert "Authorization" not in without
    assert with_token["User-Agent"].startswith("MedShareDesktop/")


def test_token_not_forwarded_on_redirect(api: FakeApi) -> None:
    api.routes["/moved"] = (302, f"{api.url}/blog/feed.xml".encode(), "text/plain")
    get_bytes(f"{api.url}/moved", host="blog.example", who="blog", token="s3cret", accept="*/*")
    assert api.headers_for("/moved")[0]["Authorization"] == "Bearer s3cret"
    assert "Authorization" not in api.headers_for("/blog/feed.xml")[0]


def test_offline_closed_port() -> None:
    with pytest.raises(SourceUnreachableError) as caught:
        get_json(f"{closed_port_url()}/api/v1/accounts/lookup", host="mastodon.example", who="@drpatel")
    assert str(caught.value).startswith("Could not reach mastodon.example: ")
    assert "refused" in str(caught.value).lower()


def test_http_error_names_host_status_and_account(api: FakeApi) -> None:
    api.routes["/boom"] = (500, b"Internal Server Error", "text/plain")
    with pytest.raises(SourceHttpError) as caught:
        get_json(f"{api.url}/boom", host="mastodon.example", who="@drpatel@mastodon.example")
    assert str(caught.value) == "mastodon.example returned 500 for @drpatel@mastodon.example"
    with pytest.raises(SourceHttpError, match="returned 404 for @nobody"):
        get_json(f"{api.url}/nowhere", host="mastodon.example", who="@nobody")


def test_malformed_json_names_the_url(api: FakeApi) -> None:
    api.routes["/broken"] = (200, b'{"id": "1", "username": ', "application/json")
    with pytest.raises(ImportFormatError) as caught:
        get_json(f"{api.url}/broken", host="mastodon.example", who="@drpatel")
    assert f"{api.url}/broken" in str(caught.value) and "not valid JSON" in str(caught.value)


def test_oversized_answer_is_refused(api: FakeApi) -> None:
    body = b"[" + b"0," * 40_000 + b"0]"
    api.routes["/huge"] = (200, body, "application/json")  # declared too large
    api.routes["/huge-unsized"] = (200, body, "application/json;no-length")  # found too large while reading
    for path in ("/huge", "/huge-unsized"):
        with pytest.raises(ImportFormatError, match="larger than 0.0477 MB"):
            get_json(f"{api.url}{path}", host="m.example", who="@drpatel", options=HttpOptions(max_bytes=50_000))


def test_timeout_is_reported_as_unreachable(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as listener:  # accepts the connection, never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        started = time.monotonic()
        with pytest.raises(SourceUnreachableError, match=r"Could not reach slow\.example: no answer within 0\.3 s"):
            get_bytes(
                f"http://127.0.0.1:{listener.getsockname()[1]}/",
                host="slow.example",
                who="x",
                options=HttpOptions(timeout=0.3),
            )
        assert time.monotonic() - started < 5
