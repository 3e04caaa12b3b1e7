"""HTTP GET for the online fetchers: a timeout, a size cap, an optional bearer token, and errors
users can read. The token travels only in an Authorization header that is never forwarded on a
redirect, and it is never part of a URL, an error message or a log line."""

from __future__ import annotations

import http.client
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from medshare_desktop.core.errors import ImportFormatError, MedshareError
from medshare_desktop.importers.errors import ImportCancelled, SourceUnreachableError

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
USER_AGENT = "MedShareDesktop/0.1 (+refresh of watched accounts)"
_CHUNK = 1 << 16


class SourceHttpError(MedshareError):
    """The host answered, but with an HTTP error status (404: no such account, 401: bad token…)."""

    def __init__(self, host: str, status: int, who: str) -> None:
        self.host = host
        self.status = status
        hint = {
            401: " (the saved token was refused)",
            403: " (access refused)",
            404: " (not found)",
            429: " (too many requests; try again later)",
        }.get(status, "")
        super().__init__(f"{host} returned {status} for {who}{hint}")


@dataclass(frozen=True, slots=True)
class HttpOptions:
    timeout: float = DEFAULT_TIMEOUT_S
    max_bytes: int = DEFAULT_MAX_BYTES


DEFAULT_OPTIONS = HttpOptions()


def host_label(url: str) -> str:
    try:
        parts = urlsplit(url)
        return parts.netloc.rsplit("@", 1)[-1] or url
    except ValueError:
        return url


def get_bytes(
    url: str,
    *,
    host: str,
    who: str,
    token: str | None = None,
    accept: str = "application/json",
    options: HttpOptions = DEFAULT_OPTIONS,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """The body at `url`. `host` and `who` name the request in errors ("instance.social returned 404
    for @user"). Raises SourceUnreachableError, SourceHttpError, ImportFormatError (too large)."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    if token:
        request.add_unredirected_header("Authorization", f"Bearer {token}")
    log.debug("GET %s (token: %s)", host, "yes" if token else "no")
    try:
        with urllib.request.urlopen(request, timeout=options.timeout) as response:  # noqa: S310 - http(s) only
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > options.max_bytes:
                raise _too_large(url, options.max_bytes)
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(_CHUNK):
                size += len(chunk)
                if size > options.max_bytes:
                    raise _too_large(url, options.max_bytes)
                chunks.append(chunk)
                if cancelled is not None and cancelled():
                    raise ImportCancelled()
    except urllib.error.HTTPError as err:
        err.close()
        raise SourceHttpError(host, err.code, who) from None
    except urllib.error.URLError as err:
        reason = err.reason
        if isinstance(reason, TimeoutError):
            raise SourceUnreachableError(host, f"no answer within {options.timeout:g} s") from None
        raise SourceUnreachableError(host, str(getattr(reason, "strerror", None) or reason)) from None
    except TimeoutError:
        raise SourceUnreachableError(host, f"no answer within {options.timeout:g} s") from None
    except (http.client.HTTPException, ConnectionError) as err:
        raise SourceUnreachableError(host, f"the connection failed ({type(err).__name__})") from None
    except OSError as err:
        raise SourceUnreachableError(host, err.strerror or type(err).__name__) from None
    return b"".join(chunks)


def get_json(
    url: str,
    *,
    host: str,
    who: str,
    token: str | None = None,
    options: HttpOptions = DEFAULT_OPTIONS,
    cancelled: Callable[[], bool] | None = None,
) -> Any:
    data = get_bytes(url, host=host, who=who, token=token, options=options, cancelled=cancelled)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as err:
        raise ImportFormatError(url, "", f"the answer is not valid JSON ({_short(err)})") from None


def _too_large(url: str, limit: int) -> ImportFormatError:
    return ImportFormatError(url, "", f"the answer is larger than {limit / 1048576:.3g} MB, the most a refresh accepts")


def _short(err: Exception) -> str:
    text = str(err)
    return text if len(text) <= 80 else text[:77] + "…"
