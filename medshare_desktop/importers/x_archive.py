"""X (Twitter) archive: data/tweets.js (+ tweets-part1.js …) from the zip or an extracted folder.

Retweets ("RT @who: …") are not the author's own words: they are skipped with a reason.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import ImportedPost, Platform
from medshare_desktop.importers.common import (
    LIMIT_TEXT,
    MAX_FILE_BYTES,
    Monitor,
    as_utc,
    clean_text,
    count_of,
    size_text,
    unique,
)
from medshare_desktop.importers.jsonstream import JsonStream
from medshare_desktop.importers.sources import (
    CountingReader,
    Member,
    is_zip,
    open_zip,
    read_small,
    reading,
    text_of,
)

TWEETS_FILE = re.compile(r"(?:^|/)(?:data/)?tweets?(?:-part(\d+))?\.js$")
ACCOUNT_FILE = re.compile(r"(?:^|/)(?:data/)?account\.js$")
MANIFEST_FILE = re.compile(r"(?:^|/)(?:data/)?manifest\.js$")  # newer archives: userInfo, when account.js is absent
_PREFIX = re.compile(r"window\.YTD\.(\w+)\.part\d+\s*=\s*")
_RETWEET = re.compile(r"^RT @(\w{1,15}):")
_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_CREATED = re.compile(r"^\w{3} (\w{3}) (\d{1,2}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d) (\d{4})$")
MISSING = "is not an X (Twitter) archive: it has no data/tweets.js"


def parse_created_at(value: str) -> datetime:
    """ "Wed Oct 10 20:19:24 +0000 2018" → aware UTC datetime (independent of the locale)."""
    match = _CREATED.match(value.strip())
    if not match or match[1] not in _MONTHS:
        raise ValueError(f"{value[:40]!r} is not an X date")
    mon, day, hh, mm, ss, sign, oh, om, year = match.groups()
    offset = timedelta(hours=int(oh), minutes=int(om)) * (-1 if sign == "-" else 1)
    moment = datetime(int(year), _MONTHS[mon], int(day), int(hh), int(mm), int(ss), tzinfo=timezone(offset))
    return as_utc(moment)


def _part_order(member: Member) -> int:
    match = TWEETS_FILE.search(member.inner or member.label)
    return int(match[1]) if match and match[1] else 0


def _locate(path: Path, stack: ExitStack) -> tuple[list[Member], Member | None]:
    if path.is_file() and (is_zip(path) or path.suffix.lower() == ".zip"):
        archive = stack.enter_context(open_zip(path))
        infos = [i for i in archive.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
        tweets = [Member.of_zip(archive, i, path.name) for i in infos if TWEETS_FILE.search(i.filename)]
        account = next((Member.of_zip(archive, i, path.name) for i in infos if ACCOUNT_FILE.search(i.filename)), None)
        if account is None:
            account = next(
                (Member.of_zip(archive, i, path.name) for i in infos if MANIFEST_FILE.search(i.filename)), None
            )
        if not tweets:
            raise ImportFormatError(path.name, "", MISSING)
        return sorted(tweets, key=_part_order), account
    if path.is_dir():
        folder = path / "data" if (path / "data").is_dir() else path
    elif path.is_file():
        folder = path.parent
        if not TWEETS_FILE.search(path.name):
            return [Member.of_file(path)], _account_in(folder)
    else:
        raise ImportFormatError(path.name or str(path), "", "not found")
    tweets = [Member.of_file(p) for p in folder.glob("tweet*.js") if TWEETS_FILE.search(p.name)]
    if not tweets:
        raise ImportFormatError(path.name, "", MISSING)
    return sorted(tweets, key=_part_order), _account_in(folder)


def _account_in(folder: Path) -> Member | None:
    for name in ("account.js", "manifest.js"):
        if (folder / name).is_file():
            return Member.of_file(folder / name)
    return None


def read_account(member: Member | None) -> tuple[str, str]:
    """(display name, username) from account.js, or manifest.js's userInfo; ("", "") when absent or unreadable."""
    if member is None:
        return "", ""
    try:
        text = read_small(member)
        data = json.loads(text[text.index("=") + 1 :].strip().rstrip(";"))
        if isinstance(data, dict):
            info = data["userInfo"]
            return str(info.get("displayName") or ""), str(info.get("userName") or "")
        account = data[0]["account"]
        return str(account.get("accountDisplayName") or ""), str(account.get("username") or "")
    except RecursionError:  # a hostile file, not an export: refused like the same nesting in tweets.js
        raise member.error("", "not valid JSON: nested too deeply") from None
    except (ImportFormatError, ValueError, LookupError, TypeError, AttributeError):
        return "", ""


