"""A Mastodon account's public statuses through the instance's REST API.

GET {base}/api/v1/accounts/lookup?acct=user                     -> Account ("id")
GET {base}/api/v1/accounts/:id/statuses?exclude_reblogs=true&limit=40[&since_id=][&max_id=]  -> [Status]

A first refresh reads the newest page (40 statuses). Later refreshes ask for statuses after the newest
one seen (`since_id`) and page back with `max_id` until they reach it, so nothing posted in between
is missed (up to MAX_PAGES pages).

Statuses are read like the outbox importer reads them (importers/mastodon.py): the text is the
HTML content as plain text with the content warning in front, the external id is the status URI
("https://instance/users/user/statuses/123"), so a post imported from an archive and fetched
here is stored once. Boosts are excluded; followers-only posts and direct messages are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlencode

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import ImportedPost, Platform
from medshare_desktop.core.ports import FetchedPosts
from medshare_desktop.importers.common import count_of, parse_timestamp, unique
from medshare_desktop.importers.html_text import html_to_text
from medshare_desktop.importers.online.http import DEFAULT_OPTIONS, HttpOptions, get_json

PAGE_LIMIT = 40
MAX_PAGES = 25  # an incremental refresh pages back to the last seen status, up to 1,000 statuses
_HANDLE = re.compile(r"^@?([A-Za-z0-9_][A-Za-z0-9_.-]*)@([A-Za-z0-9.-]+\.[A-Za-z0-9-]+)$")
_PUBLIC = {"public", "unlisted"}  # unlisted posts are public (the outbox importer keeps them too)


def split_handle(handle: str) -> tuple[str, str] | None:
    """("user", "instance.social") from "@user@instance.social", or None when it is not one."""
    match = _HANDLE.match(handle.strip())
    return (match[1], match[2].lower()) if match else None


def fetch_statuses(
    handle: str,
    base_url: str | None = None,
    token: str | None = None,
    since: str | None = None,
    options: HttpOptions = DEFAULT_OPTIONS,
    cancelled: Callable[[], bool] | None = None,
) -> FetchedPosts:
    """The account's newest public statuses: the newest 40, or with `since` every status after it."""
    parts = split_handle(handle)
    if parts is None:
        raise ImportFormatError(handle, "", "is not a full Mastodon handle like @user@instance.social")
    user, instance = parts
    who = f"@{user}@{instance}"
    base = (base_url or f"https://{instance}").rstrip("/")
    lookup = f"{base}/api/v1/accounts/lookup?{urlencode({'acct': user})}"
    account = get_json(lookup, host=instance, who=who, token=token, options=options, cancelled=cancelled)
    if not isinstance(account, dict) or not isinstance(account.get("id"), str | int):
        raise ImportFormatError(lookup, "", "the answer is not a Mastodon account (no id)")
    statuses_url = f"{base}/api/v1/accounts/{quote(str(account['id']), safe='')}/statuses"
    statuses: list[Any] = []
    max_id: str | None = None
    for _page in range(MAX_PAGES if since else 1):
        query = {"exclude_reblogs": "true", "limit": str(PAGE_LIMIT)}
        if since:
            query["since_id"] = since
        if max_id:
            query["max_id"] = max_id
        url = f"{statuses_url}?{urlencode(query)}"
        page = get_json(url, host=instance, who=who, token=token, options=options, cancelled=cancelled)
        if not isinstance(page, list):
            raise ImportFormatError(url, "", "the answer is not a list of statuses")
        statuses.extend(page)
        ids = [int(str(s["id"])) for s in page if isinstance(s, dict) and str(s.get("id", "")).isdigit()]
        if len(page) < PAGE_LIMIT or not ids:
            break
        max_id = str(min(ids))  # the next page: older than the oldest status of this one
    author = str(account.get("display_name") or account.get("username") or user)
    posts: list[ImportedPost] = []
    skipped: list[str] = []
    newest: str | None = since
    for number, status in enumerate(statuses, start=1):
        if not isinstance(status, dict):
            raise ImportFormatError(statuses_url, f"status {number}", "expected a status object")
        newest = _newer(newest, status.get("id"))
        outcome = _status(status, f"{who} status {status.get('id', number)}", author, who)
        (skipped if isinstance(outcome, str) else posts).append(outcome)  # type: ignore[arg-type]
    return FetchedPosts(tuple(posts), tuple(skipped), who, newest)


def _status(status: dict[str, Any], where: str, author: str, handle: str) -> ImportedPost | str:
    if status.get("reblog"):
        return f"{where}: boost of another post"
    visibility = str(status.get("visibility") or "public")
    if visibility not in _PUBLIC:
        return f"{where}: {'followers-only post' if visibility == 'private' else 'direct message'} (not public)"
    content = status.get("content")
    text = html_to_text(content) if isinstance(content, str) else ""
    if not text:
        return f"{where}: no text" + (" (media only)" if status.get("media_attachments") else "")
    warning = status.get("spoiler_text")
    if isinstance(warning, str) and warning.strip():
        text = f"CW: {html_to_text(warning)}\n\n{text}"
    try:
        posted_at = parse_timestamp(str(status.get("created_at") or ""))
    except ValueError as err:
        return f"{where}: created_at {err}"
    uri = status.get("uri") if isinstance(status.get("uri"), str) else None
    url = status.get("url") if isinstance(status.get("url"), str) else uri or ""
    media = status.get("media_attachments") if isinstance(status.get("media_attachments"), list) else []
    return ImportedPost(
        platform=Platform.MASTODON,
        text=text,
        posted_at=posted_at,
        author=author,
        handle=handle,
        external_id=uri,
        url=url,
        media=unique(str(m.get("url") or m.get("remote_url") or "") for m in media if isinstance(m, dict)),
        likes=count_of(status.get("favourites_count")),
        reposts=count_of(status.get("reblogs_count")),
    )


def _newer(current: str | None, candidate: object) -> str | None:
    """The larger of two status ids (Mastodon ids are numeric strings that grow over time)."""
    if not isinstance(candidate, str | int) or not str(candidate).isdigit():
        return current
    if current is None or not current.isdigit() or int(str(candidate)) > int(current):
        return str(candidate)
    return current
