"""Rules that span desks hold when several processes write at the same moment: the monthly limit, and one
current version of a consent record.

Two desks (or the app and a script) on one SQLite file, or on one PostgreSQL database, each check the cadence
rule and insert in their own process. If the check and the insert were not one serialised transaction, both
could see "1 of 2" and both insert. Each round starts four real processes (`python -c`, as two CLI runs would
be) that wait on a shared start signal, then each schedules a different approved post of the same physician,
who already has one re-share that month (limit 2). tests/reliability/test_team_races.py runs more races with
long-lived desk processes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.core.test_schedule_service_calendar import BEFORE_DECEMBER, make_world

DOCTOR = "Dr. Priya Patel"
ROUNDS = 3
DESKS = 4
ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.fixture(params=ENGINES)
def new_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """A function giving the URL of a new, empty-of-data database for each round, on the engine under test."""
    if request.param == "sqlite":
        yield lambda name: f"sqlite:///{tmp_path}/{name}.db"
        return
    server = request.getfixturevalue("pg_server")
    made: list[str] = []

    def make(_name: str) -> str:
        made.append(server.new_database())
        return str(server.url_for(made[-1]))

    yield make
    for name in made:
        server.drop(name)

DESK = r"""
import sys, time
from datetime import date
from pathlib import Path
from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.errors import CadenceError

url, post_id, day, go = sys.argv[1], int(sys.argv[2]), date.fromisoformat(sys.argv[3]), Path(sys.argv[4])
services = build_services(url, actor=f"desk-{post_id}", today=lambda: date(2026, 11, 1))
while not go.exists():
    time.sleep(0.001)
try:
    services.schedule.schedule(post_id, day)
    print("scheduled")
except CadenceError as exc:
    print("refused:", exc)
finally:
    services.close()
"""


def test_four_desks_scheduling_at_once_never_exceed_the_monthly_limit(
    tmp_path: Path, new_database: Callable[[str], str]
) -> None:
    from medshare_desktop.bootstrap import build_services

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for round_ in range(ROUNDS):
        url = new_database(f"round{round_}")
        services = build_services(url, actor="setup", today=lambda: BEFORE_DECEMBER)
        try:
            posts = make_world(services, posts=DESKS + 1)[DOCTOR]
            services.schedule.schedule(posts[0], date(2026, 12, 1))  # 1 of 2 used
        finally:
            services.close()
        go = tmp_path / f"go{round_}"
        desks = [
            subprocess.Popen(
                [sys.executable, "-c", DESK, url, str(post_id), f"2026-12-{10 + n:02d}", str(go)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            )
            for n, post_id in enumerate(posts[1:])
        ]
        time.sleep(1.5)  # every desk has opened the database and waits for the signal
        go.touch()
        outputs = [desk.communicate(timeout=120) for desk in desks]
        assert all(desk.returncode == 0 for desk in desks), [err for _, err in outputs]
        said = [out.strip() for out, _ in outputs]
        assert sum(line == "scheduled" for line in said) == 1, said  # exactly the one free place was taken
        assert sum(line.startswith("refused:") for line in said) == DESKS - 1, said

        services = build_services(url, actor="check", today=lambda: BEFORE_DECEMBER)
        try:
            december = services.schedule.month(2026, 12).entries
        finally:
            services.close()
        assert len(december) == 2, f"round {round_}: {len(december)} re-shares for a limit of 2"


EDITOR = r"""
import sys, time
from dataclasses import replace
from datetime import date
from pathlib import Path
from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.errors import ConcurrentEditError

url, record_id, note, go = sys.argv[1], int(sys.argv[2]), sys.argv[3], Path(sys.argv[4])
services = build_services(url, actor=note, today=lambda: date(2026, 11, 1))
record = services.consent.records(int(sys.argv[5]))[0]
while not go.exists():
    time.sleep(0.001)
try:
    services.consent.edit_record(record_id, replace(record, id=None, notes=note))
    print("saved")
except ConcurrentEditError as exc:
    print("refused:", exc)
finally:
    services.close()
"""


def test_four_desks_editing_one_consent_record_at_once_leave_one_current_version(
    tmp_path: Path, new_database: Callable[[str], str]
) -> None:
    from medshare_desktop.bootstrap import build_services

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for round_ in range(ROUNDS):
        url = new_database(f"consent{round_}")
        services = build_services(url, actor="setup", today=lambda: BEFORE_DECEMBER)
        try:
            make_world(services, posts=1)
            person = services.people.find_by_name(DOCTOR)
            (record,) = services.consent.records(person.id)
        finally:
            services.close()
        go = tmp_path / f"consent-go{round_}"
        desks = [
            subprocess.Popen(
                [sys.executable, "-c", EDITOR, url, str(record.id), f"desk {n}", str(go), str(person.id)],
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
            )
            for n in range(DESKS)
        ]
        time.sleep(1.5)
        go.touch()
        outputs = [desk.communicate(timeout=120) for desk in desks]
        assert all(desk.returncode == 0 for desk in desks), [err for _, err in outputs]
        said = [out.strip() for out, _ in outputs]
        assert sum(line == "saved" for line in said) == 1, said
        # the others are told who saved first, when, and to reload
        assert all(line.startswith("refused: This consent record was changed by desk ") and "— reload" in line
                   for line in said if line != "saved"), said

        services = build_services(url, actor="check", today=lambda: BEFORE_DECEMBER)
        try:
            current = services.consent.records(person.id)
            history = services.consent.history(person.id)
        finally:
            services.close()
        assert len(current) == 1, f"round {round_}: {len(current)} current versions of one consent record"
        assert len(history) == 2  # the first version and the one edit that won
