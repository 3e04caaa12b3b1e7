"""Rules that span desks hold when desks write at the same moment, on both engines (issue 17): real parallel
processes (tests/reliability/team_races.py), released together at a barrier, each with its own engine.

- the monthly limit: never more re-shares than the limit, whatever the desks schedule or move at once;
- one consent record edited at four desks: exactly one new current version, the others get
  ConcurrentEditError naming the desk that won ("changed by desk-N at TIME — reload");
- one post edited at four desks: one edit saved, the others the same error (not a raw StaleDataError);
- four desks appending audit events at once: `audit verify` finds the trail intact, no desk failed;
- three desks starting together on an empty PostgreSQL database: all three open it.

A few rounds here; `python tests/benchmarks/bench_team_races.py` runs 50 per race and engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.team_races import RACES, run_races, start_together

ROUNDS = 5
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(params=ENGINES)
def team_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/team.db"
        return
    server = request.getfixturevalue("pg_server")
    name = server.new_database()
    try:
        yield server.url_for(name)
    finally:
        server.drop(name)


def test_desks_racing_each_other_never_break_a_rule_that_spans_desks(team_url: str) -> None:
    tallies = run_races(list(RACES), team_url, "", ROUNDS)
    assert {race: t.rounds for race, t in tallies.items()} == dict.fromkeys(RACES, ROUNDS)
    assert {race: t.broken for race, t in tallies.items()} == dict.fromkeys(RACES, 0), [t.notes for t in tallies.values()]


@pytest.mark.postgresql
def test_three_desks_starting_together_on_an_empty_server_all_open_it(pg_server) -> None:
    from sqlalchemy import create_engine, text

    for _ in range(2):
        name = pg_server.new_database(migrated=False)
        said = start_together(pg_server.url_for(name), 3)
        assert [outcome for _, outcome, _ in said] == ["opened"] * 3, said
        engine = create_engine(pg_server.url_for(name))
        try:
            with engine.connect() as conn:
                assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        finally:
            engine.dispose()
        pg_server.drop(name)
