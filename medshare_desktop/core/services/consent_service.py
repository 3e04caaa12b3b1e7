"""The consent register: versioned records, revocation, and checks other services rely on."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import date

from medshare_desktop.core.errors import ConsentError, ValidationError
from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope, KnownPerson, Person
from medshare_desktop.core.ports import UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.rules.consent import ConsentStatus, consent_status, validate_record
from medshare_desktop.core.services.audit_service import AuditService, Clock, utc_now


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
    ) -> None:
        self._uow = uow
        self._audit = audit
        self._clock = clock
        self._today = today or (lambda: clock().date())

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
            expiries = [r.expires_on for r in mine if r.expires_on and r.expires_on >= day and r.revoked_on is None]
            result.append(ConsentOverview(person, statuses, min(expiries) if expiries else None))
        return result

    def known_people(self, channel: Channel = Channel.PUBLIC_SOCIAL, on: date | None = None) -> tuple[KnownPerson, ...]:
        """People as the risk engine needs them: names and the scopes they consented to."""
        day = on or self.today()
        known = []
        for item in self.overview(day):
            scopes = frozenset(s for s in ConsentScope if item.statuses[(s, channel)].allows_use)
            known.append(KnownPerson(item.person.name, item.person.aliases, scopes))
        return tuple(known)


def require_consent(tx: UnitOfWork, person: Person, scopes: set[ConsentScope], channel: Channel, on: date) -> None:
    """Raise ConsentError unless every scope is covered on that day (used by scheduling)."""
    records = tx.consents.current(person.id)
    missing = []
    for scope in sorted(scopes):
        status = consent_status(records, scope, channel, on)
        if not status.allows_use:
            missing.append(f"{scope.value} ({status.label.lower()})")
    if missing:
        raise ConsentError(
            f"{person.name} has no valid consent for {', '.join(missing)} on {channel.label.lower()} on {on:%d %b %Y}."
        )


def _view(record: ConsentRecord) -> dict[str, object]:
    view = asdict(record)
    view["scopes"] = sorted(s.value for s in record.scopes)
    view["channels"] = sorted(c.value for c in record.channels)
    return view
