"""Helpers shared by the importers: limits, progress and cancellation, dates, UTF-8 errors."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time
from pathlib import Path

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.importers.errors import ImportCancelled

MAX_FILE_BYTES = 500 * 1024 * 1024
CHUNK_CHARS = 1 << 20  # how much text the streaming readers take at a time
CHECK_EVERY = 256  # records between cancellation checks

ProgressFn = Callable[[int, int], None]
CancelledFn = Callable[[], bool]

_MEDIA_SPLIT = re.compile(r"[\s|]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class Monitor:
    """Reports progress (done, total — in bytes) and raises ImportCancelled when asked to stop.

    Progress is reported at most about 100 times per import, and always once at the start and
    once at the end, so a slow callback (a Qt signal) never dominates the import.
    """

    def __init__(self, progress: ProgressFn | None = None, cancelled: CancelledFn | None = None) -> None:
        self.total = 0
        self._progress = progress
        self._cancelled = cancelled
        self._step = 1
        self._last = -1
        self._ticks = 0

    def start(self, total: int) -> None:
        """Sets the total (bytes) and reports (0, total)."""
        self._last = -1
        self.set_total(total)
        self.update(0)

    def set_total(self, total: int) -> None:
        """Sets the total without reporting (a download whose size is known only at the end)."""
        self.total = max(total, 0)
        self._step = max(self.total // 100, 1) if self.total else 1 << 20

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise ImportCancelled()

    def tick(self) -> None:
        """Called once per record: checks for cancellation every CHECK_EVERY records."""
        self._ticks += 1
        if self._ticks % CHECK_EVERY == 0:
            self.check()

    def update(self, done: int) -> None:
        self.check()
        done = min(max(done, 0), self.total) if self.total else max(done, 0)
        if self._progress is not None and (self._last < 0 or done - self._last >= self._step):
            self._last = done
            self._progress(done, self.total)

    def finish(self) -> None:
        self.check()
        if self._progress is not None and self._last != self.total:
            self._last = self.total
            self._progress(self.total, self.total)


LIMIT_TEXT = f"the largest file that can be imported is {MAX_FILE_BYTES // (1024 * 1024)} MB"


def size_text(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def size_error(name: str, size: int) -> ImportFormatError:
    return ImportFormatError(name, "", f"the file is {size_text(size)}; {LIMIT_TEXT}")


def check_file(path: Path) -> int:
    """Returns the size of a readable, non-empty file under MAX_FILE_BYTES, or raises."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ImportFormatError(path.name or str(path), "", f"cannot be read ({err.strerror})") from err
    if not path.is_file():
        raise ImportFormatError(path.name, "", "is not a file")
    if size == 0:
        raise ImportFormatError(path.name, "", "the file is empty")
    if size > MAX_FILE_BYTES:
        raise size_error(path.name, size)
    return size


def parse_timestamp(value: str) -> datetime:
    """ISO 8601 date-time or YYYY-MM-DD to an aware UTC datetime; naive times are taken as UTC.

    Raises ValueError with a readable message.
    """
    text = value.strip()
    if not text:
        raise ValueError("is empty")
    try:
        if len(text) == 10:
            parsed = datetime.combine(date.fromisoformat(text), time(0, 0))
        else:
            parsed = datetime.fromisoformat(text.replace(" UTC", "Z"))
    except ValueError:
        raise ValueError(f"{value.strip()[:40]!r} is not an ISO 8601 date (e.g. 2024-03-05T14:22:10Z)") from None
    return as_utc(parsed)


def as_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        raise ValueError("is out of range") from None


def clean_text(text: str) -> str:
    """Post text as stored: CRLF → LF, control characters (NUL, …) dropped, ends stripped."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def count_of(value: object) -> int | None:
    """A like or repost count as an export gives it (a number, or digits as text); None when absent or
    unreadable (an export that does not say is not an export that says zero)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def split_media(value: str) -> tuple[str, ...]:
    return tuple(part for part in _MEDIA_SPLIT.split(value.strip()) if part)


def unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def utf8_error(name: str, lines: Iterable[bytes], where_prefix: str = "") -> ImportFormatError:
    """The error for a file that is not UTF-8, naming the first line holding a bad byte."""
    for number, line in enumerate(lines, start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as err:
            return ImportFormatError(
                name,
                f"{where_prefix}line {number}",
                f"byte 0x{line[err.start]:02X} is not valid UTF-8; save the file as UTF-8 "
                "(in Excel: 'CSV UTF-8') and import it again",
            )
    # the bad sequence was cut off at the end of the file
    return ImportFormatError(name, f"{where_prefix}end of file", "ends in the middle of a character")
