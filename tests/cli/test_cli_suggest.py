"""`medshare suggest`: the posts most worth re-sharing, best first, as lines or JSON lines."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from medshare_desktop.core.models import ImportedPost, Person, Platform, SourceAccount
from tests.cli.test_cli import medshare

GOOD = "Our new sleep clinic opens next week. Ask your family doctor about a referral. https://example.org/sleep"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    from medshare_desktop.bootstrap import build_services

    path = tmp_path / "medshare.db"
    services = build_services(f"sqlite:///{path}", actor="tester", backup_folder=tmp_path / "b")
    try:
        person = services.people.add_person(Person(None, "Dr. Ida Quietvoice", department="Neurology"))
        services.people.add_account(SourceAccount(None, person.id, Platform.X, "idaq"))
        now = datetime.now(UTC)
        posts = [
            ImportedPost(Platform.X, GOOD, now - timedelta(days=2), author="Ida", handle="@idaq", external_id="1",
                         likes=40, reposts=6),
            ImportedPost(Platform.X, "ok #a #b #c #d #e #f #g #h", now - timedelta(days=200), author="Ida",
                         handle="@idaq", external_id="2"),
        ]
        services.posts.store_imported(posts, [], "test")
    finally:
        services.close()
    return path


def test_suggest_json_prints_one_object_per_post_best_first(db: Path) -> None:
    result = medshare("suggest", "--json", db=db)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(r) for r in records] == [{"post_id", "person", "score", "reasons"}] * 2
    assert records[0]["score"] > records[1]["score"]
    assert records[0]["person"] == "Dr. Ida Quietvoice"
    assert "Dr. Ida Quietvoice has never been re-shared" in records[0]["reasons"]
    assert any(r.startswith("A wall of hashtags") for r in records[1]["reasons"])


def test_suggest_lines_and_limit(db: Path) -> None:
    result = medshare("suggest", "--limit", "1", db=db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and "Dr. Ida Quietvoice" in lines[0] and "never been re-shared" in lines[0]


@pytest.mark.parametrize("bad", [["--limit", "0"], ["--limit", "ten"], ["--channel", "fax"]])
def test_suggest_bad_input_is_one_line_and_exit_2(db: Path, bad: list[str]) -> None:
    result = medshare("suggest", *bad, db=db)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and bad[1] in result.stderr
    assert result.stdout == ""
