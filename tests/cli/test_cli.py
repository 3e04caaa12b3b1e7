"""The command-line contract, run as a real subprocess like users' scripts run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def medshare(*args: str, stdin: str | None = None, db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if db is not None:
        env["MEDSHARE_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "medshare_desktop", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120,
    )


def test_bad_arguments_exit_2_with_one_line_naming_the_problem() -> None:
    result = medshare("calendar", "--month", "2026-13", "--ics", "x.ics")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "2026-13" in result.stderr
    result = medshare("frobnicate")
    assert result.returncode == 2 and "frobnicate" in result.stderr


def test_scan_json_prints_one_object_per_finding_with_the_contract_fields(tmp_path: Path) -> None:
    text = "Call the family at 617-555-0142 or email jane.doe@example.com about room 412."
    result = medshare("scan", "--json", "-", stdin=text)
    assert result.returncode == 1, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records, "expected findings"
    for record in records:
        assert set(record) == {"file", "start", "end", "text", "category", "kind", "severity", "rule", "message"}
        assert text[record["start"]:record["end"]] == record["text"]
        assert record["file"] == "-"
    kinds = {r["kind"] for r in records}
    assert {"phone", "email"} <= kinds


def test_scan_of_a_clean_text_exits_0_and_a_missing_file_exits_2(tmp_path: Path) -> None:
    clean = tmp_path / "clean.txt"
    clean.write_text("Get your flu shot this fall. #publichealth\n", encoding="utf-8")
    assert medshare("scan", str(clean)).returncode == 0
    missing = medshare("scan", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "nope.txt" in missing.stderr


def test_import_then_reimport_is_idempotent_and_reports_counts(tmp_path: Path) -> None:
    csv_file = tmp_path / "posts.csv"
    csv_file.write_text(
        "text,posted_at,platform,author,external_id\n"
        "Proud of our stroke team,2026-10-01,linkedin,Dr. A,1\n"
        "Flu shots are here,2026-10-02T09:00:00Z,linkedin,Dr. A,2\n",
        encoding="utf-8",
    )
    db = tmp_path / "cli.db"
    first = medshare("import", str(csv_file), db=db)
    assert first.returncode == 0, first.stderr
    assert "2 new, 0 already present, 0 skipped" in first.stdout
    second = medshare("import", str(csv_file), "--format", "csv", db=db)
    assert "0 new, 2 already present" in second.stdout


def test_import_of_a_broken_file_exits_2_naming_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"text": "ok", "posted_at": "2026-10-01"},\n {"text": ', encoding="utf-8")
    result = medshare("import", str(bad), db=tmp_path / "cli.db")
    assert result.returncode == 2
    assert "bad.json" in result.stderr and "line" in result.stderr


def test_calendar_ics_export_of_the_demo_month_parses_back(tmp_path: Path) -> None:
    from datetime import date

    from icalendar import Calendar

    month = date.today().strftime("%Y-%m")  # the demo data is laid out around today
    out = tmp_path / "month.ics"
    result = medshare("--demo", "calendar", "--month", month, "--ics", str(out))
    assert result.returncode == 0, result.stderr
    calendar = Calendar.from_ical(out.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert f"{len(events)} re-share(s)" in result.stdout
    for event in events:
        assert str(event["summary"]).startswith("Re-share: ")
        assert event["dtstart"].dt.strftime("%Y-%m") == month


def test_audit_verify_reports_an_intact_trail(tmp_path: Path) -> None:
    result = medshare("--demo", "audit", "verify")
    assert result.returncode == 0 and "intact" in result.stdout
