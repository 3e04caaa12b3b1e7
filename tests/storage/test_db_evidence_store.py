"""Evidence files kept in the database (team mode): stored once, opened by any desk, checked on every read."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.storage import Database, open_database
from medshare_desktop.storage.db_evidence_store import DbEvidenceStore

PDF = b"%PDF-1.4\n% a signed consent form\n%%EOF\n"
JPEG_WITH_GPS = (b"\xff\xd8" + b"\xff\xe1\x00\x10Exif\x00\x00GPS-here"  # APP1 (Exif): dropped
                 + b"\xff\xda\x00\x02" + b"image-data" + b"\xff\xd9")


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def store(database: Database, tmp_path: Path) -> DbEvidenceStore:
    return DbEvidenceStore(database, tmp_path / "cache")


def _file(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


def test_a_form_stored_at_one_desk_opens_at_another_with_the_same_bytes(db_url: str, tmp_path: Path) -> None:
    form = _file(tmp_path / "signed form.pdf", PDF)
    first, second = open_database(db_url), open_database(db_url)
    try:
        stored = DbEvidenceStore(first, tmp_path / "desk1").store(form)
        again = DbEvidenceStore(first, tmp_path / "desk1").store(form)  # the same form twice: one row
        opened = Path(DbEvidenceStore(second, tmp_path / "desk2").locate(stored.stored_name))
        with first.engine.connect() as conn:
            rows = conn.execute(text("SELECT COUNT(*) FROM evidence_content")).scalar()
    finally:
        first.dispose()
        second.dispose()
    assert again == stored and rows == 1
    assert stored.stored_name == hashlib.sha256(PDF).hexdigest() + ".pdf"
    assert opened.parent == tmp_path / "desk2" and opened.read_bytes() == PDF


def test_an_image_loses_its_metadata_before_it_reaches_the_database(store: DbEvidenceStore, tmp_path: Path) -> None:
    stored = store.store(_file(tmp_path / "form.jpg", JPEG_WITH_GPS))
    kept = store.content(stored.stored_name)
    assert stored.metadata_stripped and b"GPS-here" not in kept and b"image-data" in kept


def test_bytes_changed_in_the_database_are_refused_on_read(
    database: Database, store: DbEvidenceStore, tmp_path: Path
) -> None:
    stored = store.store(_file(tmp_path / "form.pdf", PDF))
    store.locate(stored.stored_name)  # a good copy in the cache first
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE evidence_content SET content = :data"), {"data": PDF.replace(b"signed", b"forged")})
    with pytest.raises(ValidationError, match="no longer matches its SHA-256"):
        store.locate(stored.stored_name)
    with pytest.raises(ValidationError, match="is missing from the database"):
        store.locate("0" * 64 + ".pdf")
