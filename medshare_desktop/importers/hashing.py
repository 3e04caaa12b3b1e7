"""A stable fingerprint of a post, for deduplicating posts that carry no external id.

Depends only on the core model, so it can move into core/ if storage or services need it.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC

from medshare_desktop.core.models import ImportedPost


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def content_hash(post: ImportedPost) -> str:
    """SHA-256 (hex) of the normalised platform, handle (or author when there is no handle),
    text and the UTC date of posted_at.

    Normalised: Unicode NFKC, case-folded, whitespace collapsed, a leading "@" dropped from the
    handle. So the same post read twice — or re-exported with different line endings or
    entity escaping — gets the same hash, while the time of day (which pasted posts often lack)
    does not matter.
    """
    who = _norm(post.handle).lstrip("@") or _norm(post.author)
    moment = post.posted_at if post.posted_at.tzinfo else post.posted_at.replace(tzinfo=UTC)
    day = moment.astimezone(UTC).date().isoformat()
    key = "\x1f".join((post.platform.value, who, _norm(post.text), day))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
