"""Append-only audit events for every state change: who, when, what, before and after.

Every event is sealed (core/rules/audit_chain.py) with a key from the AuditKeyStore (the OS
keyring), and once its transaction has committed the new head is handed to the AuditWitness (a
file beside the database). Appending reads only the newest event: no scan of the chain per write.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.models import AuditEvent
from medshare_desktop.core.ports import AuditKeyStore, AuditWitness, UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.rules.audit_chain import (
    KEY_CHANGED_ACTION,
    SEALED_ACTION,
    WITNESS_RESTARTED_ACTION,
    ChainReport,
    WitnessReading,
    event_hash,
    event_seal,
    sealed_witness,
    verify_chain,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def _json(value: Mapping[str, Any] | None) -> str:
    if value is None:
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


class AuditService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        actor: str,
        clock: Clock = utc_now,
        keys: AuditKeyStore | None = None,
        witness: AuditWitness | None = None,
    ) -> None:
        self._uow = uow
        self.actor = actor
        self._clock = clock
        self._keys = keys
        self._witness = witness
        self._cache: dict[str, bytes] = {}  # key_id -> key: the keyring is asked once per key
        self._own_key: tuple[str, bytes] | None = None  # a key this process created
        self._lock = threading.Lock()
        self._warned_no_key = False
        self._written: set[tuple[int | None, str]] = set()  # (id, seal) of events this process appended
        self._written_lock = threading.Lock()

    # --- writing ------------------------------------------------------------------------
    def record(
        self,
        tx: UnitOfWork,
        action: str,
        entity: str,
        entity_id: int | None,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
        restarts_witness: bool = False,
    ) -> AuditEvent:
        """Write one event inside the caller's transaction, so it lands with the change or not at all.

        `restarts_witness`: this event marks a restore, whose shorter trail the witness must accept.
        """
        head = tx.audit.last()  # from here the write lock is held: no other writer slips in between
        key = self._key_after(head)
        # the witness is read once per transaction: after this transaction's first event it is, by design,
        # behind until the commit publishes the newest head (it must not read as "missing" meanwhile)
        first_in_transaction = not tx.audit.publish_pending()
        reading = (
            self._witness.read() if self._witness is not None and key is not None and first_in_transaction else None
        )
        if key is not None and head is not None and head.key_id and head.key_id != key[0]:
            head = self._append(tx, head, key, KEY_CHANGED_ACTION, "audit", None,
                                {"key_id": head.key_id}, {"key_id": key[0], "reason": "key not in this keyring"})
        if (
            key is not None and head is not None and not restarts_witness and reading is not None
            and reading.applicable and reading.witness is None and tx.audit.any_sealed()
        ):
            head = self._append(tx, head, key, WITNESS_RESTARTED_ACTION, "audit", None, None,
                                {"witness": reading.where, "events_before": head.id})
        event = self._append(tx, head, key, action, entity, entity_id, before, after)
        if key is not None and self._witness is not None and event.id is not None:
            witness = sealed_witness(key[1], key[0], event.id, event.hash)
            publish = self._witness.restart if restarts_witness else self._witness.advance
            # one witness write per transaction: the newest head (a restart keeps a slot of its own)
            slot = "witness-restart" if restarts_witness else "witness"
            tx.audit.after_commit(lambda: self._publish(publish, witness), slot=slot)
        return event

    def _append(
        self,
        tx: UnitOfWork,
        head: AuditEvent | None,
        key: tuple[str, bytes] | None,
        action: str,
        entity: str,
        entity_id: int | None,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
    ) -> AuditEvent:
        position = (head.id or 0) + 1 if head is not None else 1
        prev = head.hash if head is not None else ""
        at = self._clock().astimezone(UTC)
        event = AuditEvent(position, at, self.actor, action, entity, entity_id, _json(before), _json(after), prev)
        if key is None:  # no keyring: still recorded, hash-chained only (verify reports it)
            digest = event_hash(prev, at, self.actor, action, entity, entity_id, event.before, event.after)
            return self._mine(tx.audit.append(replace(event, hash=digest)))
        key_id, secret = key
        return self._mine(tx.audit.append(replace(event, key_id=key_id,
                                                  hash=event_seal(secret, key_id, position, prev, event))))

    def _mine(self, event: AuditEvent) -> AuditEvent:
        with self._written_lock:
            self._written.add((event.id, event.hash))
        return event

    def written_here(self, event: AuditEvent) -> bool:
        """This process wrote the event (its screens heard of that change already: ui/shared/operations.py)."""
        with self._written_lock:
            return (event.id, event.hash) in self._written

    def forget_written_through(self, event_id: int) -> None:
        """The change feed has read up to `event_id`: older events need not be remembered."""
        with self._written_lock:
            self._written = {w for w in self._written if w[0] is not None and w[0] > event_id}

    def _publish(self, publish: Callable[[Any], None], witness: Any) -> None:
        try:
            publish(witness)
        except OSError as error:  # the change is committed; verify will say the witness lags or is missing
            log.warning("audit head witness not updated (%s)", type(error).__name__)

    def _key_after(self, head: AuditEvent | None) -> tuple[str, bytes] | None:
        """The key for the next event: the newest event's, else one of ours (created when needed)."""
        if self._keys is None:
            return None
        with self._lock:
            if head is not None and head.key_id:
                known = self._load(head.key_id)
                if known is not None:
                    return head.key_id, known
            if self._own_key is None:
                try:
                    self._own_key = self._keys.create()
                except MedshareError as error:
                    if not self._warned_no_key:
                        log.warning("audit events are not sealed: %s", type(error).__name__)
                        self._warned_no_key = True
                    return None
                self._cache[self._own_key[0]] = self._own_key[1]
                log.info("audit trail key %s created", self._own_key[0])
            return self._own_key

    def _load(self, key_id: str) -> bytes | None:
        if key_id not in self._cache:
            assert self._keys is not None
            found = self._keys.load(key_id)
            if found is None:
                return None
            self._cache[key_id] = found
        return self._cache[key_id]

    def seal_existing(self) -> AuditEvent | None:
        """Seal a trail written before sealing existed (once, at the first writable start); on a
        sealed trail, read its key from the keyring now (a locked keyring asks at start-up).

        The old plain-hash chain is checked first; the `audit.sealed` event records how many events
        it covered, their last hash and whether that chain was whole, and chains onto it under the key.
        """
        if self._keys is None:
            return None
        with self._uow() as tx:
            head = tx.audit.last(for_append=False)  # the usual case (already sealed) takes no write lock
            if head is not None and head.key_id:
                self._load(head.key_id)  # ask the keyring now, at start-up, rather than at the first change
                return None
            if head is None or tx.audit.any_sealed():
                return None
            old = verify_chain(tx.audit.all(), unsealed_is_problem=False)
            if self._key_after(head) is None:
                return None
            event = self.record(tx, SEALED_ACTION, "audit", None, after={
                "events": head.id, "head": head.hash, "chain_whole": old.intact, "problems": old.problems[:20],
            })
        log.info("audit trail sealed (%d earlier events, chain whole: %s)", head.id, old.intact)
        return event

    # --- reading ------------------------------------------------------------------------
    def history(self, entity: str, entity_id: int) -> list[AuditEvent]:
        with self._uow() as tx:
            return tx.audit.for_entity(entity, entity_id)

    def check(self) -> ChainReport:
        """Every event's position, link and seal, the witnessed head and the append-only triggers."""
        with self._uow() as tx:
            events = tx.audit.all()
            missing = tx.audit.missing_guards()
        reading = self._witness.read() if self._witness is not None else WitnessReading(False)
        key_ids = {e.key_id for e in events if e.key_id}
        if reading.witness is not None:
            key_ids.add(reading.witness.key_id)
        keys = {key_id: self._load(key_id) if self._keys is not None else None for key_id in key_ids}
        return verify_chain(events, keys, reading, missing)

    def verify(self) -> list[str]:
        """The problems found (empty when the trail is intact), one sentence each."""
        return self.check().problems
