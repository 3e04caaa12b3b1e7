"""The audit trail's hash chain finds deleted and edited events even when the triggers were dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshare_desktop.bootstrap import build_services
from medshare_desktop.cli import parse_args, run
from medshare_desktop.core.models import Person


def _trail(db_url: str, people: int = 5) -> None:
    services = build_services(db_url, actor="ann")
    try:
        for i in range(people):
            services.people.add_person(Person(None, f"Dr. Number {i}"))
        assert services.audit.verify() == []
    finally:
        services.close()


def _tamper(db_url: str, *statements: str) -> None:
    services = build_services(db_url)
    try:
        with services.database.engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER audit_event_no_delete")
            conn.exec_driver_sql("DROP TRIGGER audit_event_no_update")
            for statement in statements:
                conn.exec_driver_sql(statement)
    finally:
        services.close()


def _problems(db_url: str) -> list[str]:
    services = build_services(db_url)
    try:
        return services.audit.verify()
    finally:
        services.close()


def test_a_deleted_event_in_the_middle_is_named(db_url: str) -> None:
    _trail(db_url)
    _tamper(db_url, "DELETE FROM audit_event WHERE id = 3")
    problems = _problems(db_url)
    assert any("3" in p and "missing" in p for p in problems), problems


def test_a_deleted_first_event_breaks_the_chain(db_url: str) -> None:
    _trail(db_url)
    _tamper(db_url, "DELETE FROM audit_event WHERE id = 1")
    assert any("Event 2" in p and "chain broken" in p for p in _problems(db_url))


def test_deleting_and_renumbering_is_still_found(db_url: str) -> None:
    _trail(db_url)
    _tamper(db_url, "DELETE FROM audit_event WHERE id = 2", "UPDATE audit_event SET id = id - 1 WHERE id > 2")
    assert any("chain broken" in p for p in _problems(db_url))


def test_an_edited_event_is_named(db_url: str) -> None:
    _trail(db_url)
    _tamper(db_url, "UPDATE audit_event SET actor = 'mallory' WHERE id = 4")
    assert any("Event 4" in p and "edited" in p for p in _problems(db_url))


def test_audit_verify_exits_2_naming_the_deleted_event(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_url = f"sqlite:///{tmp_path}/medshare.db"
    _trail(db_url)
    assert run(parse_args(["--db", db_url, "audit", "verify"])) == 0
    assert "intact" in capsys.readouterr().out
    _tamper(db_url, "DELETE FROM audit_event WHERE id = 3")
    assert run(parse_args(["--db", db_url, "audit", "verify"])) == 2
    err = capsys.readouterr().err
    assert "Events 3–3 are missing" in err or "Event 3" in err, err
