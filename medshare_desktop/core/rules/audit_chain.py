"""The audit trail's hash chain: each event's hash covers its content and the previous hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime

from medshare_desktop.core.models import AuditEvent


def event_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    before: str,
    after: str,
) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(), actor, action, entity, entity_id, before, after],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def verify_chain(events: Sequence[AuditEvent]) -> list[str]:
    """Problems found in the chain, one sentence each (empty when intact)."""
    problems: list[str] = []
    previous = ""
    previous_id: int | None = None
    for event in events:
        if event.id is not None and previous_id is not None and event.id != previous_id + 1:
            problems.append(f"Events {previous_id + 1}–{event.id - 1} are missing (deleted).")
        if event.prev_hash != previous:
            problems.append(f"Event {event.id} does not follow the event before it (chain broken).")
        expected = event_hash(
            event.prev_hash,
            event.at,
            event.actor,
            event.action,
            event.entity,
            event.entity_id,
            event.before,
            event.after,
        )
        if expected != event.hash:
            problems.append(f"Event {event.id} ({event.action} on {event.entity} {event.entity_id}) was edited.")
        previous = event.hash
        previous_id = event.id
    return problems
