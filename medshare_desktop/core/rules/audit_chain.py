"""The audit trail's seal: a chained HMAC per event and a sealed witness of the chain's head.

Each event at position n (its id; the first event is 1) carries `hash` = HMAC-SHA256 under a key
that lives outside the database (the OS keyring), over its position, the previous event's hash and
its content. Whoever can edit the database file but does not hold the key can neither edit, forge,
renumber nor re-chain an event without the seal showing it. Cutting events off the end leaves a
valid shorter chain, so the head (event count + last hash, itself sealed) is also witnessed outside
the database, and a trail shorter than its witness is reported as cut.

Events written before sealing existed (key_id "") carry the old plain SHA-256 chain (`event_hash`);
the first keyed event after them covers them by chaining onto their last hash.

Pure functions: no I/O; the keys, the witness and the trigger check are handed in.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from medshare_desktop.core.models import AuditEvent

SEAL_SCHEME = "medshare-audit-hmac-sha256-v1"
SEALED_ACTION = "audit.sealed"  # the plain-hash events before it were checked and sealed
KEY_CHANGED_ACTION = "audit.key_changed"  # the previous key was not in this keyring: a new one from here on
WITNESS_RESTARTED_ACTION = "audit.witness_restarted"  # the head witness was missing when this was written
RESTORED_ACTION = "database.restored"  # a backup replaced the database: the witness starts again here


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
    """The old, unkeyed SHA-256 chain (events written before sealing, or without a keyring)."""
    payload = json.dumps(
        [prev_hash, at.isoformat(), actor, action, entity, entity_id, before, after],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def event_seal(key: bytes, key_id: str, position: int, prev_hash: str, event: AuditEvent) -> str:
    """HMAC-SHA256 of one event under `key`: covers its position, the previous hash and its content."""
    payload = json.dumps(
        [
            SEAL_SCHEME,
            key_id,
            position,
            prev_hash,
            event.at.isoformat(),
            event.actor,
            event.action,
            event.entity,
            event.entity_id,
            event.before,
            event.after,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Witness:
    """The chain's head as last seen by a writer: `count` events, the last one's hash, sealed."""

    count: int
    head: str
    key_id: str
    seal: str = ""


def witness_seal(key: bytes, key_id: str, count: int, head: str) -> str:
    payload = json.dumps([SEAL_SCHEME, "witness", key_id, count, head], separators=(",", ":"))
    return hmac.new(key, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def sealed_witness(key: bytes, key_id: str, count: int, head: str) -> Witness:
    return Witness(count, head, key_id, witness_seal(key, key_id, count, head))


@dataclass(frozen=True, slots=True)
class WitnessReading:
    """What was found where the witness is kept (`applicable` False: none is kept, e.g. in memory)."""

    applicable: bool
    where: str = ""
    witness: Witness | None = None
    error: str = ""  # the file exists but cannot be read


@dataclass(frozen=True, slots=True)
class ChainReport:
    """`problems`: one sentence per problem, naming the event(s); `notes`: facts worth knowing."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    events: int = 0

    @property
    def intact(self) -> bool:
        return not self.problems


def _span(first: int, last: int) -> str:
    return f"Event {first}" if first == last else f"Events {first}–{last}"


def _span_is(first: int, last: int) -> str:
    return _span(first, last) + (" is" if first == last else " are")


class _Runs:
    """Consecutive events with the same problem become one line: "Events 4–9 …"."""

    def __init__(self) -> None:
        self._open: dict[str, list[int]] = {}  # kind -> [first, last]
        self._sentences: dict[str, Callable[[int, int], str]] = {}
        self.lines: list[tuple[int, str]] = []  # (first event, sentence)

    def add(self, kind: str, event_id: int, sentence: Callable[[int, int], str]) -> None:
        run = self._open.get(kind)
        if run and run[1] + 1 == event_id:
            run[1] = event_id
            self._sentences[kind] = sentence
            return
        self._close(kind)
        self._open[kind] = [event_id, event_id]
        self._sentences[kind] = sentence

    def _close(self, kind: str) -> None:
        run = self._open.pop(kind, None)
        if run:
            self.lines.append((run[0], self._sentences[kind](run[0], run[1])))

    def finish(self) -> list[tuple[int, str]]:
        for kind in list(self._open):
            self._close(kind)
        return self.lines


