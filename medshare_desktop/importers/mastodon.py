"""Mastodon export: outbox.json (ActivityStreams OrderedCollection), from the export zip, its
extracted folder or the file itself; actor.json beside it gives the author's name and handle.

Boosts (Announce) are other people's posts, and followers-only posts and direct messages were
never public: all three are skipped with a reason. Content HTML is turned into plain text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import ImportedPost, Platform
from medshare_desktop.importers.common import Monitor, count_of, parse_timestamp, unique
from medshare_desktop.importers.html_text import html_to_text
from medshare_desktop.importers.jsonstream import JsonStream
from medshare_desktop.importers.sources import Member, is_zip, open_zip, read_small, reading, text_of

PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}
MISSING = "is not a Mastodon export: it has no outbox.json"
_ACTOR_PATH = re.compile(r"^/users/([^/]+)")


def _locate(path: Path, stack: ExitStack) -> tuple[Member, Member | None, Path | None]:
    """(outbox, actor.json or None, folder holding media files or None)."""
    if path.is_file() and (is_zip(path) or path.suffix.lower() == ".zip"):
        archive = stack.enter_context(open_zip(path))
        infos = {i.filename.rsplit("/", 1)[-1].lower(): i for i in archive.infolist() if not i.is_dir()}
        if "outbox.json" not in infos:
            raise ImportFormatError(path.name, "", MISSING)
        actor = infos.get("actor.json")
        outbox = Member.of_zip(archive, infos["outbox.json"], path.name)
        return outbox, Member.of_zip(archive, actor, path.name) if actor else None, None
    if path.is_dir():
        if not (path / "outbox.json").is_file():
            raise ImportFormatError(path.name, "", MISSING)
        path = path / "outbox.json"
    actor = path.parent / "actor.json"
    return Member.of_file(path), Member.of_file(actor) if actor.is_file() else None, path.parent


def read_actor(member: Member | None) -> tuple[str, str]:
    """(display name, "@user@host") from actor.json; ("", "") when absent or unreadable."""
    if member is None:
        return "", ""
    try:
        actor = json.loads(read_small(member))
        name, user = str(actor.get("name") or ""), str(actor.get("preferredUsername") or "")
        host = urlsplit(str(actor.get("id") or actor.get("url") or "")).hostname or ""
    except RecursionError:  # a hostile file, not an export: refused like the same nesting in outbox.json
        raise member.error("", "not valid JSON: nested too deeply") from None
    except (ImportFormatError, ValueError, AttributeError):
        return "", ""
    return html_to_text(name), f"@{user}@{host}" if user and host else ""


def handle_from_actor(actor: Any) -> str:
    if not isinstance(actor, str):
        return ""
    try:
        parts = urlsplit(actor)
        host = parts.hostname
    except ValueError:  # not a web address ('http://[x/users/a'): no handle, as for any other odd value
        return ""
    match = _ACTOR_PATH.match(parts.path)
    return f"@{match[1]}@{host}" if match and host else ""


def iter_mastodon(path: Path, monitor: Monitor) -> Iterator[ImportedPost | str]:
    """Yields each record's post, or the reason it is skipped."""
    with ExitStack() as stack:
        outbox, actor, folder = _locate(path, stack)
        author, handle = read_actor(actor)
        monitor.start(outbox.size)
        with reading(outbox), text_of(outbox) as (text, counter):
            stream = JsonStream(text, outbox.label, lambda: monitor.update(counter.count), outbox.prefix)
            if stream.peek() != "{":
                raise stream.error('not an ActivityStreams outbox: expected an object with "orderedItems"')
            for number, item in enumerate(stream.object_array("orderedItems"), start=1):
                monitor.tick()
                where = f"{outbox.prefix}item {number}"
                yield _item(item, where, outbox, author, handle, folder)
            if not stream.found_array:
                raise outbox.error("", 'has no "orderedItems" list; is this a Mastodon outbox.json?')
            stream.end()


def _item(item: Any, where: str, outbox: Member, author: str, handle: str, folder: Path | None) -> ImportedPost | str:
    if not isinstance(item, dict):
        raise ImportFormatError(outbox.label, where, "expected an activity object")
    kind = item.get("type")
    if kind == "Announce":
        boosted = item.get("object")
        return f"{where}: boost of {boosted if isinstance(boosted, str) else 'another post'}"
    if kind != "Create":
        return f"{where}: {str(kind)[:30]} activity ignored"
    note = item.get("object")
    if not isinstance(note, dict):
        return f"{where}: no post content"
    audience = _list(note.get("to", item.get("to"))) + _list(note.get("cc", item.get("cc")))
    if audience and not PUBLIC & set(audience):
        private = "followers-only post" if any(a.endswith("/followers") for a in audience) else "direct message"
        return f"{where}: {private} (not public)"
    content = note.get("content")
    text = html_to_text(content) if isinstance(content, str) else ""
    if not text:
        return f"{where}: no text" + (" (media only)" if note.get("attachment") else "")
    warning = note.get("summary")
    if isinstance(warning, str) and warning.strip():
        text = f"CW: {html_to_text(warning)}\n\n{text}"
    try:
        posted_at = parse_timestamp(str(note.get("published") or item.get("published") or ""))
    except ValueError as err:
        raise ImportFormatError(outbox.label, where, f"published {err}") from None
    note_id = note.get("id") if isinstance(note.get("id"), str) else None
    url = note.get("url") if isinstance(note.get("url"), str) else note_id or ""
    return ImportedPost(
        platform=Platform.MASTODON,
        text=text,
        posted_at=posted_at,
        author=author,
        handle=handle or handle_from_actor(item.get("actor")),
        external_id=note_id,
        url=url,
        media=unique(_media_ref(a, folder) for a in _list(note.get("attachment"), dict)),
        likes=_total(note.get("likes")),
        reposts=_total(note.get("shares")),
    )


def _total(collection: Any) -> int | None:
    """`totalItems` of an ActivityPub collection (some servers put the likes or shares in the outbox)."""
    return count_of(collection.get("totalItems")) if isinstance(collection, dict) else None


def _media_ref(attachment: dict[str, Any], folder: Path | None) -> str:
    url = attachment.get("url")
    if isinstance(url, dict):  # some servers give a Link object
        url = url.get("href")
    if not isinstance(url, str):
        return ""
    if folder is not None and url.startswith("/"):
        local = (folder / url.lstrip("/")).resolve()
        if local.is_relative_to(folder.resolve()) and local.is_file():
            return str(local)
    return url


def _list(value: Any, kind: type = str) -> list[Any]:
    if isinstance(value, kind):
        return [value]
    return [v for v in value if isinstance(v, kind)] if isinstance(value, list) else []
