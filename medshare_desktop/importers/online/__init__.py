"""Online refresh: fetch the new public posts of watched accounts (feeds, Mastodon, Bluesky).

No Qt, no database: OnlineFetcher implements the core's AccountFetcher port, and
core/services/refresh_service.py stores what it returns. See docs/online_refresh.md.
"""

from __future__ import annotations

from medshare_desktop.importers.online.fetcher import OnlineFetcher, token_key
from medshare_desktop.importers.online.http import DEFAULT_MAX_BYTES, DEFAULT_TIMEOUT_S, SourceHttpError

__all__ = ["DEFAULT_MAX_BYTES", "DEFAULT_TIMEOUT_S", "OnlineFetcher", "SourceHttpError", "token_key"]
