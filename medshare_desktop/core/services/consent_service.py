"""The consent register: versioned records, revocation, and checks other services rely on."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path
from typing import TextIO, cast

from medshare_desktop.core.errors import ConsentError, ValidationError
from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope, KnownPerson, Person
from medshare_desktop.core.ports import ConsentUnitOfWork, EvidenceStore, StoredEvidence, UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.rules.consent import (
    ConsentStatus,
    consent_status,
    local_day,
    next_expiry,
    validate_record,
)
from medshare_desktop.core.rules.schedule_checks import author_consent_problem
from medshare_desktop.core.services.audit_service import AuditService, Clock, utc_now
from medshare_desktop.core.services.consent_register import (
    AffectedShare,
    ExpiringConsent,
    PersonConsent,
    affected_shares,
    expiring_consents,
    write_register_csv,
)


@dataclass(frozen=True, slots=True)
class ConsentOverview:
    person: Person
    statuses: dict[tuple[ConsentScope, Channel], ConsentStatus]
    next_expiry: date | None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ConsentService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        audit: AuditService,
        clock: Clock = utc_now,
        today: Callable[[], date] | None = None,
        evidence: EvidenceStore | None = None,
    ) -> None:
        self._uow = uow
        self._audit = audit
        self._clock = clock
        self._today = today or (lambda: local_day(clock()))  # the user's calendar date, not UTC's
        self._evidence = evidence

    def today(self) -> date:
        return self._today()

    def records(self, person_id: int) -> list[ConsentRecord]:
        with self._uow() as tx:
            return tx.consents.current(person_id)

    def history(self, person_id: int) -> list[ConsentRecord]:
        with self._uow() as tx:
            return tx.consents.history(person_id)

    def add_record(self, record: ConsentRecord) -> ConsentRecord:
        validate_record(record)
        record = replace(record, recorded_by=self._audit.actor, recorded_at=self._clock())
        with self._uow() as tx:
            tx.people.get(record.person_id)
            saved = tx.consents.add(record)
            self._audit.record(tx, "consent.added", "consent", saved.id, after=_view(saved))
            return saved

    def edit_record(self, old_id: int, new: ConsentRecord) -> ConsentRecord:
        """An edit never overwrites: it adds a new version and keeps the old one in the history."""
        validate_record(new)
        new = replace(new, recorded_by=self._audit.actor, recorded_at=self._clock())
        with self._uow() as tx:
            before = tx.consents.get(old_id)
            saved = tx.consents.supersede(old_id, replace(new, person_id=before.person_id))
            self._audit.record(tx, "consent.edited", "consent", saved.id, before=_view(before), after=_view(saved))
            return saved

    def revoke(self, record_id: int, on: date, reason: str) -> ConsentRecord:
        reason = reason.strip()
        if not reason:
            raise ValidationError("Revoking consent needs a reason.")
        with self._uow() as tx:
            before = tx.consents.get(record_id)
            if before.revoked_on is not None:
                raise ValidationError(f"This consent was already revoked on {before.revoked_on:%d %b %Y}.")
            revoked = replace(
                before, revoked_on=on, revoke_reason=reason, recorded_by=self._audit.actor, recorded_at=self._clock()
            )
            validate_record(revoked)
            saved = tx.consents.supersede(record_id, revoked)
            self._audit.record(tx, "consent.revoked", "consent", saved.id, before=_view(before), after=_view(saved))
            return saved

    def status(self, person_id: int, scope: ConsentScope, channel: Channel, on: date | None = None) -> ConsentStatus:
        with self._uow() as tx:
            return consent_status(tx.consents.current(person_id), scope, channel, on or self.today())

    def overview(self, on: date | None = None) -> list[ConsentOverview]:
        day = on or self.today()
        with self._uow() as tx:
            people = tx.people.list()
            records = tx.consents.current()
        by_person: dict[int, list[ConsentRecord]] = {}
        for r in records:
            by_person.setdefault(r.person_id, []).append(r)
        result = []
        for person in people:
            mine = by_person.get(person.id or -1, [])
            statuses = {
                (scope, channel): consent_status(mine, scope, channel, day)
                for scope in ConsentScope
                for channel in Channel
            }
            result.append(ConsentOverview(person, statuses, next_expiry(mine, day)))
        return result

    def known_people(self, channel: Channel = Channel.PUBLIC_SOCIAL, on: date | None = None) -> tuple[KnownPerson, ...]:
        """People as the risk engine needs them: names and the scopes they consented to."""
        day = on or self.today()
        known = []
        for item in self.overview(day):
            scopes = frozenset(s for s in ConsentScope if item.statuses[(s, channel)].allows_use)
            known.append(KnownPerson(item.person.name, item.person.aliases, scopes))
        return tuple(known)

    # --- evidence, affected re-shares, reminders, export (build issue 5) ---------------------------
    def attach_evidence(self, source: str) -> StoredEvidence:
        """Check, clean and copy a signed form into the evidence folder (slow: call it off the GUI thread).
        Put the result's stored_name and sha256 into the record's evidence_path and evidence_sha256."""
        if self._evidence is None:
            raise ValidationError("No evidence folder is set up, so signed forms cannot be attached.")
        stored = replace(self._evidence.store(source), stored_by=self._audit.actor, stored_at=self._clock())
        with self._uow() as tx:
            saved = cast(ConsentUnitOfWork, tx).evidence.add(stored)
            view = {"sha256": saved.sha256, "media_type": saved.media_type, "size_bytes": saved.size_bytes}
            self._audit.record(tx, "consent.evidence_stored", "evidence", None, after=view)
            return saved

    def evidence_file(self, record: ConsentRecord, verify: bool = True) -> str:
        """The stored copy of a record's signed form; with verify, its SHA-256 must still match."""
        if not record.evidence_path or self._evidence is None:
            raise ValidationError("No signed form is attached to this consent record.")
        path = self._evidence.locate(record.evidence_path)
        if verify and record.evidence_sha256 and sha256_of(Path(path).read_bytes()) != record.evidence_sha256:
            raise ValidationError(f"The stored evidence {Path(path).name} has changed since it was recorded.")
        return path

    def details(self, person_id: int, on: date | None = None) -> PersonConsent:
        day = on or self.today()
        with self._uow() as tx:
            person = tx.people.get(person_id)
            current = tx.consents.current(person_id)
            history = tx.consents.history(person_id)
            store = cast(ConsentUnitOfWork, tx).evidence
            evidence = {r.evidence_sha256: store.get(r.evidence_sha256) for r in history if r.evidence_sha256}
        statuses = {(s, c): consent_status(current, s, c, day) for s in ConsentScope for c in Channel}
        known = {k: v for k, v in evidence.items() if v is not None}
        return PersonConsent(person, current, history, statuses, known, day)

    def affected_shares(self, person_id: int | None = None, on: date | None = None) -> list[AffectedShare]:
        """Planned re-shares (from the person's revocation date on) that their consent no longer covers;
        None: for everybody."""
        with self._uow() as tx:
            return affected_shares(tx, person_id, on or self.today())

    def expiring_within(self, days: int, on: date | None = None) -> list[ExpiringConsent]:
        """Consents in force today that end within `days` days (today included), soonest first."""
        if days < 0:
            raise ValidationError("The reminder window cannot be negative.")
        with self._uow() as tx:
            people = tx.people.list()
            records = tx.consents.current()
        return expiring_consents(people, records, on or self.today(), days)

    def export_csv(self, target: str | Path | TextIO, on: date | None = None) -> int:
        """Write the register (one row per current record) as CSV; returns the number of records."""
        with self._uow() as tx:
            people = tx.people.list()
            records = tx.consents.current()
        day = on or self.today()
        if isinstance(target, str | Path):
            with open(target, "w", encoding="utf-8", newline="") as handle:
                return write_register_csv(handle, people, records, day)
        return write_register_csv(target, people, records, day)


def require_consent(tx: UnitOfWork, person: Person, scopes: set[ConsentScope], channel: Channel, on: date) -> None:
    """Raise ConsentError unless every scope is covered on that day (used by scheduling)."""
    problem = author_consent_problem(person.name, tx.consents.current(person.id), scopes, channel, on)
    if problem:
        raise ConsentError(problem)


def _view(record: ConsentRecord) -> dict[str, object]:
    view = asdict(record)
    view["scopes"] = sorted(s.value for s in record.scopes)
    view["channels"] = sorted(c.value for c in record.channels)
    return view
