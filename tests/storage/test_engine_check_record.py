"""The desk's note of the engine it last checked each database with: one entry per database, no address in
the file, an unreadable file read as no note (the queue is then checked again, which is harmless)."""

from __future__ import annotations

from pathlib import Path

from medshare_desktop.storage.engine_check_record import FileEngineCheckRecord


def test_each_database_has_its_own_note_and_no_address_is_written(tmp_path: Path) -> None:
    path = tmp_path / "models" / "engine_checked.json"
    server = FileEngineCheckRecord(path, "postgresql+psycopg://team@db.example.org/medshare")
    local = FileEngineCheckRecord(path, "sqlite:////home/ana/medshare.db")
    assert server.read() is None
    server.write("engine-a", "2026-12-07T10:00:00.000000+00:00")
    local.write("engine-b", "2026-12-07T11:00:00.000000+00:00")
    assert server.read() == ("engine-a", "2026-12-07T10:00:00.000000+00:00")
    assert local.read() == ("engine-b", "2026-12-07T11:00:00.000000+00:00")
    written = path.read_text("utf-8")
    assert "example.org" not in written and "ana" not in written


def test_an_unreadable_note_counts_as_none(tmp_path: Path) -> None:
    path = tmp_path / "engine_checked.json"
    path.write_text("{not json", encoding="utf-8")
    record = FileEngineCheckRecord(path, "sqlite:///x.db")
    assert record.read() is None
    record.write("engine-a", "2026-12-07T10:00:00+00:00")  # and it is replaced whole
    assert record.read() == ("engine-a", "2026-12-07T10:00:00+00:00")
