"""A watched account's RSS or Atom feed (a blog, or a Mastodon/Bluesky profile feed), fetched with
the online fetchers' limits and token, then read by the feed importer (importers/rss.py)."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import ImportedPost, SourceAccount
from medshare_desktop.core.ports import FetchedPosts
from medshare_desktop.importers.common import Monitor
from medshare_desktop.importers.online.http import DEFAULT_OPTIONS, HttpOptions, get_bytes, host_label
from medshare_desktop.importers.rss import iter_feed

_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"


def fetch_feed(
    account: SourceAccount,
    token: str | None = None,
    options: HttpOptions = DEFAULT_OPTIONS,
    cancelled: Callable[[], bool] | None = None,
) -> FetchedPosts:
    """Every entry of the account's feed, attributed to the account (its platform and handle) so
    the posts land on the person who owns the feed."""
    url = account.feed_url.strip()
    data = get_bytes(
        url,
        host=host_label(url),
        who=account.handle or url,
        token=token,
        accept=_ACCEPT,
        options=options,
        cancelled=cancelled,
    )
    if not data.strip():
        raise ImportFormatError(url, "", "the feed is empty")
    posts: list[ImportedPost] = []
    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="medshare-feed-") as folder:
        path = Path(folder) / "feed.xml"
        path.write_bytes(data)
        try:
            for outcome in iter_feed(path, Monitor(None, cancelled)):
                if isinstance(outcome, str):
                    skipped.append(outcome)
                else:
                    posts.append(_attributed(outcome, account))
        except ImportFormatError as err:
            raise ImportFormatError(url, err.where, err.problem) from None
    return FetchedPosts(tuple(posts), tuple(skipped), url)


def _attributed(post: ImportedPost, account: SourceAccount) -> ImportedPost:
    if post.platform is account.platform and post.handle:
        return post  # a Mastodon/Bluesky profile feed already names the account
    return replace(post, platform=account.platform, handle=account.handle or post.handle)
