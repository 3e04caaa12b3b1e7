"""A Bluesky account's own posts through the public AppView (no login needed).

GET {base}/xrpc/app.bsky.feed.getAuthorFeed?actor=<handle>&limit=50&filter=posts_no_replies
    -> {"feed": [{"post": {"uri", "author", "record": {"text", "createdAt"}, "embed"}, "reason"?}]}

Reposts (items with a "reason", or posts by another author) are skipped. The external id is the
post's at:// URI; the link is https://bsky.app/profile/<handle>/post/<rkey>.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import ImportedPost, Platform
from medshare_desktop.core.ports import FetchedPosts
from medshare_desktop.importers.common import parse_timestamp, unique
from medshare_desktop.importers.html_text import tidy
from medshare_desktop.importers.online.http import DEFAULT_OPTIONS, HttpOptions, get_json, host_label

DEFAULT_BASE_URL = "https://public.api.bsky.app"
PAGE_LIMIT = 50
_HANDLE = re.compile(r"^@?((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]*)$")


def normalise_handle(handle: str) -> str | None:
    """ "name.bsky.social" from "@name.bsky.social", or None when it is not a domain-style handle."""
    match = _HANDLE.match(handle.strip())
    return match[1].lower() if match else None


def fetch_author_feed(
    handle: str,
    base_url: str | None = None,
    token: str | None = None,
    options: HttpOptions = DEFAULT_OPTIONS,
    cancelled: Callable[[], bool] | None = None,
) -> FetchedPosts:
    actor = normalise_handle(handle)
    if actor is None:
        raise ImportFormatError(handle, "", "is not a Bluesky handle like name.bsky.social")
    base = (base_url or DEFAULT_BASE_URL).rstrip("/")
    query = urlencode({"actor": actor, "limit": str(PAGE_LIMIT), "filter": "posts_no_replies"})
    url = f"{base}/xrpc/app.bsky.feed.getAuthorFeed?{query}"
    host = host_label(base_url or DEFAULT_BASE_URL)
    answer = get_json(url, host=host, who=actor, token=token, options=options, cancelled=cancelled)
    feed = answer.get("feed") if isinstance(answer, dict) else None
    if not isinstance(feed, list):
        raise ImportFormatError(url, "", 'the answer has no "feed" list')
    posts: list[ImportedPost] = []
    skipped: list[str] = []
    for number, item in enumerate(feed, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("post"), dict):
            raise ImportFormatError(url, f"feed item {number}", "expected an object with a post")
        outcome = _item(item, f"{actor} post {number}", actor)
        (skipped if isinstance(outcome, str) else posts).append(outcome)  # type: ignore[arg-type]
    return FetchedPosts(tuple(posts), tuple(skipped), actor)


def _item(item: dict[str, Any], where: str, actor: str) -> ImportedPost | str:
    post = item["post"]
    author = post.get("author") if isinstance(post.get("author"), dict) else {}
    if item.get("reason") or str(author.get("handle") or actor).lower() != actor:
        return f"{where}: repost of another account's post"
    record = post.get("record") if isinstance(post.get("record"), dict) else {}
    text = tidy(str(record.get("text") or ""))
    media = _images(post.get("embed"))
    if not text:
        return f"{where}: no text" + (" (media only)" if media else "")
    try:
        posted_at = parse_timestamp(str(record.get("createdAt") or post.get("indexedAt") or ""))
    except ValueError as err:
        return f"{where}: createdAt {err}"
    uri = post.get("uri") if isinstance(post.get("uri"), str) else None
    rkey = uri.rsplit("/", 1)[-1] if uri else ""
    return ImportedPost(
        platform=Platform.BLUESKY,
        text=text,
        posted_at=posted_at,
        author=str(author.get("displayName") or actor),
        handle=actor,
        external_id=uri,
        url=f"https://bsky.app/profile/{actor}/post/{quote(rkey, safe='')}" if rkey else "",
        media=media,
    )


def _images(embed: Any) -> tuple[str, ...]:
    """Full-size image links of an images embed (also inside a record-with-media embed)."""
    if not isinstance(embed, dict):
        return ()
    if isinstance(embed.get("media"), dict):
        embed = embed["media"]
    images = embed.get("images") if isinstance(embed.get("images"), list) else []
    return unique(str(i.get("fullsize") or i.get("thumb") or "") for i in images if isinstance(i, dict))
