"""Where an importer's bytes come from: a plain file or a member of a zip archive.

`Member` hides the difference; `text_of()` gives UTF-8 text (a BOM is allowed) while counting
bytes for progress; `reading()` turns decoding and zip damage into ImportFormatErrors.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.importers.common import MAX_FILE_BYTES, check_file, size_error, utf8_error
from medshare_desktop.importers.sniff import refuse_binary

ZIP_DAMAGED = "the zip archive is damaged or incomplete (was the download cut short?)"
MAX_ZIP_ENTRIES = 200_000  # a large X archive with every photo holds tens of thousands
MAX_ZIP_DIRECTORY_BYTES = 64 * 1024 * 1024  # the list of entries zipfile reads into memory


@dataclass(frozen=True, slots=True)
class Member:
    label: str  # the file named in messages
    inner: str  # the member inside a zip archive, "" for a plain file
    size: int
    opener: Callable[[], BinaryIO]

    @property
    def prefix(self) -> str:
        """What goes before "line N" in a message: "data/tweets.js " for zip members."""
        return f"{self.inner} " if self.inner else ""

    @classmethod
    def of_file(cls, path: Path) -> Member:
        size = check_file(path)
        refuse_binary(path)  # a photo renamed .csv is called a photo, not given advice about CSV
        return cls(path.name, "", size, lambda: path.open("rb"))

    @classmethod
    def of_zip(cls, archive: zipfile.ZipFile, info: zipfile.ZipInfo, label: str) -> Member:
        if info.file_size > MAX_FILE_BYTES:
            raise size_error(f"{label}, {info.filename}", info.file_size)
        return cls(label, info.filename, info.file_size, lambda: archive.open(info))  # type: ignore[return-value]

    def error(self, where: str, problem: str) -> ImportFormatError:
        return ImportFormatError(self.label, f"{self.prefix}{where}".strip(), problem)


class CountingReader(io.RawIOBase):
    """Counts the bytes read from a binary stream (for progress)."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.count += size
        return size


@contextmanager
def text_of(member: Member) -> Iterator[tuple[io.TextIOWrapper, CountingReader]]:
    with member.opener() as raw:
        counter = CountingReader(raw)
        buffered = io.BufferedReader(counter, buffer_size=1 << 16)
        text = io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="strict", newline="")
        yield text, counter


@contextmanager
def reading(member: Member) -> Iterator[None]:
    """Maps a bad byte or a damaged archive met while reading `member` to an ImportFormatError."""
    try:
        yield
    except UnicodeDecodeError:
        raise _bad_utf8(member) from None
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:
        raise member.error("", f"{ZIP_DAMAGED}: {err}") from None
    except RuntimeError as err:  # zipfile: "… is encrypted, password required for extraction"
        problem = "is password-protected; export it again without a password" if "encrypted" in str(err) else str(err)
        raise member.error("", problem) from None
    except NotImplementedError as err:  # a compression method zipfile cannot read
        raise member.error("", f"cannot be unpacked ({err})") from None
    except OSError as err:
        raise member.error("", f"cannot be read ({err.strerror or err})") from None


def _bad_utf8(member: Member) -> ImportFormatError:
    try:
        with member.opener() as raw:
            return utf8_error(member.label, iter(raw.readline, b""), member.prefix)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError):
        return member.error("", "is not valid UTF-8 text")


def open_zip(path: Path) -> zipfile.ZipFile:
    """The archive, once its own directory says it is of a size worth listing: zipfile reads every
    entry into memory (5.9 million empty entries took 3.2 GB), so the count is checked first."""
    check_file(path)
    try:
        _check_directory(path)
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError) as err:
        raise ImportFormatError(path.name, "", f"{ZIP_DAMAGED} ({err})") from None
    except OSError as err:
        raise ImportFormatError(path.name, "", f"cannot be read ({err.strerror or err})") from None


def _check_directory(path: Path) -> None:
    with path.open("rb") as handle:
        end = zipfile._EndRecData(handle)  # type: ignore[attr-defined]  # the stdlib's own end-record reader
    if end is None:
        raise zipfile.BadZipFile("no end of central directory")
    entries, size = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]  # type: ignore[attr-defined]
    if entries > MAX_ZIP_ENTRIES or size > MAX_ZIP_DIRECTORY_BYTES:
        raise ImportFormatError(
            path.name,
            "",
            f"the zip archive lists {entries:,} entries; an export holds fewer than {MAX_ZIP_ENTRIES:,} "
            "(is this the right file?)",
        )


def is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) in (b"PK\x03\x04", b"PK\x05\x06")
    except OSError:
        return False


def read_small(member: Member, limit: int = 16 * 1024 * 1024) -> str:
    """The whole text of a small side file (account.js, actor.json, Profile.csv)."""
    if member.size > limit:
        raise member.error("", "is too large for a profile file")
    with reading(member), member.opener() as raw:
        return raw.read(limit + 1).decode("utf-8-sig")