def verify_chain(
    events: Sequence[AuditEvent],
    keys: Mapping[str, bytes | None] | None = None,
    witness: WitnessReading | None = None,
    missing_guards: Sequence[str] = (),
    unsealed_is_problem: bool = True,
) -> ChainReport:
    """Check every event's position, link and seal, the witnessed head and the append-only guards.

    `keys` maps each key_id found in `events` (and the witness's) to its key, or None when it is not
    in this computer's keyring. `missing_guards` names the append-only triggers that are absent.
    `unsealed_is_problem` False: an old plain-hash trail not sealed yet is checked as it is (used
    just before sealing it).
    """
    keys = keys or {}
    runs = _Runs()
    problems: list[tuple[int, str]] = []
    notes: list[str] = []
    previous_hash = ""
    expected_id = 1
    first_keyed: AuditEvent | None = None
    plain_prefix = 0  # unkeyed events before the first keyed one
    for event in events:
        event_id = event.id if event.id is not None else expected_id
        if event_id > expected_id:
            problems.append((expected_id, f"{_span_is(expected_id, event_id - 1)} missing (deleted or renumbered)."))
        elif event_id < expected_id:
            problems.append((event_id, f"Event {event_id} is out of order (the events were renumbered)."))
        if event.prev_hash != previous_hash:
            problems.append((event_id, f"Event {event_id} does not follow the event before it (chain broken)."))
        if not event.key_id:
            if event_hash(
                event.prev_hash, event.at, event.actor, event.action, event.entity, event.entity_id,
                event.before, event.after,
            ) != event.hash:
                problems.append((event_id, f"Event {event_id} ({_what(event)}) was edited (its hash does not match)."))
            if first_keyed is None:
                plain_prefix += 1
            else:
                runs.add("unkeyed", event_id, lambda a, b: (
                    f"{_span(a, b)} {'carries' if a == b else 'carry'} no keyed seal (written without access to the keyring, or forged): "
                    f"nothing proves who wrote {'it' if a == b else 'them'}."
                ))
        else:
            if first_keyed is None:
                first_keyed = event
            key = keys.get(event.key_id)
            if key is None:
                key_id = event.key_id
                runs.add(f"nokey:{key_id}", event_id, lambda a, b, k=key_id: (  # type: ignore[misc]
                    f"{_span_is(a, b)} sealed with key {k}, which is not in this computer's keyring: "
                    "they cannot be checked here (see docs/reliability.md, moving a database)."
                ))
            elif event_seal(key, event.key_id, event_id, event.prev_hash, event) != event.hash:
                runs.add("seal", event_id, lambda a, b, e=event: (  # type: ignore[misc]
                    f"Event {a} ({_what(e)}) does not match its seal: it was edited or forged."
                    if a == b
                    else f"{_span(a, b)} do not match their seals: edited, forged or renumbered."
                ))
            elif event.action == WITNESS_RESTARTED_ACTION:
                problems.append((event_id, (
                    f"Event {event_id}: the head witness was missing when it was written and was started "
                    "again there; events removed from the end before it would not show."
                )))
        previous_hash = event.hash
        expected_id = event_id + 1
    problems.extend(runs.finish())
    if plain_prefix and first_keyed is None and unsealed_is_problem:
        problems.append((1, (
            f"{_span(1, plain_prefix)} {'carries' if plain_prefix == 1 else 'carry'} only the old plain hash chain and are not sealed yet: "
            "open the database once with the keyring available (any medshare command that writes) to seal them."
        )))
    elif plain_prefix and first_keyed is not None:
        notes.append(
            f"{_span(1, plain_prefix)} {'was' if plain_prefix == 1 else 'were'} written before sealing: their plain hash chain is whole and is "
            f"sealed by event {plain_prefix + 1}; a change made before that event would not show."
        )
    if events and witness is not None and not witness.applicable:
        notes.append("No head witness is kept for a database in memory or on a server: a cut at the end would not show.")
    last_line = len(events) + 1
    problems.extend((last_line, line) for line in _witness_problems(events, keys, witness, first_keyed is not None))
    problems.extend(
        (last_line + 1, f"The append-only trigger {name} is missing: events can be changed or deleted without an error.")
        for name in missing_guards
    )
    ordered = [line for _, line in sorted(problems, key=lambda item: item[0])]
    return ChainReport(ordered, notes, len(events))


def _witness_problems(
    events: Sequence[AuditEvent],
    keys: Mapping[str, bytes | None],
    reading: WitnessReading | None,
    sealed: bool,
) -> list[str]:
    if reading is None or not reading.applicable:
        return []
    where = reading.where
    if reading.error:
        return [f"The head witness {where} cannot be read ({reading.error}): a cut at the end cannot be ruled out."]
    witness = reading.witness
    if witness is None:
        if sealed:
            return [f"The head witness {where} is missing: events removed from the end could not be detected."]
        return []
    key = keys.get(witness.key_id)
    if key is None:
        return [
            f"The head witness {where} is sealed with key {witness.key_id}, which is not in this computer's "
            "keyring: it cannot be checked here."
        ]
    if not hmac.compare_digest(witness_seal(key, witness.key_id, witness.count, witness.head), witness.seal):
        return [f"The head witness {where} was altered (its seal does not match)."]
    if witness.count > len(events):
        if not events:
            return [f"The trail is empty but {witness.count} events were witnessed: every event was removed."]
        last = events[-1].id or len(events)
        return [
            f"The trail ends at event {last} but {witness.count} events were witnessed: "
            f"{_span(len(events) + 1, witness.count).lower()} {'was' if witness.count == len(events) + 1 else 'were'} "
            "removed from the end."
        ]
    if witness.count and events[witness.count - 1].hash != witness.head:
        return [
            f"Event {witness.count} is not the event witnessed as number {witness.count}: the trail was "
            "rewritten or renumbered up to there."
        ]
    return []


def _what(event: AuditEvent) -> str:
    target = f"{event.entity} {event.entity_id}" if event.entity_id is not None else event.entity
    return f"{event.action} on {target}"
