from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from medshare_desktop.core.models import AuditEvent
from medshare_desktop.core.rules.audit_chain import event_hash, verify_chain


def _chain(n: int) -> list[AuditEvent]:
    events = []
    prev = ""
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for i in range(1, n + 1):
        at = start + timedelta(minutes=i)
        before, after = "", f'{{"state": "s{i}"}}'
        digest = event_hash(prev, at, "ann", "post.approved", "post", i, before, after)
        events.append(AuditEvent(i, at, "ann", "post.approved", "post", i, before, after, prev, digest))
        prev = digest
    return events


def test_an_untouched_chain_verifies() -> None:
    assert verify_chain(_chain(5)) == []


def test_an_edited_event_is_named() -> None:
    events = _chain(5)
    events[2] = replace(events[2], after='{"state": "forged"}')
    problems = verify_chain(events)
    assert problems and "Event 3" in problems[0] and "edited" in problems[0]


def test_a_deleted_event_is_detected() -> None:
    events = _chain(5)
    del events[1]
    problems = " ".join(verify_chain(events))
    assert "missing" in problems and "2" in problems
