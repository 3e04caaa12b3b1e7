"""OnlineFetcher: the core's AccountFetcher port over the feed, Mastodon and Bluesky fetchers."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import Platform, SourceAccount
from medshare_desktop.core.ports import FetchedPosts
from medshare_desktop.importers.errors import SourceUnreachableError
from medshare_desktop.importers.online.bluesky_api import DEFAULT_BASE_URL, fetch_author_feed, normalise_handle
from medshare_desktop.importers.online.feed import fetch_feed
from medshare_desktop.importers.online.http import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_S, HttpOptions, host_label
from medshare_desktop.importers.online.mastodon_api import fetch_statuses, split_handle
from medshare_desktop.importers.rss import is_url


def token_key(kind: str, host: str) -> str:
    """The TokenStore key for a kind of source ("mastodon", "bluesky", "feed") and a host."""
    return f"token:{kind}:{host.strip().lower()}"


class OnlineFetcher:
    """Routes each watched account to the right fetcher.

    `base_urls` overrides where requests go (tests, a self-hosted AppView): "mastodon" for every
    instance, "mastodon:<instance>" for one, "bluesky" for the AppView. Token keys always name the
    real source ("token:mastodon:instance.social"), whatever the base URL.
    """

    def __init__(
        self,
        base_urls: Mapping[str, str] | None = None,
        timeout: float = DEFAULT_TIMEOUT_S,
        max_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self._base = dict(base_urls or {})
        self._options = HttpOptions(timeout=timeout, max_bytes=max_bytes)

    def unsupported_reason(self, account: SourceAccount) -> str | None:
        if account.feed_url.strip():
            return None if is_url(account.feed_url) else "the feed address is not an http(s) address"
        if account.platform is Platform.MASTODON:
            return None if split_handle(account.handle) else "needs the full handle, like @user@instance.social"
        if account.platform is Platform.BLUESKY:
            return None if normalise_handle(account.handle) else "needs a handle like name.bsky.social"
        return f"{account.platform.label} has no open feed; add a feed address or import its archive file"

    def token_key(self, account: SourceAccount) -> str | None:
        if account.feed_url.strip():
            host = host_label(account.feed_url.strip())
            return token_key("feed", host) if host else None
        if account.platform is Platform.MASTODON and (parts := split_handle(account.handle)):
            return token_key("mastodon", parts[1])
        if account.platform is Platform.BLUESKY:
            return token_key("bluesky", host_label(DEFAULT_BASE_URL))
        return None

    def fetch(
        self,
        account: SourceAccount,
        token: str | None = None,
        since: str | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> FetchedPosts:
        reason = self.unsupported_reason(account)
        if reason is not None:
            raise ValidationError(f"{account.handle or account.feed_url} cannot be refreshed online: {reason}.")
        if account.feed_url.strip():
            return fetch_feed(account, token, self._options, cancelled)
        if account.platform is Platform.MASTODON:
            instance = split_handle(account.handle)[1]  # type: ignore[index]
            base = self._base.get(f"mastodon:{instance}") or self._base.get("mastodon")
            return fetch_statuses(account.handle, base, token, since, self._options, cancelled)
        return fetch_author_feed(account.handle, self._base.get("bluesky"), token, self._options, cancelled, since)

    def is_unreachable(self, error: BaseException) -> bool:
        return isinstance(error, SourceUnreachableError)
