"""Generic CSV (documented in docs/import_formats.md), and the CSV reading LinkedIn shares.

UTF-8 only (a BOM is fine): a file with another encoding is refused, naming the line with the
first bad byte, rather than guessed at — a wrong guess would silently garble names and text.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from pathlib import Path

from medshare_desktop.core.models import ImportedPost
from medshare_desktop.importers.common import Monitor
from medshare_desktop.importers.records import FIELDS, REQUIRED, build_post
from medshare_desktop.importers.sources import Member, reading, text_of

_DELIMITERS = (",", ";", "\t")
csv.field_size_limit(16 * 1024 * 1024)


def iter_rows(
    member: Member, monitor: Monitor, required: tuple[str, ...], wanted: tuple[str, ...]
) -> Iterator[tuple[dict[str, str], str]]:
    """Yields (record, "line N") for each non-blank row, with the wanted columns (matched
    without regard to case or surrounding blanks) as keys; "line N" is the row's first line."""
    with reading(member), text_of(member) as (text, counter):
        header_line = text.readline()
        delimiter = _delimiter(header_line, required)
        rows = csv.reader(itertools.chain([header_line], text), delimiter=delimiter, strict=True)
        try:
            header = next(rows)
        except StopIteration:
            raise member.error("", "the file is empty") from None
        except csv.Error as err:
            raise member.error("line 1", f"not valid CSV: {err}") from None
        names = [cell.strip().lower() for cell in header]
        missing = [column for column in required if column.lower() not in names]
        if missing:
            found = ", ".join(repr(cell.strip()) for cell in header if cell.strip())[:200] or "none"
            raise member.error(
                "line 1", f"missing required column {', '.join(repr(m) for m in missing)} (found: {found})"
            )
        index = {want: names.index(want.lower()) for want in wanted if want.lower() in names}
        previous = rows.line_num
        reported, step = 0, max(member.size // 100, 1 << 16)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                break
            except csv.Error as err:
                raise member.error(f"line {previous + 1}", f"not valid CSV: {err}") from None
            where = f"{member.prefix}line {previous + 1}"
            previous = rows.line_num
            monitor.tick()
            if counter.count - reported >= step:
                reported = counter.count
                monitor.update(reported)
            if not any(cell.strip() for cell in row):
                continue
            yield {key: row[i] if i < len(row) else "" for key, i in index.items()}, where
        monitor.update(counter.count)


def _delimiter(header_line: str, required: tuple[str, ...]) -> str:
    wanted = {column.lower() for column in required}
    for delimiter in _DELIMITERS:
        names = {cell.strip().strip('"').lower() for cell in header_line.split(delimiter)}
        if wanted <= names:
            return delimiter
    return ","


def iter_csv(path: Path, monitor: Monitor) -> Iterator[ImportedPost | str]:
    """Yields each row's post, or the reason it is skipped."""
    member = Member.of_file(path)
    monitor.start(member.size)
    for record, where in iter_rows(member, monitor, REQUIRED, FIELDS):
        yield build_post(record, member.label, where)
