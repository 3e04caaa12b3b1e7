from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import Platform
from medshare_desktop.importers import read_posts


def _check(result_posts: tuple, skipped: tuple) -> None:
    certification, article, holidays = result_posts
    assert certification.platform is Platform.LINKEDIN
    assert certification.text == (
        "Thrilled to share that our stroke unit earned national certification.\n\n"
        'Thank you to every nurse, therapist and physician who made it happen. "Teamwork" is not a slogan here.'
    )
    assert certification.posted_at == datetime(2024, 3, 5, 14, 22, 10, tzinfo=UTC)
    assert certification.external_id == "urn:li:share:7170000000000000001"
    assert certification.author == "Jane Rivera"  # from Profile.csv
    assert article.external_id == "urn:li:activity:7165000000000000002"
    assert article.text.endswith("\n\nhttps://hospital.example.org/blog/readmissions")  # SharedUrl kept
    assert holidays.external_id == "urn:li:ugcPost:7140000000000000004"
    assert holidays.media == ("https://media.licdn.com/dms/image/holiday.jpg",)
    assert holidays.url.startswith("https://www.linkedin.com/feed/update/")
    assert len(skipped) == 1 and "line 6: no text" in skipped[0]  # "Shares.csv line 6" in a zip


def test_shares_csv(data: Path) -> None:
    result = read_posts(data / "linkedin" / "Shares.csv")
    _check(result.posts, result.skipped)


def test_folder_and_zip(data: Path, linkedin_zip: Path) -> None:
    by_folder = read_posts(data / "linkedin")
    by_zip = read_posts(linkedin_zip)
    assert by_folder.posts == by_zip.posts
    _check(by_zip.posts, by_zip.skipped)


def test_without_profile(tmp_path: Path, data: Path) -> None:
    shutil.copy(data / "linkedin" / "Shares.csv", tmp_path / "Shares.csv")
    assert {p.author for p in read_posts(tmp_path / "Shares.csv").posts} == {""}


def test_missing_commentary_column(tmp_path: Path) -> None:
    path = tmp_path / "Shares.csv"
    path.write_text("Date,ShareLink\n2024-01-01 10:00:00,https://www.linkedin.com/feed/update/x\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"Shares.csv, line 1: missing required column 'ShareCommentary'"):
        read_posts(path)


def test_bad_date_names_line(tmp_path: Path) -> None:
    path = tmp_path / "Shares.csv"
    path.write_text('Date,ShareLink,ShareCommentary\n"5 March",,"hello"\n', encoding="utf-8")
    with pytest.raises(ImportFormatError, match=r"Shares.csv, line 2: Date '5 March'"):
        read_posts(path, "linkedin")
