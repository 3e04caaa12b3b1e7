"""RSS and Atom feeds (a blog, a Mastodon or Bluesky profile feed) via feedparser, read from a
file or fetched from an http(s) URL. Feedparser is only ever given bytes, never a URL."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import ImportedPost, Platform
from medshare_desktop.importers.common import MAX_FILE_BYTES, Monitor, check_file, size_error, unique
from medshare_desktop.importers.errors import SourceUnreachableError
from medshare_desktop.importers.html_text import html_to_text
from medshare_desktop.importers.urls import UrlFacts, url_facts

FETCH_TIMEOUT_S = 20.0
_CHUNK = 1 << 16
_USER_AGENT = "MedShareDesktop/0.1 (+feed import)"


def is_url(source: str) -> bool:
    return source.strip().lower().startswith(("http://", "https://"))


def fetch(url: str, monitor: Monitor, timeout: float | None = None) -> bytes:
    """The body at `url`, read in chunks (progress, cancellation) up to MAX_FILE_BYTES."""
    timeout = FETCH_TIMEOUT_S if timeout is None else timeout
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
            total = int(response.headers.get("Content-Length") or 0)
            if total > MAX_FILE_BYTES:
                raise size_error(url, total)
            monitor.start(total)
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > MAX_FILE_BYTES:
                    raise size_error(url, size)
                chunks.append(chunk)
                monitor.update(size)
    except urllib.error.HTTPError as err:
        raise SourceUnreachableError(url, f"the server answered {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        raise SourceUnreachableError(url, str(err.reason)) from None
    except TimeoutError:
        raise SourceUnreachableError(url, f"no answer within {timeout:g} s") from None
    except (OSError, ValueError) as err:
        raise SourceUnreachableError(url, str(err) or type(err).__name__) from None
    if monitor.total == 0:
        monitor.set_total(size)
    return b"".join(chunks)


def iter_feed(source: Path | str, monitor: Monitor) -> Iterator[ImportedPost | str]:
    """Yields each entry's post, or the reason it is skipped."""
    if isinstance(source, str) and is_url(source):
        name = source.strip()
        data = fetch(name, monitor)
    else:
        path = Path(source)
        name = path.name
        monitor.start(check_file(path))
        try:
            data = path.read_bytes()
        except OSError as err:
            raise ImportFormatError(name, "", f"cannot be read ({err.strerror})") from None
    if not data.strip():
        raise ImportFormatError(name, "", "the feed is empty")
    monitor.check()
    try:
        feed = feedparser.parse(data, resolve_relative_uris=False, sanitize_html=True)
    except Exception as err:  # noqa: BLE001 - feedparser has many internal failure modes on bad bytes
        raise ImportFormatError(name, "", f"is not a readable RSS or Atom feed ({err})") from None
    entries = feed.get("entries") or []
    if not entries and (feed.get("bozo") or not feed.get("version")):
        problem = feed.get("bozo_exception") or "no RSS or Atom elements found"
        raise ImportFormatError(name, "", f"is not a readable RSS or Atom feed ({problem})")
    channel = feed.get("feed", {})  # whose feed: its author, else its title (a Mastodon feed's title is the name)
    feed_author = html_to_text(str(channel.get("author") or channel.get("title") or ""))
    for number, entry in enumerate(entries, start=1):
        monitor.tick()
        yield _entry(entry, f"entry {number}", feed_author)


def _entry(entry: Any, where: str, feed_author: str) -> ImportedPost | str:
    # dict.get: feedparser's own get() maps a missing updated_parsed to published_parsed, noisily
    moment = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    try:
        posted_at = datetime(*moment[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return f"{where}: no readable publication date"
    contents = entry.get("content") or []
    body = contents[0].get("value", "") if contents else entry.get("summary", "")
    text = html_to_text(str(body or ""))
    title = html_to_text(str(entry.get("title") or ""))
    if title and not text.startswith(title.rstrip(".…")):
        text = f"{title}\n\n{text}".strip()
    if not text:
        return f"{where}: no text"
    link = str(entry.get("link") or "")
    facts = url_facts(link)
    platform = facts.platform if facts.platform is not Platform.OTHER else Platform.BLOG
    media = [str(e.get("href") or "") for e in entry.get("enclosures") or []]
    media += [str(m.get("url") or "") for m in entry.get("media_content") or []]
    return ImportedPost(
        platform=platform,
        text=text,
        posted_at=posted_at,
        author=str(entry.get("author") or feed_author),
        handle=facts.handle,
        external_id=_external_id(str(entry.get("id") or ""), facts, link),
        url=link,
        media=unique(media),
    )


def _external_id(guid: str, facts: UrlFacts, link: str) -> str | None:
    """The id other importers give the same post where the link tells it (a Mastodon status,
    a tweet), else the feed's guid/id, else the link."""
    if facts.external_id and facts.platform in (Platform.MASTODON, Platform.X):
        return facts.external_id
    return guid or link or None
