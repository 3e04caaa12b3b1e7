"""A streaming reader for the JSON shapes the importers meet: a big array of records, possibly
after a JavaScript prefix (X archives) or inside a top-level object ({"posts": [...]},
{"orderedItems": [...]}).

Only one chunk of text plus the record being parsed is held in memory; each record is parsed by
the standard library's C scanner. Syntax errors name the line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.importers.common import CHUNK_CHARS

MAX_RECORD_CHARS = 16 * 1024 * 1024  # one post record; real ones are a few kilobytes
_WS = re.compile(r"[ \t\n\r]*")
_TRUNCATION_SLACK = 16  # an error this close to the end of the text may only mean "read more"


class JsonStream:
    def __init__(self, text: TextIO, name: str, on_chunk: Callable[[], None], where_prefix: str = "") -> None:
        self._text = text
        self._name = name
        self._on_chunk = on_chunk
        self._prefix = where_prefix
        self._decoder = json.JSONDecoder()
        self._buf = ""
        self._pos = 0
        self._line_base = 1  # line number of _buf[0]
        self._col_base = 0  # column (0-based) of _buf[0] within its line
        self._eof = False
        self.extras: dict[str, Any] = {}  # other members of a top-level object
        self.found_array = False  # whether object_array() met its key holding a list

    # -- reading -------------------------------------------------------------------------
    def _more(self, size: int = CHUNK_CHARS) -> bool:
        if self._eof:
            return False
        chunk = self._text.read(size)
        self._on_chunk()
        if not chunk:
            self._eof = True
            return False
        dropped = self._buf[: self._pos]
        newline = dropped.rfind("\n")
        self._line_base += dropped.count("\n")
        self._col_base = self._col_base + len(dropped) if newline < 0 else len(dropped) - newline - 1
        self._buf = self._buf[self._pos :] + chunk
        self._pos = 0
        return True

    def peek(self) -> str:
        """The next non-blank character ("" at the end of the text), without consuming it."""
        while True:
            self._pos = _WS.match(self._buf, self._pos).end()  # type: ignore[union-attr]
            if self._pos < len(self._buf):
                return self._buf[self._pos]
            if not self._more():
                return ""

    def where(self, pos: int | None = None) -> str:
        pos = self._pos if pos is None else pos
        line = self._line_base + self._buf.count("\n", 0, pos)
        newline = self._buf.rfind("\n", 0, pos)
        column = pos - newline if newline >= 0 else self._col_base + pos + 1
        return f"{self._prefix}line {line}, column {column}"

    def error(self, problem: str, pos: int | None = None) -> ImportFormatError:
        return ImportFormatError(self._name, self.where(pos), problem)

    def expect(self, char: str, what: str) -> None:
        found = self.peek()
        if found != char:
            shown = repr(found) if found else "the end of the file"
            raise self.error(f"not valid JSON: expected {what} but found {shown}")
        self._pos += 1

    def value(self) -> Any:
        """Parses one complete JSON value at the current position."""
        if not self.peek():
            raise self.error("not valid JSON: the file ends too early (is it complete?)")
        while True:
            try:
                obj, end = self._decoder.raw_decode(self._buf, self._pos)
            except json.JSONDecodeError as err:
                near_end = err.pos >= len(self._buf) - _TRUNCATION_SLACK
                if (near_end or err.msg.startswith("Unterminated string")) and self._more_for_record():
                    continue
                if near_end and self._eof:
                    raise self.error("not valid JSON: the file ends too early (is it complete?)", err.pos) from None
                raise self.error(f"not valid JSON: {err.msg}", err.pos) from None
            except RecursionError:
                raise self.error("not valid JSON: nested too deeply") from None
            except ValueError as err:  # e.g. an integer with more than 4300 digits
                raise self.error(f"not a usable JSON value: {str(err).split(';')[0]}") from None
            if end == len(self._buf) and self._more():  # a number may continue in the next chunk
                continue
            self._pos = end
            return obj

    def _more_for_record(self) -> bool:
        """Reads on into a record that did not fit. Each read doubles what is held, so a record of n
        characters is parsed about log2(n / 1 MB) times over a growing prefix: linear overall (reading
        one more megabyte each time parsed a 60 MB record 60 times over and took 28-47 s)."""
        held = len(self._buf) - self._pos
        if held >= MAX_RECORD_CHARS:
            raise self.error("a record is larger than 16 MB, or the JSON is not valid")
        return self._more(min(max(CHUNK_CHARS, held), MAX_RECORD_CHARS - held))

    # -- shapes --------------------------------------------------------------------------
    def skip_prefix(self, pattern: re.Pattern[str], what: str) -> re.Match[str]:
        self.peek()
        while len(self._buf) - self._pos < 256 and self._more():
            pass
        match = pattern.match(self._buf, self._pos)
        if match is None:
            raise self.error(f"does not start with {what}; is this the right file?")
        self._pos = match.end()
        return match

    def array(self) -> Iterator[Any]:
        """Yields the elements of the array at the current position."""
        self.expect("[", "'['")
        if self.peek() == "]":
            self._pos += 1
            return
        while True:
            yield self.value()
            found = self.peek()
            if found == "]":
                self._pos += 1
                return
            if found != ",":
                shown = repr(found) if found else "the end of the file"
                raise self.error(f"not valid JSON: expected ',' or ']' but found {shown}")
            self._pos += 1

    def object_array(self, key: str) -> Iterator[Any]:
        """Yields the elements of the array under `key` of the top-level object; other members
        are parsed into `extras`. Yields nothing if there is no such list (see `found_array`)."""
        self.expect("{", "'{'")
        if self.peek() == "}":
            self._pos += 1
            return
        while True:
            if self.peek() != '"':
                raise self.error("not valid JSON: expected a member name in double quotes")
            name = self.value()
            self.expect(":", "':'")
            if name == key and self.peek() == "[":
                self.found_array = True
                yield from self.array()
            else:
                self.extras[name] = self.value()
            found = self.peek()
            if found == "}":
                self._pos += 1
                return
            if found != ",":
                shown = repr(found) if found else "the end of the file"
                raise self.error(f"not valid JSON: expected ',' or '}}' but found {shown}")
            self._pos += 1

    def end(self, allowed: str = "") -> None:
        """Checks that nothing but blanks (and the characters in `allowed`) follows."""
        while (found := self.peek()) and found in allowed:
            self._pos += 1
        if found:
            raise self.error(f"not valid JSON: unexpected {found!r} after the end of the data")
