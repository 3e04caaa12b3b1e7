"""The month planner as a pure function: voices spread across people and departments, order of posts,
days spread evenly, and a moved ghost still checked."""

from __future__ import annotations

from datetime import UTC, date, datetime

from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope, Person
from medshare_desktop.core.rules.cadence import CadencePolicy, Slot
from medshare_desktop.core.rules.planner import PlanInputs, PlanPost, check_move, propose_month

TODAY = date(2026, 11, 20)


def _world(people: list[Person], posts_each: int = 4, existing: list[Slot] | None = None,
           policy: CadencePolicy | None = None, rank: dict[int, float] | None = None,
           today: date = TODAY) -> PlanInputs:
    consents = {
        p.id: [ConsentRecord(None, p.id, frozenset(ConsentScope), frozenset(Channel), date(2026, 1, 1))]
        for p in people
    }
    posts = [
        PlanPost(p.id * 100 + i, p.id, datetime(2026, 10, 1 + i, tzinfo=UTC), excerpt=f"post {i}")
        for p in people
        for i in range(posts_each)
    ]
    return PlanInputs(2026, 12, today, policy or CadencePolicy(monthly_limit=2), {p.id: p for p in people},
                      consents, posts, existing or [], rank=rank or {})


def test_everyone_gets_one_before_anyone_gets_two_and_departments_take_turns() -> None:
    people = [Person(1, "Ana", department="Cardiology"), Person(2, "Ben", department="Cardiology"),
              Person(3, "Cleo", department="Pediatrics")]
    # only four days left and one re-share a day: four re-shares for three people
    plan = propose_month(_world(people, policy=CadencePolicy(2, 1, 0), today=date(2026, 12, 28)))
    names = [g.person_name for g in plan.ghosts]
    assert len(names) == 4 and set(names) == {"Ana", "Ben", "Cleo"}
    assert names.count("Cleo") == 2  # the second round starts with the department re-shared least


def test_the_person_never_re_shared_lately_comes_first() -> None:
    people = [Person(1, "Ana"), Person(2, "Ben")]
    before = [Slot(9, 1, date(2026, 11, 3), Channel.PUBLIC_SOCIAL)]
    plan = propose_month(_world(people, existing=before, policy=CadencePolicy(1, 1, 0), today=date(2026, 12, 31)))
    assert [g.person_name for g in plan.ghosts] == ["Ben"]
    assert "Ana" in plan.left_out[0]


def test_posts_go_newest_first_or_by_suggestion_score() -> None:
    people = [Person(1, "Ana")]
    assert [g.post_id for g in propose_month(_world(people)).ghosts] == [103, 102]
    ranked = propose_month(_world(people, rank={100: 9.0, 102: 5.0}))
    assert {g.post_id for g in ranked.ghosts} == {100, 102}
    assert "best-suggested post (score 9)" in ranked.ghosts[0].why


def test_days_fill_evenly_and_a_moved_ghost_is_checked_against_the_rest_of_the_draft() -> None:
    people = [Person(n, f"Person {n}") for n in range(1, 6)]
    plan = propose_month(_world(people, policy=CadencePolicy(2, 1, 7), today=date(2026, 12, 1)))
    days = [g.day for g in plan.ghosts]
    assert len(plan.ghosts) == 10 and len(set(days)) == 10  # cap 1 a day: ten different days
    ghost, other = plan.ghosts[0], next(g for g in plan.ghosts[1:] if g.person_id != plan.ghosts[0].person_id)
    assert any("cap 1 a day" in p for p in check_move(plan, ghost.post_id, other.day))
    free = next(d for d in (date(2026, 12, n) for n in range(31, 0, -1)) if d not in days)
    problems = check_move(plan, ghost.post_id, free)
    own = [g.day for g in plan.ghosts if g.person_id == ghost.person_id and g.post_id != ghost.post_id]
    assert (problems == []) == all(abs((free - d).days) >= 7 for d in own)
    assert check_move(plan, ghost.post_id, date(2026, 11, 30))  # outside the month
