"""ImportService with the real importers: cancel and bad records store nothing."""

from __future__ import annotations

import json

import pytest

from medshare_desktop.core.errors import ImportFormatError, MedshareError
from medshare_desktop.core.ports import PostFilter


def _json_file(tmp_path, n: int):
    path = tmp_path / "posts.json"
    records = [{"text": f"Post {i} about our clinic", "posted_at": "2026-10-01T09:00:00Z", "platform": "linkedin",
                "author": "Dr. A", "external_id": str(i)} for i in range(n)]
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_cancelling_during_reading_stores_nothing(services, tmp_path) -> None:
    path = _json_file(tmp_path, 5000)
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append(done)

    with pytest.raises(MedshareError, match="cancelled"):
        services.imports.import_source(str(path), "auto", progress, cancelled=lambda: len(calls) >= 2)
    assert services.posts.count(PostFilter()) == 0
    assert services.audit.verify() == []


def test_a_bad_record_late_in_the_file_stores_nothing_and_names_the_record(services, tmp_path) -> None:
    path = tmp_path / "posts.json"
    records = [{"text": f"Post {i}", "posted_at": "2026-10-01"} for i in range(50)]
    records.append({"text": "bad date", "posted_at": "next tuesday"})
    path.write_text(json.dumps(records), encoding="utf-8")
    with pytest.raises(ImportFormatError) as error:
        services.imports.import_source(str(path))
    assert "posts.json" in str(error.value) and "51" in str(error.value)
    assert services.posts.count(PostFilter()) == 0


def test_pasted_text_lands_once_with_the_platform_from_its_link(services) -> None:
    report = services.imports.import_pasted("Great week at the clinic!", "https://www.linkedin.com/posts/dr-a-123")
    again = services.imports.import_pasted("Great week at the clinic!", "https://www.linkedin.com/posts/dr-a-123")
    assert (report.new, again.new) == (1, 0)
    [row] = services.posts.query(PostFilter())
    assert row.platform.value == "linkedin"
