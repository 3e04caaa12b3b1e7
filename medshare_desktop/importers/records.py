"""One generic record (a CSV row or a JSON object) to an ImportedPost.

Shared by the generic CSV and JSON importers, which document the same fields.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import ImportedPost, Platform
from medshare_desktop.importers.common import clean_text, count_of, parse_timestamp, split_media, unique
from medshare_desktop.importers.urls import url_facts

FIELDS = ("text", "posted_at", "platform", "author", "handle", "external_id", "url", "media", "likes", "reposts")
REQUIRED = ("text", "posted_at")
_PLATFORM_NAMES = {
    **{platform.value: platform for platform in Platform},
    **{platform.label.lower(): platform for platform in Platform},
    "twitter": Platform.X,
    "x/twitter": Platform.X,
    "bsky": Platform.BLUESKY,
}


def parse_platform(value: str) -> Platform | None:
    key = value.strip().lower()
    if not key:
        return None
    if key in _PLATFORM_NAMES:
        return _PLATFORM_NAMES[key]
    raise ValueError(f"unknown platform {value.strip()[:30]!r} (use one of: {', '.join(p.value for p in Platform)})")


def build_post(
    record: Mapping[str, str], name: str, where: str, default_platform: Platform | None = None
) -> ImportedPost | str:
    """The post for one record, or the reason it is skipped ("no text").

    Raises ImportFormatError (naming `where` and the field) for values that cannot be right:
    an unreadable date or an unknown platform usually means the whole column is wrong.
    """
    text = clean_text(record.get("text", ""))
    if not text:
        return f"{where}: no text"
    try:
        posted_at = parse_timestamp(record.get("posted_at", ""))
    except ValueError as err:
        raise ImportFormatError(name, where, f"posted_at {err}") from None
    url = record.get("url", "").strip()
    try:
        platform = parse_platform(record.get("platform", "")) or default_platform
    except ValueError as err:
        raise ImportFormatError(name, where, f"platform: {err}") from None
    handle = record.get("handle", "").strip()
    external_id = record.get("external_id", "").strip() or None
    if platform is None or not handle or not external_id:  # the URL may tell what is missing
        facts = url_facts(url)
        platform = platform or facts.platform
        if facts.platform is platform:
            handle = handle or facts.handle
            external_id = external_id or facts.external_id
    return ImportedPost(
        platform=platform,
        text=text,
        posted_at=posted_at,
        author=sys.intern(record.get("author", "").strip()),  # repeated in every row: share one copy
        handle=sys.intern(handle),
        external_id=external_id,
        url=url,
        media=unique(split_media(record.get("media", ""))),
        likes=count_of(record.get("likes", "")),
        reposts=count_of(record.get("reposts", "")),
    )
