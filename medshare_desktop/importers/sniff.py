"""What a file that is not a text export looks like, from its first bytes.

A photo renamed .csv should be called a photo, not given advice about saving CSV from Excel.
"""

from __future__ import annotations

from pathlib import Path

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.file_signatures import signature_kind

HEAD_BYTES = 512
_UTF16 = (b"\xff\xfe", b"\xfe\xff")


def binary_kind(head: bytes) -> str:
    """ "a JPEG image", "UTF-16 text", "a binary file"… or "" for what may be UTF-8 text."""
    if (kind := signature_kind(head)) is not None:
        return kind
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
