"""Races between desks as real processes, shared by tests/reliability/test_team_races.py and
tests/benchmarks/bench_team_races.py.

`Desks(url, n)` starts n processes (multiprocessing, spawn: each its own interpreter and engine), each with
its own services on the database; a round hands every desk a task, releases them together at a barrier
and collects what each one saw. The parent prepares each round and judges it ("broken" = a rule that spans
desks did not hold): one function per race below.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

TODAY = date(2026, 11, 1)  # the desks' "today": December 2026 lies ahead
DECEMBER = (2026, 12)


# --- inside a desk process ------------------------------------------------------------------------
def _desk(number: int, url: str, tasks: Any, results: Any, barrier: Any) -> None:
    from medshare_desktop.bootstrap import build_services

    services = build_services(url, actor=f"desk-{number}", today=lambda: TODAY)
    try:
        while (task := tasks.get()) is not None:
            kind, args = task
            ready = _prepare(services, kind, args)
            barrier.wait(timeout=120)
            results.put((number, _attempt(services, kind, args, ready)))
    finally:
        services.close()


def _prepare(services: Any, kind: str, args: tuple[Any, ...]) -> Any:
    """What a desk has on screen before it saves: read before the others save theirs."""
    if kind == "consent":
        person_id, record_id, _ = args
        return next(r for r in services.consent.records(person_id) if r.id == record_id)
    if kind == "post_edit":
        return services.posts.get(args[0])
    return None


def _attempt(services: Any, kind: str, args: tuple[Any, ...], ready: Any) -> tuple[str, str]:
    from medshare_desktop.core.errors import MedshareError

    try:
        if kind == "schedule":
            services.schedule.schedule(args[0], args[1])
        elif kind == "move":
            services.schedule.move(args[0], args[1])
        elif kind == "consent":
            services.consent.edit_record(args[1], replace(ready, id=None, notes=args[2]))
        elif kind == "post_edit":
            services.posts.repurpose(ready, args[1])
        elif kind == "resolve":
            from medshare_desktop.core.models import Resolution

            services.posts.resolve_finding(args[0], Resolution.ACCEPTED, "Said with the patient's consent.")
        elif kind == "reanalyse":
            services.posts.store_findings(args[0], _findings(services.posts.get(args[0]).text_for_share, args[1]))
        elif kind == "audit":
            from medshare_desktop.core.models import Person

            for i in range(args[1]):
                services.people.add_person(Person(None, f"Dr. {args[0]} {i}"))
        else:
            raise ValueError(kind)
    except MedshareError as error:
        return type(error).__name__, str(error)
    except Exception as error:  # noqa: BLE001 - a raw database error is what the races must never show
        return f"raw {type(error).__name__}", str(error)[:300]
    return "done", ""


def _findings(text: str, wording: str = "A word the race calls a name.") -> list[Any]:
    """Three findings on the first words of `text`, as a re-analysis of an unchanged post finds them (a new
    `wording` of their explanation, as after an update of the engine, rewrites every finding's row)."""
    from medshare_desktop.core.models import Finding, RiskCategory, Severity

    words, start, found = text.split()[:3], 0, []
    for word in words:
        start = text.index(word, start)
        found.append(Finding(start, start + len(word), word, RiskCategory.PHI, "name", Severity.HIGH,
                             f"race.{word}", wording))
        start += len(word)
    return found


# --- in the parent ---------------------------------------------------------------------------------
class Desks:
    """n desk processes on one database; `round(tasks)` runs one task per desk at the same moment."""

    def __init__(self, url: str, count: int) -> None:
        context = mp.get_context("spawn")
        self._barrier = context.Barrier(count)
        self._results = context.Queue()
        self._tasks = [context.Queue() for _ in range(count)]
        self._procs = [
            context.Process(target=_desk, args=(n, url, self._tasks[n], self._results, self._barrier), daemon=True)
            for n in range(count)
        ]
        for proc in self._procs:
            proc.start()

    def round(self, tasks: list[tuple[str, tuple[Any, ...]]]) -> list[tuple[str, str]]:
        for queue, task in zip(self._tasks, tasks, strict=True):
            queue.put(task)
        got: dict[int, tuple[str, str]] = {}
        deadline = time.monotonic() + 300
        while len(got) < len(tasks):
            if not all(p.is_alive() for p in self._procs):
                raise RuntimeError("a desk process died")
            try:
                number, outcome = self._results.get(timeout=max(1.0, deadline - time.monotonic()))
            except Exception as exc:  # queue.Empty
                raise RuntimeError("the desks did not answer within 5 minutes") from exc
            got[number] = outcome
        return [got[n] for n in range(len(tasks))]

    def close(self) -> None:
        for queue in self._tasks:
            queue.put(None)
        for proc in self._procs:
            proc.join(timeout=60)
            if proc.is_alive():
                proc.kill()

    def __enter__(self) -> Desks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Tally:
    race: str
    engine: str
    rounds: int = 0
    broken: int = 0
    notes: list[str] | None = None

    def add(self, problem: str) -> None:
        self.rounds += 1
        if problem:
            self.broken += 1
            self.notes = (self.notes or []) + [problem]


def _world(setup: Any, name: str, posts: int) -> tuple[int, list[int]]:
    from tests.core.test_schedule_service_calendar import make_world

    ids = make_world(setup, people=((name, None),), posts=posts)[name]
    return setup.people.find_by_name(name).id, ids


def cadence_round(setup: Any, desks: Desks, count: int, round_: int) -> str:
    """A physician with 1 of 2 re-shares in December; every desk schedules another post of theirs."""
    person_id, posts = _world(setup, f"Dr. Cadence {round_}", count + 1)
    setup.schedule.schedule(posts[0], date(*DECEMBER, 1))
    said = desks.round([("schedule", (post_id, date(*DECEMBER, 10 + n))) for n, post_id in enumerate(posts[1:])])
    entries = [e for e in setup.schedule.month(*DECEMBER).entries if e.person_id == person_id]
    return _one_place_taken(entries, said)


def _one_place_taken(entries: list[Any], said: list[tuple[str, str]]) -> str:
    """The one free place went to exactly one desk; the others were refused by the cadence rule."""
    done = [s for s in said if s[0] == "done"]
    if len(entries) != 2 or len(done) != 1 or any(s[0] != "CadenceError" for s in said if s[0] != "done"):
        return f"{len(entries)} re-shares for a limit of 2; {said}"
    return ""


def move_round(setup: Any, desks: Desks, count: int, round_: int) -> str:
    """A physician with 1 of 2 re-shares in December and one in each of the next months; every desk moves
    one of those into December at once."""
    person_id, posts = _world(setup, f"Dr. Mover {round_}", count + 1)
    setup.schedule.schedule(posts[0], date(*DECEMBER, 1))
    shares = [setup.schedule.schedule(post_id, date(2027, 1 + n, 5)).id for n, post_id in enumerate(posts[1:])]
    said = desks.round([("move", (share_id, date(*DECEMBER, 10 + n))) for n, share_id in enumerate(shares)])
    entries = [e for e in setup.schedule.month(*DECEMBER).entries if e.person_id == person_id]
    return _one_place_taken(entries, said)


def consent_round(setup: Any, desks: Desks, count: int, round_: int) -> str:
    """Every desk edits the same consent record at once: one current version, the others told to reload."""
    person_id, _ = _world(setup, f"Dr. Consent {round_}", 0)
    (record,) = setup.consent.records(person_id)
    said = desks.round([("consent", (person_id, record.id, f"desk {n}")) for n in range(count)])
    current = setup.consent.records(person_id)
    history = setup.consent.history(person_id)  # the first version and the one edit that won
    saved = [s for s in said if s[0] == "done"]
    losers = [s for s in said if s[0] != "done"]
    if len(current) != 1 or len(history) != 2 or len(saved) != 1 or not all(_told_who(s) for s in losers):
        return f"{len(current)} current, {len(history)} in the history, {len(saved)} saved; {said}"
    return ""


def _told_who(outcome: tuple[str, str]) -> bool:
    """The loser of a race got the app's ConcurrentEditError naming the desk that won and saying to reload."""
    kind, message = outcome
    return kind == "ConcurrentEditError" and "changed by desk-" in message and "— reload" in message


def post_edit_round(setup: Any, desks: Desks, count: int, round_: int) -> str:
    """Every desk saves its own edit of the same post, each read before any saved."""
    _, posts = _world(setup, f"Dr. Editor {round_}", 1)
    said = desks.round([("post_edit", (posts[0], f"Edited at desk {n}.")) for n in range(count)])
    saved = [s for s in said if s[0] == "done"]
    losers = [s for s in said if s[0] != "done"]
    if len(saved) != 1 or not all(_told_who(s) for s in losers):
        return f"{len(saved)} saved; {said}"
    return ""


def audit_round(setup: Any, desks: Desks, count: int, round_: int, events: int = 5) -> str:
    """Every desk appends `events` audited changes at once; the trail must verify."""
    said = desks.round([("audit", (f"Audit {round_}-{n}", events)) for n in range(count)])
    problems = setup.audit.verify()
    failed = [s for s in said if s[0] != "done"]
    if problems or failed:
        return f"verify: {problems[:3]}; desks: {failed}"
    return ""


def findings_round(setup: Any, desks: Desks, count: int, round_: int) -> str:
    """Half the desks each resolve one finding of a post while the others store a new check of the same
    post: every desk's write lands (a re-check keeps the ids of findings found again), none deadlocks."""
    _, posts = _world(setup, f"Dr. Findings {round_}", 1)
    stored = setup.posts.store_findings(posts[0], _findings(setup.posts.get(posts[0]).text_for_share))
    tasks = [("resolve", (stored[n % len(stored)].id,)) if n % 2 == 0 else ("reanalyse", (posts[0], f"Desk {n}."))
             for n in range(count)]
    said = desks.round(tasks)
    failed = [s for s in said if s[0] != "done"]
    after = setup.posts.findings(posts[0])
    resolved = sum(1 for f in after if f.resolution is not None)
    if failed or len(after) != len(stored) or resolved != len({t[1][0] for t in tasks if t[0] == "resolve"}):
        return f"{len(after)} findings, {resolved} resolved; failed: {failed}"
    return ""


RACES: dict[str, Callable[[Any, Desks, int, int], str]] = {
    "cadence": cadence_round,
    "move": move_round,
    "consent": consent_round,
    "post_edit": post_edit_round,
    "audit": audit_round,
    "findings": findings_round,
}


def run_races(races: list[str], url: str, engine: str, rounds: int, count: int = 4) -> dict[str, Tally]:
    """`rounds` rounds of each race, one after the other, with one set of `count` desk processes."""
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.core.models import Person

    tallies = {race: Tally(race, engine) for race in races}
    setup = build_services(url, actor="setup", today=lambda: TODAY)
    try:
        setup.people.add_person(Person(None, "Dr. Setup"))  # the trail's key exists before the desks start
        with Desks(url, count) as desks:
            for race in races:
                for round_ in range(rounds):
                    tallies[race].add(RACES[race](setup, desks, count, round_))
    finally:
        setup.close()
    return tallies


# --- desks starting together on an empty server ---------------------------------------------------
def _starting_desk(url: str, barrier: Any, results: Any, number: int) -> None:
    barrier.wait(timeout=120)
    try:
        from medshare_desktop.bootstrap import build_services

        services = build_services(url, actor=f"desk-{number}", today=lambda: TODAY)
        try:
            services.people.list_people()  # the schema is there and readable
        finally:
            services.close()
        results.put((number, "opened", ""))
    except Exception as error:  # noqa: BLE001 - reported to the parent
        results.put((number, type(error).__name__, str(error)[:300]))


def start_together(url: str, count: int = 3) -> list[tuple[int, str, str]]:
    """`count` desks open the same (empty) database at the same moment; what each one said."""
    context = mp.get_context("spawn")
    barrier = context.Barrier(count)
    results = context.Queue()
    procs = [context.Process(target=_starting_desk, args=(url, barrier, results, n), daemon=True) for n in range(count)]
    for proc in procs:
        proc.start()
    said = sorted(results.get(timeout=300) for _ in procs)
    for proc in procs:
        proc.join(timeout=60)
    return said
