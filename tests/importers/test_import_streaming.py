"""Imports are stored while they are read (memory stays flat) and still land whole or not at all."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.services.post_service import IMPORT_BATCH
from medshare_desktop.importers import ImportCancelled


def _archive(path: Path, n: int, last: dict | None = None) -> Path:
    records = [{"text": f"Post {i} about our clinic", "posted_at": "2026-10-01T09:00:00Z", "platform": "linkedin",
                "author": "Dr. A", "external_id": str(i)} for i in range(n)]
    if last is not None:
        records.append(last)
    path.write_text(json.dumps({"posts": records}), encoding="utf-8")
    return path


def _posts_in_memory() -> int:
    from medshare_desktop.core.models import ImportedPost

    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, ImportedPost))


def test_an_import_holds_one_batch_of_posts_at_a_time_and_a_late_cancel_stores_nothing(services, tmp_path) -> None:
    n = 4 * IMPORT_BATCH
    path = _archive(tmp_path / "posts.json", n)
    polls, held = [], []

    def cancelled() -> bool:
        polls.append(1)
        if len(polls) * 256 >= n - 300:  # polled every 256 records: near the end of the file
            held.append(_posts_in_memory())
            return True
        return False

    with pytest.raises(ImportCancelled):
        services.imports.import_source(str(path), "auto", cancelled=cancelled)
    assert held and held[0] <= IMPORT_BATCH  # the earlier batches went to the database (before: all 7,700 held)
    assert services.posts.count(PostFilter()) == 0  # ... and were rolled back
    assert services.audit.verify() == []
    assert services.imports.import_source(str(path)).new == n  # the database is fine afterwards


def test_a_bad_record_after_several_stored_batches_stores_nothing_and_names_it(services, tmp_path) -> None:
    n = 2 * IMPORT_BATCH + 10
    path = _archive(tmp_path / "posts.json", n, last={"text": "bad date", "posted_at": "next tuesday"})
    with pytest.raises(ImportFormatError) as error:
        services.imports.import_source(str(path))
    assert "posts.json" in str(error.value) and f"record {n + 1}" in str(error.value)
    assert services.posts.count(PostFilter()) == 0


def test_duplicates_across_batches_of_one_file_count_as_already_present(services, tmp_path) -> None:
    path = tmp_path / "posts.json"
    records = [{"text": f"Post {i % IMPORT_BATCH} about our clinic", "posted_at": "2026-10-01T09:00:00Z",
                "platform": "linkedin", "external_id": str(i % IMPORT_BATCH)} for i in range(IMPORT_BATCH + 500)]
    records.append({"text": "", "posted_at": "2026-10-01"})
    path.write_text(json.dumps(records), encoding="utf-8")
    report = services.imports.import_source(str(path))
    assert (report.new, report.already_present, len(report.skipped)) == (IMPORT_BATCH, 500, 1)
