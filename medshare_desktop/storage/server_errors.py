"""A team server that cannot be reached, told apart from other database errors and said in a sentence."""

from __future__ import annotations

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from medshare_desktop.core.errors import ServerUnreachableError

_GONE_STATES = ("57P01", "57P02", "57P03")  # admin shutdown, crash shutdown, cannot connect now
# what libpq says when the server is not there (a failed connection carries no SQLSTATE); a refused password
# or a missing database is not this, and keeps its own message
_GONE_WORDS = ("connection refused", "could not connect", "server closed the connection", "timeout expired",
               "timed out", "no route to host", "network is unreachable", "connection reset", "broken pipe",
               "the database system is shutting down", "the database system is starting up",
               "the database system is in recovery mode", "consuming input failed", "sending query failed",
               "the connection is lost", "the connection is closed", "ssl syscall error", "eof detected",
               "terminating connection", "could not receive data", "could not send data",
               "could not translate host name", "name or service not known", "temporary failure in name resolution")


def server_unreachable(error: BaseException, url: str) -> ServerUnreachableError | None:
    """The sentence for a write or read that failed because the server at `url` is away; None for other errors."""
    if not isinstance(error, DBAPIError):
        return None
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return None
    state = getattr(error.orig, "sqlstate", "") or ""
    text = str(error.orig or error).lower()
    lost = (error.connection_invalidated or state.startswith("08") or state in _GONE_STATES
            or (not state and any(words in text for words in _GONE_WORDS)))
    if not lost:
        return None
    host = parsed.host or "localhost"
    return ServerUnreachableError(
        f"The team server at {host} cannot be reached, so this was not saved or loaded. Your edits are kept on "
        "screen: try again when the server is back (MedShare Desktop reconnects by itself). If it stays away, "
        "ask your IT team whether the server is running."
    )
