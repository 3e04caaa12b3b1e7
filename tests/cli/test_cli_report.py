"""`medshare report`: the fairness and insight PDF and CSV, run as a real subprocess; bad input is one line, exit 2."""

from __future__ import annotations

import csv
import shutil
import subprocess
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from tests.cli.test_cli import medshare
from tests.core.test_insight_report import PEOPLE
from tests.core.test_schedule_service_calendar import make_world


@pytest.fixture
def team_db(tmp_path: Path) -> Path:
    """Three people; Ada re-shared in October and November, Ben in November, one post rejected."""
    from medshare_desktop.bootstrap import build_services

    path = tmp_path / "team.db"
    services = build_services(f"sqlite:///{path}", actor="tester")
    try:
        world = make_world(services, PEOPLE, posts=3)
        services.schedule.schedule(world["Dr. Ada Quinn"][0], date(2026, 10, 6), allow_past=True)
        services.schedule.schedule(world["Dr. Ada Quinn"][1], date(2026, 11, 3), allow_past=True)
        services.schedule.schedule(world["Dr. Ben Ortiz"][0], date(2026, 11, 17), allow_past=True)
        services.posts.reject(services.posts.get(world["Dr. Cleo Marsh"][2]), "Names the patient in room 12.")
    finally:
        services.close()
    return path


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_report_writes_every_chart_to_one_pdf_and_the_numbers_to_csv(team_db: Path, tmp_path: Path) -> None:
    pdf, numbers = tmp_path / "insights.pdf", tmp_path / "insights.csv"
    result = medshare("report", "--month", "2026-11", "--pdf", str(pdf), "--csv", str(numbers), db=team_db)
    assert result.returncode == 0, result.stderr
    assert "2 of 3 active staff re-shared in Q4 2026" in result.stdout
    text = unicodedata.normalize(
        "NFKC", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    )
    for heading in ("Fairness and insight — November 2026", "Active staff re-shared this quarter",
                    "Re-shares per department", "Re-shares per person", "Findings by category per month",
                    "Reasons for rejection", "Patient privacy", "Dr. Cleo Marsh"):
        assert heading in text
    assert "room 12" not in text
    rows = list(csv.reader(numbers.open(encoding="utf-8")))
    assert ["re-shares per person", "Dr. Ada Quinn", "2026-10", "1"] in rows
    assert ["reasons for rejection", "Patient privacy", "2026-10", "1"] in rows
    assert not any("room 12" in cell for row in rows for cell in row)


def test_report_refuses_bad_input_in_one_line(team_db: Path, tmp_path: Path) -> None:
    for args in (("--month", "2026-13", "--pdf", str(tmp_path / "x.pdf")),
                 ("--month", "2026-11", "--pdf", str(tmp_path / "missing" / "x.pdf")),
                 ("--month", "2026-11", "--pdf", str(tmp_path / "x.pdf"), "--csv", str(tmp_path / "no" / "x.csv")),
                 ("--month", "2026-11")):
        result = medshare("report", *args, db=team_db)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1, result.stderr
    assert not (tmp_path / "x.pdf").exists()
