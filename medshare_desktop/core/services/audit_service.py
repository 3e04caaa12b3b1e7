"""Append-only audit events for every state change: who, when, what, before and after."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from medshare_desktop.core.models import AuditEvent
from medshare_desktop.core.ports import UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.rules.audit_chain import event_hash, verify_chain

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _json(value: Mapping[str, Any] | None) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class AuditService:
    def __init__(self, uow: UnitOfWorkFactory, actor: str, clock: Clock = utc_now) -> None:
        self._uow = uow
        self.actor = actor
        self._clock = clock

    def record(
        self,
        tx: UnitOfWork,
        action: str,
        entity: str,
        entity_id: int | None,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> AuditEvent:
        """Write one event inside the caller's transaction, so it lands with the change or not at all."""
        at = self._clock().astimezone(UTC)
        prev = tx.audit.last_hash()
        before_text, after_text = _json(before), _json(after)
        digest = event_hash(prev, at, self.actor, action, entity, entity_id, before_text, after_text)
        return tx.audit.append(
            AuditEvent(None, at, self.actor, action, entity, entity_id, before_text, after_text, prev, digest)
        )

    def history(self, entity: str, entity_id: int) -> list[AuditEvent]:
        with self._uow() as tx:
            return tx.audit.for_entity(entity, entity_id)

    def verify(self) -> list[str]:
        with self._uow() as tx:
            return verify_chain(tx.audit.all())
