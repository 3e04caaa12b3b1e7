"""The evidence folder: content-addressed copies, metadata stripped from images, bad files refused."""

from __future__ import annotations

import hashlib
import struct
import zlib
from pathlib import Path

import pytest

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.storage.evidence_store import FileEvidenceStore, strip_jpeg_metadata, strip_png_metadata

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


def segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_exif() -> bytes:
    exif = b"Exif\x00\x00MM\x00*" + b"GPSLatitude 52.37N" * 3
    scan = segment(0xDA, b"\x01\x01\x00\x00?\x00") + b"\x12\x34\xff\x00\x56" + b"\xff\xd9"
    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xE1, exif)
        + segment(0xE2, b"ICC_PROFILE\x00\x01\x01colour")
        + segment(0xED, b"Photoshop 3.0\x00IPTC")
        + segment(0xFE, b"taken at home")
        + segment(0xDB, b"\x00" + bytes(64))
        + scan
    )


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_with_text() -> bytes:
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"tEXt", b"Author\x00Dr Ana Ruiz")
        + chunk(b"eXIf", b"MM\x00*GPS")
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def test_jpeg_loses_exif_iptc_and_comments_but_keeps_image_and_colour_profile() -> None:
    original = jpeg_with_exif()
    cleaned = strip_jpeg_metadata(original)
    assert b"Exif" not in cleaned and b"GPSLatitude" not in cleaned and b"Photoshop" not in cleaned
    assert b"taken at home" not in cleaned
    assert b"JFIF" in cleaned and b"ICC_PROFILE" in cleaned
    assert cleaned.endswith(b"\x12\x34\xff\x00\x56\xff\xd9")
    assert strip_jpeg_metadata(cleaned) == cleaned


def test_png_loses_text_and_exif_chunks() -> None:
    cleaned = strip_png_metadata(png_with_text())
    assert b"Dr Ana Ruiz" not in cleaned and b"eXIf" not in cleaned
    assert b"IHDR" in cleaned and b"IDAT" in cleaned and cleaned.endswith(chunk(b"IEND", b""))


def test_store_is_content_addressed_and_strips_images(tmp_path: Path) -> None:
    store = FileEvidenceStore(tmp_path / "evidence")
    photo = tmp_path / "form photo.jpg"
    photo.write_bytes(jpeg_with_exif())
    stored = store.store(str(photo))
    copy = Path(store.locate(stored.stored_name))
    assert copy.name == stored.sha256 + ".jpg" and stored.media_type == "image/jpeg"
    assert stored.metadata_stripped and b"GPSLatitude" not in copy.read_bytes()
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == stored.sha256
    assert store.store(str(photo)) == stored  # the same file twice: one copy
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(PDF)
    assert Path(store.locate(store.store(str(pdf)).stored_name)).read_bytes() == PDF
    assert sorted(p.suffix for p in (tmp_path / "evidence").iterdir()) == [".jpg", ".pdf"]


def test_missing_file_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="The evidence file gone.pdf does not exist"):
        FileEvidenceStore(tmp_path).store(str(tmp_path / "gone.pdf"))


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="is a folder"):
        FileEvidenceStore(tmp_path / "e").store(str(tmp_path))


def test_unknown_type_is_refused_by_magic_bytes_not_suffix(tmp_path: Path) -> None:
    fake = tmp_path / "consent.pdf"
    fake.write_bytes(b"GIF89a not a pdf")
    with pytest.raises(ValidationError, match="consent.pdf is not a PDF, JPEG or PNG"):
        FileEvidenceStore(tmp_path / "e").store(str(fake))
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(ValidationError, match="empty.png is not a PDF"):
        FileEvidenceStore(tmp_path / "e").store(str(empty))


def test_huge_file_is_refused(tmp_path: Path) -> None:
    huge = tmp_path / "scan.pdf"
    with huge.open("wb") as handle:  # sparse: 50 MB + 1 byte without writing them
        handle.write(b"%PDF-1.4")
        handle.truncate(50 * 1024 * 1024 + 1)
    with pytest.raises(ValidationError, match=r"scan.pdf is 50.0 MB; files up to 50 MB"):
        FileEvidenceStore(tmp_path / "e").store(str(huge))


def test_unreadable_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(PDF)

    def deny(self: Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", deny)
    with pytest.raises(ValidationError, match="locked.pdf cannot be read: Permission denied"):
        FileEvidenceStore(tmp_path / "e").store(str(locked))


def test_damaged_image_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe1\x00\xff")
    with pytest.raises(ValidationError, match="broken.jpg looks damaged"):
        FileEvidenceStore(tmp_path / "e").store(str(broken))


def test_locate_reports_a_missing_copy(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="is missing from the evidence folder"):
        FileEvidenceStore(tmp_path).locate("0" * 64 + ".pdf")
