"""A team server that cannot be reached, told apart from other database errors and said in a sentence."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from medshare_desktop.core.errors import ServerUnreachableError

_GONE_STATES = ("57P01", "57P02", "57P03")  # admin shutdown, crash shutdown, cannot connect now


def server_unreachable(error: BaseException, url: str) -> ServerUnreachableError | None:
    """The sentence for a write or read that failed because the server at `url` is away; None for other errors."""
    if not isinstance(error, DBAPIError):
        return None
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    state = getattr(error.orig, "sqlstate", "")
    lost = error.connection_invalidated or state is None or (state or "").startswith("08") or state in _GONE_STATES
    if not lost:
        return None
    host = parsed.host or "localhost"
    return ServerUnreachableError(
        f"The team server at {host} cannot be reached, so this was not saved or loaded. Your edits are kept on "
        "screen: try again when the server is back (MedShare Desktop reconnects by itself). If it stays away, "
        "ask your IT team whether the server is running."
    )
