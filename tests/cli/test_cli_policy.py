"""`medshare policy --pdf` and `medshare note`: read back with pdftotext, as a physician would read the paper."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from medshare_desktop.core.rules.cadence import CadencePolicy
from tests.cli.test_cli import medshare
from tests.core.test_policy_service import PATIENT_TEXT, REJECT_REASON, TODAY, make_month

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", out).split())  # NFKC: the "fi" ligature as two letters


def _services(db: Path):  # type: ignore[no-untyped-def]
    from medshare_desktop.bootstrap import build_services

    return build_services(str(db), actor="tester", today=lambda: TODAY)


def test_the_policy_sheet_says_the_new_value_after_a_setting_changes(tmp_path: Path) -> None:
    db, pdf = tmp_path / "team.db", tmp_path / "policy.pdf"
    _services(db).close()
    result = medshare("policy", "--pdf", str(pdf), "--paper", "a4", db=db)
    assert result.returncode == 0, result.stderr
    text = pdf_text(pdf)
    assert "at most 2 times a month" in text and "no cap on re-shares per day" in text
    assert "Questions: the communications team." in text
    for label in ("Patient identifiers (PHI)", "Patient story", "Discoverable statement", "Unprofessional content",
                  "Medical advice", "Consent"):
        assert label in text
    assert "To withdraw consent" in text and "page 1 of" in text

    services = _services(db)
    try:
        services.settings.set_cadence_policy(CadencePolicy(monthly_limit=5, per_day_channel_cap=2, min_days_between=4))
    finally:
        services.close()
    result = medshare("policy", "--pdf", str(pdf), "--paper", "letter", "--contact", "Maya Chen, ext. 4417", db=db)
    assert result.returncode == 0, result.stderr
    text = pdf_text(pdf)
    assert "at most 5 times a month" in text and "2 times a month" not in text
    assert "At most 2 re-share(s) a day" in text and "At least 4 days lie between" in text
    assert "Questions: Maya Chen, ext. 4417." in text
    size = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in size


def test_the_note_gives_reasons_in_general_words_and_never_the_patient_or_the_post(tmp_path: Path) -> None:
    db, pdf = tmp_path / "team.db", tmp_path / "note.pdf"
    services = _services(db)
    try:
        make_month(services)
    finally:
        services.close()
    result = medshare("note", "--person", "Ines Marlowe", "--month", "2026-11", "--pdf", str(pdf), "--text", db=db)
    assert result.returncode == 0, result.stderr
    assert "1 re-shared, 1 scheduled, 3 could not be, 1 waiting" in result.stdout
    for text in (pdf_text(pdf), " ".join(result.stdout.split())):
        assert "monthly limit reached (2 a month)" in text
        assert "consent for photos missing" in text
        assert "refused at review: Patient identifiers (PHI), Patient story" in text
        for quoted in ("Eleanor", "Whitcombe", "bypass", "4 West", "hugged", PATIENT_TEXT[:20], REJECT_REASON,
                       "garden", "stroke", "cath lab", "linkedin.com"):
            assert quoted not in text, quoted


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "team.db"
    _services(db).close()
    for args in (
        ("note", "--person", "Nobody Known", "--month", "2026-11", "--text"),
        ("note", "--person", "Nobody Known", "--month", "2026-13", "--text"),
        ("note", "--person", "Nobody Known", "--month", "2026-11"),
        ("policy", "--pdf", str(tmp_path / "missing" / "folder" / "x.pdf")),
        ("policy",),
    ):
        result = medshare(*args, db=db)
        assert result.returncode == 2, args
        assert result.stderr.count("\n") == 1, result.stderr
