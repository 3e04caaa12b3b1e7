"""The seal rule alone (no database): what verify_chain finds in a keyed chain and its witness."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from medshare_desktop.core.models import AuditEvent
from medshare_desktop.core.rules.audit_chain import (
    WitnessReading,
    event_hash,
    event_seal,
    sealed_witness,
    verify_chain,
)

KEY = bytes(range(32))
KEYS: dict[str, bytes | None] = {"k1": KEY}


def _event(position: int, prev: str, key_id: str = "k1", key: bytes = KEY) -> AuditEvent:
    at = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(minutes=position)
    event = AuditEvent(position, at, "ann", "post.approved", "post", position, "", f'{{"state": "s{position}"}}', prev)
    if not key_id:
        digest = event_hash(prev, at, "ann", "post.approved", "post", position, event.before, event.after)
        return replace(event, hash=digest)
    return replace(event, key_id=key_id, hash=event_seal(key, key_id, position, prev, event))


def _chain(n: int, plain_first: int = 0) -> list[AuditEvent]:
    events: list[AuditEvent] = []
    for position in range(1, n + 1):
        prev = events[-1].hash if events else ""
        events.append(_event(position, prev, "" if position <= plain_first else "k1"))
    return events


def _witnessed(events: list[AuditEvent]) -> WitnessReading:
    return WitnessReading(True, "medshare.db.audit-head", sealed_witness(KEY, "k1", len(events), events[-1].hash))


def test_an_untouched_keyed_chain_with_its_witness_is_intact() -> None:
    events = _chain(5)
    report = verify_chain(events, KEYS, _witnessed(events))
    assert report.intact and report.events == 5


def test_an_edited_event_is_named_even_with_its_hash_recomputed_without_the_key() -> None:
    events = _chain(5)
    forged = replace(events[2], after='{"state": "forged"}')
    events[2] = replace(forged, hash=event_hash(forged.prev_hash, forged.at, "ann", forged.action, "post", 3, "", forged.after))
    problems = verify_chain(events, KEYS, None).problems
    assert any(p.startswith("Event 3 (post.approved on post 3) does not match its seal") for p in problems), problems


def test_a_deleted_event_is_named_missing() -> None:
    events = _chain(5)
    del events[1]
    problems = verify_chain(events, KEYS, None).problems
    assert "Event 2 is missing (deleted or renumbered)." in problems


def test_a_witness_longer_than_the_trail_names_the_cut_events() -> None:
    events = _chain(6)
    reading = _witnessed(events)
    problems = verify_chain(events[:3], KEYS, reading).problems
    assert problems == ["The trail ends at event 3 but 6 events were witnessed: events 4–6 were removed from the end."]


def test_a_witness_older_than_the_trail_is_fine_when_the_later_events_verify() -> None:
    events = _chain(6)
    older = _witnessed(events[:4])  # another process appended after this witness was written
    assert verify_chain(events, KEYS, older).intact


def test_a_missing_key_says_it_cannot_be_checked_not_that_it_was_tampered() -> None:
    events = _chain(4)
    problems = verify_chain(events, {"k1": None}, _witnessed(events)).problems
    assert problems[0] == (
        "Events 1–4 are sealed with key k1, which is not in this computer's keyring: they cannot be checked here "
        "(see docs/reliability.md, moving a database)."
    )
    assert not any("edited" in p or "forged" in p or "removed" in p for p in problems), problems


def test_old_plain_events_are_a_note_once_sealed_and_a_problem_before() -> None:
    sealed = _chain(5, plain_first=3)
    report = verify_chain(sealed, KEYS, _witnessed(sealed))
    assert report.intact and report.notes and report.notes[0].startswith("Events 1–3 were written before sealing")
    unsealed = _chain(3, plain_first=3)
    assert "not sealed yet" in verify_chain(unsealed, KEYS, WitnessReading(True, "w")).problems[0]


def test_an_unkeyed_event_after_the_seal_is_reported() -> None:
    events = _chain(4)
    events.append(_event(5, events[-1].hash, key_id=""))  # a forged event with a valid plain hash
    problems = verify_chain(events, KEYS, _witnessed(events)).problems
    assert problems == [
        "Event 5 carries no keyed seal (written without access to the keyring, or forged): nothing proves who wrote it."
    ]


def test_missing_triggers_are_reported_by_name() -> None:
    events = _chain(2)
    problems = verify_chain(events, KEYS, _witnessed(events), ["audit_event_no_delete"]).problems
    assert problems == [
        "The append-only trigger audit_event_no_delete is missing: events can be changed or deleted without an error."
    ]


def test_without_a_witness_file_the_report_says_a_cut_would_not_show() -> None:
    report = verify_chain(_chain(3), KEYS, WitnessReading(False))
    assert report.intact and report.notes == [
        "No head witness is kept for a database in memory or on a server: a cut at the end would not show."
    ]
