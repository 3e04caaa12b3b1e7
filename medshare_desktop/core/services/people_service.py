"""People (physicians and employees) and the social accounts the team watches."""

from __future__ import annotations

from dataclasses import asdict, replace

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import Person, SourceAccount
from medshare_desktop.core.ports import UnitOfWorkFactory
from medshare_desktop.core.services.audit_service import AuditService


def _validate_person(person: Person) -> Person:
    name = " ".join(person.name.split())
    if not name:
        raise ValidationError("A person needs a name.")
    if person.monthly_limit is not None and person.monthly_limit < 0:
        raise ValidationError("The monthly limit cannot be negative (leave it empty to use the team default).")
    return replace(person, name=name)


class PeopleService:
    def __init__(self, uow: UnitOfWorkFactory, audit: AuditService) -> None:
        self._uow = uow
        self._audit = audit

    def list_people(self, include_inactive: bool = True) -> list[Person]:
        with self._uow() as tx:
            return tx.people.list(include_inactive)

    def get(self, person_id: int) -> Person:
        with self._uow() as tx:
            return tx.people.get(person_id)

    def add_person(self, person: Person) -> Person:
        person = _validate_person(person)
        with self._uow() as tx:
            saved = tx.people.add(person)
            self._audit.record(tx, "person.added", "person", saved.id, after=asdict(saved))
            return saved

    def update_person(self, person: Person) -> Person:
        person = _validate_person(person)
        assert person.id is not None
        with self._uow() as tx:
            before = tx.people.get(person.id)
            saved = tx.people.update(person)
            self._audit.record(tx, "person.updated", "person", saved.id, before=asdict(before), after=asdict(saved))
            return saved

    def accounts(self, person_id: int | None = None) -> list[SourceAccount]:
        with self._uow() as tx:
            return tx.people.accounts(person_id)

    def add_account(self, account: SourceAccount) -> SourceAccount:
        handle = account.handle.strip()
        if not handle:
            raise ValidationError("An account needs a handle (for example @drpatel).")
        with self._uow() as tx:
            saved = tx.people.add_account(replace(account, handle=handle))
            self._audit.record(tx, "account.added", "source_account", saved.id, after=asdict(saved))
            return saved

    def set_watched(self, account: SourceAccount, watched: bool) -> SourceAccount:
        with self._uow() as tx:
            saved = tx.people.update_account(replace(account, watched=watched))
            self._audit.record(
                tx,
                "account.watch_changed",
                "source_account",
                saved.id,
                before={"watched": account.watched},
                after={"watched": watched},
            )
            return saved
