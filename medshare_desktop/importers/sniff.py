"""What a file that is not a text export looks like, from its first bytes.

A photo renamed .csv should be called a photo, not given advice about saving CSV from Excel.
"""

from __future__ import annotations

from pathlib import Path

from medshare_desktop.core.errors import ImportFormatError

HEAD_BYTES = 512
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a zip archive (Excel .xlsx and Word .docx files are zip archives too)"),
    (b"PK\x05\x06", "an empty zip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.xls or .doc)"),
    (b"\x1f\x8b", "a gzip-compressed file"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
_UTF16 = (b"\xff\xfe", b"\xfe\xff")


def binary_kind(head: bytes) -> str:
    """ "a JPEG image", "UTF-16 text", "a binary file"… or "" for what may be UTF-8 text."""
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    if head[4:8] == b"ftyp":
        return "a video or HEIC photo"
    if head.startswith(b"RIFF") and head[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV sound file", b"AVI ": "an AVI video"}[head[8:12]]
    halves = max(head[0::2].count(0), head[1::2].count(0))  # UTF-16 without a byte order mark
    if head.startswith(_UTF16) or (len(head) >= 8 and halves >= len(head) // 2 - 1):
        return "UTF-16 text"
    if head.count(0) > len(head) // 8:  # a stray NUL in a CSV is dropped on import; this many are not text
        return "a binary file"
    return ""


def refuse_binary(path: Path, what: str = "a text export") -> None:
    """Raises ImportFormatError naming the file when its first bytes show it is not text."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return  # the reader reports an unreadable file itself
    kind = binary_kind(head)
    if not kind:
        return
    if kind == "UTF-16 text":
        raise ImportFormatError(
            path.name, "", "is UTF-16 text; save it as UTF-8 (in Excel: 'CSV UTF-8') and import it again"
        )
    raise ImportFormatError(path.name, "", f"looks like {kind}, not {what}; choose the exported file itself")
