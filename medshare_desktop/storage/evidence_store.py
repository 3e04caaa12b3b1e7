"""The evidence folder: signed consent forms stored under the SHA-256 of their bytes.

Images lose their metadata before they are stored (EXIF with GPS position, camera serial, XMP,
Photoshop/IPTC blocks, comments; PNG text and eXIf chunks): a signed form photographed on a phone
must not carry where and when it was taken into the register. This is done here in plain Python on
the file's structure — no decoding, so the pixels are untouched — which keeps Pillow out of the app.
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
import tempfile
from collections.abc import Callable
from pathlib import Path

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.ports import StoredEvidence
from medshare_desktop.core.rules.consent import EVIDENCE_MAX_BYTES, evidence_type

log = logging.getLogger(__name__)

# JPEG markers dropped: APP1 (Exif, XMP), APP12 (Ducky/Picture Info), APP13 (Photoshop, IPTC), COM.
# Kept: APP0 (JFIF), APP2 (ICC colour profile), APP14 (Adobe colour transform) and all image data.
_JPEG_DROP = {0xE1, 0xEC, 0xED, 0xFE}
# PNG chunks dropped: text (tEXt, zTXt, iTXt), eXIf and the modification time.
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def strip_jpeg_metadata(data: bytes) -> bytes:
    """The JPEG without metadata segments; raises ValueError if the structure is broken."""
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG file")
    out = bytearray(b"\xff\xd8")
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError(f"broken JPEG segment at byte {pos}")
        marker = data[pos + 1] if pos + 1 < len(data) else 0xD9
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9 or 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length field
            out += data[pos : pos + 2]
            pos += 2
            if marker == 0xD9:
                break
            continue
        if pos + 4 > len(data):
            raise ValueError("truncated JPEG segment")
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        end = pos + 2 + length
        if length < 2 or end > len(data):
            raise ValueError(f"bad JPEG segment length at byte {pos}")
        if marker == 0xDA:  # start of scan: the compressed image follows up to the end
            out += data[pos:]
            return bytes(out)
        if marker not in _JPEG_DROP:
            out += data[pos:end]
        pos = end
    return bytes(out)


def strip_png_metadata(data: bytes) -> bytes:
    """The PNG without text/EXIF/time chunks; raises ValueError if the structure is broken."""
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("not a PNG file")
    out = bytearray(_PNG_SIGNATURE)
    pos = len(_PNG_SIGNATURE)
    while pos < len(data):
        if pos + 8 > len(data):
            raise ValueError("truncated PNG chunk")
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if end > len(data):
            raise ValueError(f"bad PNG chunk length at byte {pos}")
        if kind not in _PNG_DROP:
            out += data[pos:end]
        pos = end
        if kind == b"IEND":
            break
    return bytes(out)


_STRIPPERS: dict[str, Callable[[bytes], bytes]] = {
    "image/jpeg": strip_jpeg_metadata,
    "image/png": strip_png_metadata,
}


def read_evidence(source: str, max_bytes: int = EVIDENCE_MAX_BYTES) -> tuple[bytes, str, str]:
    """The file's bytes, media type and suffix, or ValidationError naming the file and the problem."""
    path = Path(source)
    name = path.name or source
    if not path.exists():
        raise ValidationError(f"The evidence file {name} does not exist (looked for {source}).")
    if not path.is_file():
        raise ValidationError(f"The evidence {name} is a folder, not a file.")
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ValidationError(
                f"The evidence file {name} is {size / 1_048_576:.1f} MB; files up to "
                f"{max_bytes // 1_048_576} MB can be attached. Scan the form at a lower resolution."
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ValidationError(f"The evidence file {name} cannot be read: {exc.strerror or exc}.") from exc
    kind = evidence_type(data[:16])
    if kind is None:
        raise ValidationError(
            f"The evidence file {name} is not a PDF, JPEG or PNG file (its content does not start like one)."
        )
    return data, kind[0], kind[1]


def prepare_evidence(source: str, max_bytes: int = EVIDENCE_MAX_BYTES) -> tuple[bytes, StoredEvidence]:
    """The bytes to store (an image without its metadata) and what they are; named `<sha256><suffix>`."""
    data, media_type, suffix = read_evidence(source, max_bytes)
    stripped = False
    strip = _STRIPPERS.get(media_type)
    if strip is not None:
        try:
            cleaned = strip(data)
        except ValueError as exc:
            raise ValidationError(f"The image {Path(source).name} looks damaged ({exc}); scan it again.") from exc
        stripped = len(cleaned) != len(data)
        data = cleaned
    digest = hashlib.sha256(data).hexdigest()
    return data, StoredEvidence(digest, digest + suffix, Path(source).name, media_type, len(data), stripped)


def write_atomically(target: Path, data: bytes) -> None:
    """The whole file or none of it: written beside under a temporary name, then renamed."""
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class FileEvidenceStore:
    """Implements the core's EvidenceStore port over a folder (by default paths.evidence_dir())."""

    def __init__(self, folder: Path | str | None = None, max_bytes: int = EVIDENCE_MAX_BYTES) -> None:
        self._folder = Path(folder) if folder is not None else None
        self._max_bytes = max_bytes

    @property
    def folder(self) -> Path:
        if self._folder is None:
            from medshare_desktop.paths import evidence_dir

            self._folder = evidence_dir()
        self._folder.mkdir(parents=True, exist_ok=True)
        return self._folder

    def store(self, source: str) -> StoredEvidence:
        data, stored = prepare_evidence(source, self._max_bytes)
        target = self.folder / stored.stored_name
        if not target.exists():
            write_atomically(target, data)
        log.info("evidence stored as %s (%d bytes, metadata stripped: %s)", stored.stored_name, len(data),
                 stored.metadata_stripped)
        return stored

    def locate(self, stored_name: str) -> str:
        """Absolute path of a stored copy; the name may also be an absolute path kept by older records."""
        path = Path(stored_name)
        if not path.is_absolute():
            path = self.folder / Path(stored_name).name
        if not path.is_file():
            raise ValidationError(
                f"The stored evidence {path.name} is missing from the evidence folder ({path.parent})."
            )
        return str(path)
