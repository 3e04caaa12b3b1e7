"""`medshare plan --month YYYY-MM [--json] [--apply]` as users' scripts run it (a subprocess on a real file)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope
from tests.cli.test_cli import medshare
from tests.core.test_schedule_service_calendar import make_world

PEOPLE = (("Dr. Priya Patel", None), ("Dr. Omar Haddad", 1), ("Nurse Lena Ortiz", None))


def _next_month() -> date:
    today = date.today()
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


def _database(tmp_path: Path) -> Path:
    from medshare_desktop.bootstrap import build_services

    db = tmp_path / "t.db"
    services = build_services(f"sqlite:///{db}", actor="tester")
    try:
        world = make_world(services, PEOPLE, posts=3, consent=False)
        for person in services.people.list_people():
            if person.name != "Nurse Lena Ortiz":  # Lena has no consent on file: never drafted
                services.consent.add_record(ConsentRecord(
                    None, person.id, frozenset(ConsentScope), frozenset(Channel), date.today() - timedelta(days=30)
                ))
        assert len(world) == 3
    finally:
        services.close()
    return db


def _month_entries(db: Path, month: date) -> list[object]:
    from medshare_desktop.bootstrap import build_services

    services = build_services(f"sqlite:///{db}", actor="tester")
    try:
        return [(e.share.post_id, e.share.day, e.person_name) for e in services.schedule.month(month.year,
                                                                                                month.month).entries]
    finally:
        services.close()


def test_plan_prints_the_draft_writes_nothing_and_apply_schedules_it(tmp_path: Path) -> None:
    db, month = _database(tmp_path), _next_month()
    draft = medshare("plan", "--month", f"{month:%Y-%m}", "--json", db=db)
    assert draft.returncode == 0, draft.stderr
    records = [json.loads(line) for line in draft.stdout.splitlines()]
    assert [r["person"] for r in records].count("Dr. Priya Patel") == 2  # the team's limit of 2
    assert [r["person"] for r in records].count("Dr. Omar Haddad") == 1  # his own limit of 1
    assert "Nurse Lena Ortiz" not in {r["person"] for r in records}
    assert {"post_id", "person", "department", "day", "channel", "why"} <= set(records[0])
    assert all("best-suggested post (score" in r["why"] for r in records)  # ordered by the suggestion score
    assert _month_entries(db, month) == []  # nothing written without --apply

    lines = medshare("plan", "--month", f"{month:%Y-%m}", db=db)
    assert "3 re-share(s) drafted" in lines.stdout and "nothing written" in lines.stdout
    assert "Nurse Lena Ortiz has no valid consent" in lines.stderr

    applied = medshare("plan", "--month", f"{month:%Y-%m}", "--apply", "--json", db=db)
    assert applied.returncode == 0, applied.stderr
    done = [json.loads(line) for line in applied.stdout.splitlines()]
    assert {r["status"] for r in done} == {"scheduled"} and all(r["share_id"] for r in done)
    assert sorted((p, d.isoformat()) for p, d, _n in _month_entries(db, month)) == sorted(
        (r["post_id"], r["day"]) for r in done
    )
    audit = medshare("audit", "verify", db=db)
    assert audit.returncode == 0, audit.stderr
    again = medshare("plan", "--month", f"{month:%Y-%m}", "--json", db=db)
    assert again.stdout == ""  # the month is full under the rules: nothing more to draft


def test_a_past_or_malformed_month_is_one_line_and_exit_2(tmp_path: Path) -> None:
    db = _database(tmp_path)
    for month in ("2020-01", "2026-13", "next"):
        result = medshare("plan", "--month", month, db=db)
        assert result.returncode == 2 and result.stderr.count("\n") == 1, (month, result.stderr)
    assert "is over" in medshare("plan", "--month", "2020-01", db=db).stderr
