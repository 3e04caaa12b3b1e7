"""Generic JSON (documented in docs/import_formats.md): a list of post objects, or
{"posts": [...]}; read as a stream so a large file does not have to fit in memory twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import ImportedPost
from medshare_desktop.importers.common import Monitor
from medshare_desktop.importers.jsonstream import JsonStream
from medshare_desktop.importers.records import FIELDS, build_post
from medshare_desktop.importers.sources import Member, reading, text_of

_SHAPE = 'expected a list of posts, or an object {"posts": [...]}'


def kind_of(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "null" if value is None else "a number"
    )


def record_fields(obj: Any, name: str, where: str) -> dict[str, str]:
    """The documented fields of one JSON record as strings; raises naming the record and field."""
    if not isinstance(obj, dict):
        raise ImportFormatError(name, where, f"expected an object, found {kind_of(obj)}")
    fields: dict[str, str] = {}
    for key in FIELDS:
        value = obj.get(key)
        if value is None:
            continue
        if key == "media" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            fields[key] = " ".join(value)
        elif isinstance(value, str):
            fields[key] = value
        elif key in ("external_id", "likes", "reposts") and isinstance(value, int) and not isinstance(value, bool):
            fields[key] = str(value)
        else:
            expected = "text or a list of text" if key == "media" else "text"
            raise ImportFormatError(name, f"{where}, field {key!r}", f"expected {expected}, found {kind_of(value)}")
    return fields


def iter_json(path: Path, monitor: Monitor) -> Iterator[ImportedPost | str]:
    """Yields each record's post, or the reason it is skipped."""
    member = Member.of_file(path)
    monitor.start(member.size)
    with reading(member), text_of(member) as (text, counter):
        stream = JsonStream(text, member.label, lambda: monitor.update(counter.count))
        first = stream.peek()
        if first == "[":
            items = stream.array()
        elif first == "{":
            items = stream.object_array("posts")
        else:
            raise stream.error(f"not valid JSON: {_SHAPE}")
        for number, obj in enumerate(items, start=1):
            monitor.tick()
            where = f"record {number}"
            yield build_post(record_fields(obj, member.label, where), member.label, where)
        if first == "{" and not stream.found_array:
            raise ImportFormatError(member.label, "", f'has no "posts" list; {_SHAPE}')
        stream.end()
