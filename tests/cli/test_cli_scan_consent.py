"""`medshare scan` and consent: with a database (--db before or after `scan`, or MEDSHARE_DB) a person named
without consent is a finding, as in the app; without one the help says consent is not checked."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pytest

from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope, Person
from tests.cli.test_cli import medshare

TEXT = "Great shift today with Leila Haddad and Dr. Anika Patel in the stroke unit. #teamwork"
CONTRACT = {"file", "start", "end", "text", "category", "kind", "severity", "rule", "message"}


@pytest.fixture
def team_db(tmp_path: Path) -> Path:
    """Two colleagues: Dr. Anika Patel has consent to be named on public social, Leila Haddad has none."""
    from medshare_desktop.bootstrap import build_services

    db = tmp_path / "team.db"
    services = build_services(f"sqlite:///{db}", actor="tester")
    try:
        anika = services.people.add_person(Person(None, "Dr. Anika Patel"))
        services.people.add_person(Person(None, "Leila Haddad"))
        services.consent.add_record(ConsentRecord(
            None, anika.id, frozenset({ConsentScope.NAME}), frozenset({Channel.PUBLIC_SOCIAL}), date(2026, 1, 1)
        ))
    finally:
        services.close()
    return db


def _consent_findings(stdout: str) -> list[dict[str, object]]:
    records = [json.loads(line) for line in stdout.splitlines()]
    assert all(set(r) == CONTRACT for r in records)  # the --json contract is the same with a database
    return [r for r in records if r["category"] == "consent"]


def test_with_a_database_a_person_named_without_consent_is_reported(team_db: Path) -> None:
    digest = hashlib.sha256(team_db.read_bytes()).hexdigest()
    for args, env_db in (
        (("scan", "--json", "--db", str(team_db), "-"), None),  # --db after the subcommand
        (("--db", str(team_db), "scan", "--json", "-"), None),  # and before it
        (("scan", "--json", "-"), team_db),  # MEDSHARE_DB
    ):
        result = medshare(*args, stdin=TEXT, db=env_db)
        assert result.returncode == 1, result.stderr
        found = _consent_findings(result.stdout)
        assert [(r["text"], r["kind"]) for r in found] == [("Leila Haddad", "name_without_consent")]
    assert hashlib.sha256(team_db.read_bytes()).hexdigest() == digest  # a scan never writes to the database


def test_without_a_database_consent_is_not_checked_and_the_help_says_so(team_db: Path) -> None:
    result = medshare("scan", "--json", "-", stdin=TEXT)
    assert _consent_findings(result.stdout) == []
    help_text = " ".join(medshare("scan", "--help").stdout.split())
    assert "without one, consent is NOT checked" in help_text
    assert "--db PATH_OR_URL" in help_text


def test_a_database_that_is_not_there_is_refused_and_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = medshare("scan", "--db", str(missing), "-", stdin=TEXT)
    assert result.returncode == 2 and str(missing) in result.stderr and result.stderr.count("\n") == 1
    assert not missing.exists()
