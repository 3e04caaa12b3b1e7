"""What a post's URL tells: the platform, the author's handle and the post's external id."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from medshare_desktop.core.models import Platform

_HOSTS = {
    "linkedin.com": Platform.LINKEDIN,
    "lnkd.in": Platform.LINKEDIN,
    "x.com": Platform.X,
    "twitter.com": Platform.X,
    "instagram.com": Platform.INSTAGRAM,
    "facebook.com": Platform.FACEBOOK,
    "fb.com": Platform.FACEBOOK,
    "fb.watch": Platform.FACEBOOK,
    "bsky.app": Platform.BLUESKY,
}
_LINKEDIN_URN = re.compile(r"urn:li:(share|activity|ugcPost):(\d+)")
_LINKEDIN_SLUG = re.compile(r"-(activity|share|ugcPost)-(\d+)")
_X_STATUS = re.compile(r"^/([A-Za-z0-9_]{1,15})/status(?:es)?/(\d+)")
_X_WEB_STATUS = re.compile(r"^/i/web/status/(\d+)")
_MASTODON = re.compile(r"^/@([A-Za-z0-9_.-]+)(?:/(\d+))?/?$")
_BLUESKY = re.compile(r"^/profile/([^/]+)(?:/post/([^/]+))?")


@dataclass(frozen=True, slots=True)
class UrlFacts:
    platform: Platform
    handle: str = ""
    external_id: str | None = None


def host_of(url: str) -> str:
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.lower().removeprefix("www.").removeprefix("mobile.").removeprefix("m.")


def platform_for_host(host: str) -> Platform | None:
    for known, platform in _HOSTS.items():
        if host == known or host.endswith("." + known):
            return platform
    return None


def url_facts(url: str) -> UrlFacts:
    """Platform from the host (any host with a /@user path is Mastodon; other web addresses are
    blogs; no address at all is "other"), plus the handle and post id where the URL holds them."""
    text = url.strip()
    host = host_of(text)
    if not host:
        return UrlFacts(Platform.OTHER)
    try:
        path = urlsplit(text).path
    except ValueError:
        path = ""
    platform = platform_for_host(host)
    if platform is Platform.X:
        if match := _X_STATUS.match(path):
            return UrlFacts(platform, f"@{match[1]}", match[2])
        if match := _X_WEB_STATUS.match(path):
            return UrlFacts(platform, "", match[1])
        return UrlFacts(platform)
    if platform is Platform.LINKEDIN:
        return UrlFacts(platform, "", linkedin_urn(text))
    if platform is Platform.BLUESKY:
        match = _BLUESKY.match(path)
        return UrlFacts(platform, f"@{match[1]}" if match else "")
    if platform is not None:
        return UrlFacts(platform)
    if match := _MASTODON.match(path):
        status = f"https://{host}/users/{match[1]}/statuses/{match[2]}" if match[2] else None
        return UrlFacts(Platform.MASTODON, f"@{match[1]}@{host}", status)
    return UrlFacts(Platform.BLOG)


def linkedin_urn(url: str) -> str | None:
    """ "urn:li:share:…" / "urn:li:activity:…" from a LinkedIn post link (encoded or not)."""
    text = unquote(url)
    if match := _LINKEDIN_URN.search(text):
        return f"urn:li:{match[1]}:{match[2]}"
    if match := _LINKEDIN_SLUG.search(text):
        return f"urn:li:{match[1]}:{match[2]}"
    return None


def guess_platform(url: str) -> Platform:
    return url_facts(url).platform
