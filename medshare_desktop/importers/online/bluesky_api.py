"""A Bluesky account's own posts through the public AppView (no login needed).

GET {base}/xrpc/app.bsky.feed.getAuthorFeed?actor=<handle>&limit=50&filter=posts_no_replies
    -> {"feed": [{"post": {"uri", "author", "record": {"text", "createdAt"}, "embed"}, "reason"?}]}

Reposts (items with a "reason", or posts by another author) are skipped. The external id is the
post's at:// URI; the link is https://bsky.app/profile/<handle>/post/<rkey>.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import ImportedPost, Platform
from medshare_desktop.core.ports import FetchedPosts
from medshare_desktop.importers.common import count_of, parse_timestamp, unique
from medshare_desktop.importers.html_text import tidy
from medshare_desktop.importers.online.http import DEFAULT_OPTIONS, HttpOptions, get_json, host_label

DEFAULT_BASE_URL = "https://public.api.bsky.app"
PAGE_LIMIT = 50
MAX_PAGES = 20  # an incremental refresh pages back to the last post seen, up to 1,000 posts
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
    since: str | None = None,
) -> FetchedPosts:
    """The account's own posts: the newest 50, or with `since` (an ISO time, the cursor of the last
    refresh) every post after it, paging back with the API's cursor."""
    actor = normalise_handle(handle)
    if actor is None:
        raise ImportFormatError(handle, "", "is not a Bluesky handle like name.bsky.social")
    base = (base_url or DEFAULT_BASE_URL).rstrip("/")
    host = host_label(base_url or DEFAULT_BASE_URL)
    after = _parse_since(since)
    posts: list[ImportedPost] = []
    skipped: list[str] = []
    page_cursor: str | None = None
    seen: set[str] = set()  # post URIs already taken (a page may repeat the end of the one before)
    number = 0
    for _page in range(MAX_PAGES if after else 1):
        params = {"actor": actor, "limit": str(PAGE_LIMIT), "filter": "posts_no_replies"}
        if page_cursor:
            params["cursor"] = page_cursor
        url = f"{base}/xrpc/app.bsky.feed.getAuthorFeed?{urlencode(params)}"
        answer = get_json(url, host=host, who=actor, token=token, options=options, cancelled=cancelled)
        feed = answer.get("feed") if isinstance(answer, dict) else None
        if not isinstance(feed, list):
            raise ImportFormatError(url, "", 'the answer has no "feed" list')
        reached_seen = False
        for item in feed:
            number += 1
            if not isinstance(item, dict) or not isinstance(item.get("post"), dict):
                raise ImportFormatError(url, f"feed item {number}", "expected an object with a post")
            outcome = _item(item, f"{actor} post {number}", actor)
            if isinstance(outcome, str):
                skipped.append(outcome)
            elif after is not None and outcome.posted_at <= after:
                reached_seen = True  # stored by an earlier refresh
            elif outcome.external_id is None or outcome.external_id not in seen:
                if outcome.external_id is not None:
                    seen.add(outcome.external_id)
                posts.append(outcome)  # no URI: stored by content hash, like any import
        next_cursor = answer.get("cursor") if isinstance(answer, dict) else None
        if reached_seen or not feed or not isinstance(next_cursor, str) or next_cursor in ("", page_cursor):
            break
        page_cursor = next_cursor
    newest = max((p.posted_at for p in posts), default=after)
    return FetchedPosts(tuple(posts), tuple(skipped), actor, newest.isoformat() if newest else since)


def _parse_since(since: str | None) -> datetime | None:
    if not since:
        return None
    try:
        return parse_timestamp(since)
    except ValueError:
        return None  # a cursor this version cannot read: read the newest page as on a first refresh


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
        likes=count_of(post.get("likeCount")),
        reposts=count_of(post.get("repostCount")),
    )


def _images(embed: Any) -> tuple[str, ...]:
    """Full-size image links of an images embed (also inside a record-with-media embed)."""
    if not isinstance(embed, dict):
        return ()
    if isinstance(embed.get("media"), dict):
        embed = embed["media"]
    images = embed.get("images") if isinstance(embed.get("images"), list) else []
    return unique(str(i.get("fullsize") or i.get("thumb") or "") for i in images if isinstance(i, dict))