def iter_x_archive(path: Path, monitor: Monitor) -> Iterator[ImportedPost | str]:
    """Yields each record's post, or the reason it is skipped."""
    with ExitStack() as stack:
        parts, account = _locate(path, stack)
        total = sum(part.size for part in parts)
        if total > MAX_FILE_BYTES:  # every part is under the limit, but together they unpack to more
            raise ImportFormatError(parts[0].label, "", f"its tweet files unpack to {size_text(total)}; {LIMIT_TEXT}")
        author, username = read_account(account)
        monitor.start(total)
        done = 0
        for part in parts:
            with reading(part), text_of(part) as (text, counter):

                def on_chunk(base: int = done, counter: CountingReader = counter) -> None:
                    monitor.update(base + counter.count)

                stream = JsonStream(text, part.label, on_chunk, part.prefix)
                kind = stream.skip_prefix(_PREFIX, "'window.YTD.tweets.part0 = ['")[1]
                if kind not in ("tweets", "tweet"):
                    raise part.error(
                        "line 1", f"holds {kind.replace('_', ' ')} (window.YTD.{kind}), not tweets; is this the right file?"
                    )
                for number, obj in enumerate(stream.array(), start=1):
                    monitor.tick()
                    yield _tweet(obj, part, number, author, username)
                stream.end(";")
                done += part.size


def _tweet(obj: Any, part: Member, number: int, author: str, username: str) -> ImportedPost | str:
    tweet = obj.get("tweet", obj) if isinstance(obj, dict) else None
    if not isinstance(tweet, dict):
        raise part.error(f"tweet record {number}", 'expected an object with a "tweet"')
    tweet_id = str(tweet.get("id_str") or tweet.get("id") or "")
    if not tweet_id:
        raise part.error(f"tweet record {number}", "has no id_str")
    try:
        posted_at = parse_created_at(str(tweet.get("created_at") or ""))
    except ValueError as err:
        raise part.error(f"tweet {tweet_id}", f"created_at {err}") from None
    raw = tweet.get("full_text") or tweet.get("text") or ""
    if not isinstance(raw, str):
        raise part.error(f"tweet {tweet_id}", "full_text is not text")
    if match := _RETWEET.match(raw):
        return f"tweet {tweet_id}: retweet of @{match[1]}"
    entities = tweet.get("entities") if isinstance(tweet.get("entities"), dict) else {}
    extended = tweet.get("extended_entities") if isinstance(tweet.get("extended_entities"), dict) else {}
    text = raw
    for link in _dicts(entities.get("urls")):
        if isinstance(link.get("url"), str) and isinstance(link.get("expanded_url"), str):
            text = text.replace(link["url"], link["expanded_url"])
    media_items = _dicts(extended.get("media")) or _dicts(entities.get("media"))
    for item in media_items + _dicts(entities.get("media")):
        if isinstance(item.get("url"), str):
            text = text.replace(item["url"], "")
    text = clean_text(html.unescape(text))
    if not text:
        return f"tweet {tweet_id}: no text" + (" (media only)" if media_items else "")
    media = unique(str(m.get("media_url_https") or m.get("media_url") or "") for m in media_items)
    url = f"https://x.com/{username}/status/{tweet_id}" if username else f"https://x.com/i/web/status/{tweet_id}"
    return ImportedPost(
        platform=Platform.X,
        text=text,
        posted_at=posted_at,
        author=author,
        handle=f"@{username}" if username else "",
        external_id=tweet_id,
        url=url,
        media=media,
        likes=count_of(tweet.get("favorite_count")),
        reposts=count_of(tweet.get("retweet_count")),
    )


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
