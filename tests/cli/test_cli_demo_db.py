"""`--demo --db URL` fills that database with the demo data (it must be empty), instead of ignoring --db."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.ports import PostFilter
from tests.cli.test_cli import medshare


def _people_and_posts(url: str) -> tuple[int, int]:
    services = build_services(url, actor="checker")
    try:
        return len(services.people.list_people()), services.posts.count(PostFilter())
    finally:
        services.close()


@pytest.mark.postgresql
def test_demo_fills_the_empty_server_database_given_with_db_and_refuses_it_once_filled(pg_server,
                                                                                     tmp_path: Path) -> None:
    url = pg_server.url_for(pg_server.new_database(migrated=False))
    result = medshare("--demo", "--db", url, "audit", "verify")
    assert result.returncode == 0, result.stderr
    people, posts = _people_and_posts(url)
    assert people > 5 and posts == 320
    again = medshare("--demo", "--db", url, "audit", "verify")
    assert again.returncode == 2
    assert again.stderr.splitlines()[-1].startswith(f"medshare: error: The database {url.split('@')[-1]} already "
                                                    f"holds {people} people and 320 posts; --demo fills only an "
                                                    "empty database.")
    assert _people_and_posts(url) == (people, posts)


def test_demo_with_a_new_file_fills_and_keeps_it(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    result = medshare("--demo", "--db", str(db), "audit", "verify")
    assert result.returncode == 0, result.stderr
    assert db.is_file() and _people_and_posts(f"sqlite:///{db}")[1] == 320
