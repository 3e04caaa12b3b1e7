"""People (physicians and employees) and the social accounts the team watches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import Person, SourceAccount
from medshare_desktop.core.ports import UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.rules.ownership import handle_key, name_key
from medshare_desktop.core.services.audit_service import AuditService


@dataclass(frozen=True, slots=True)
class AccountSaved:
    account: SourceAccount
    linked: int  # earlier posts from this account now linked to its person

    @property
    def changes(self) -> Changes:
        person = self.account.person_id
        return Changes(people=frozenset({person} if person is not None else set()), posts_added=self.linked > 0)


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

    def find_by_name(self, name: str) -> Person:
        """The one person with this name or other spelling (case and punctuation ignored; the last words of
        the name are enough: "Lena Ortiz" for "Dr. Lena Ortiz"), or ValidationError naming the problem."""
        key = name_key(name)
        if not key:
            raise ValidationError("Give the person's name (as in People).")
        with self._uow() as tx:
            people = tx.people.list()
        found = [p for p in people if key in {name_key(p.name), *(name_key(a) for a in p.aliases)}]
        if not found and " " in key:  # "Lena Ortiz" for "Dr. Lena Ortiz": the last two or more words
            found = [p for p in people if name_key(p.name).endswith(" " + key)]
        if not found:
            raise ValidationError(f"No person named {name.strip()!r}; add them in People first or check the spelling.")
        if len(found) > 1:
            names = ", ".join(p.name for p in found)
            raise ValidationError(f"{name.strip()!r} could be {names}; give the full name.")
        return found[0]

    def assign_posts(self, post_ids: Sequence[int], person_id: int | None) -> int:
        """Link these posts to a person (None: to nobody) in one transaction, one audit event per post
        changed; returns how many changed. Cadence and consent then count them as that person's."""
        with self._uow() as tx:
            if person_id is not None:
                person = tx.people.get(person_id)
                if not person.active:
                    raise ValidationError(f"{person.name} is marked inactive; make them active in People first.")
            return self._assign(tx, post_ids, person_id)

    def assign_posts_to_new_person(self, post_ids: Sequence[int], person: Person) -> Person:
        """Add a person and link these posts to them, in one transaction (both on the record)."""
        person = _validate_person(person)
        with self._uow() as tx:
            saved = tx.people.add(person)
            self._audit.record(tx, "person.added", "person", saved.id, after=asdict(saved))
            assert saved.id is not None
            self._assign(tx, post_ids, saved.id)
            return saved

    def _assign(self, tx: UnitOfWork, post_ids: Sequence[int], person_id: int | None) -> int:
        before = tx.posts.assign_person(sorted(set(post_ids)), person_id)
        for post_id, old in sorted(before.items()):
            self._audit.record(
                tx, "post.person_assigned", "post", post_id, before={"person": old}, after={"person": person_id}
            )
        return len(before)

    def _link_posts(self, tx: UnitOfWork, account: SourceAccount) -> list[int]:
        """Links the posts that came from this account and have no person yet to its person."""
        assert account.id is not None
        linked = tx.posts.link_handle(account.platform, handle_key(account.handle), account.id, account.person_id)
        for post_id in linked:
            self._audit.record(
                tx,
                "post.person_linked",
                "post",
                post_id,
                before={"person": None},
                after={"person": account.person_id, "account": account.id},
            )
        return linked

    def accounts(self, person_id: int | None = None) -> list[SourceAccount]:
        with self._uow() as tx:
            return tx.people.accounts(person_id)

    def add_account(self, account: SourceAccount) -> SourceAccount:
        return self.save_account(account).account

    def update_account(self, account: SourceAccount) -> SourceAccount:
        return self.save_account(account).account

    def save_account(self, account: SourceAccount) -> AccountSaved:
        """Add an account (no id) or change its handle, feed or watching; either way the posts from its
        platform and handle that have no person yet are linked to its person, each on the record."""
        handle = account.handle.strip()
        if not handle:
            raise ValidationError("An account needs a handle (for example @drpatel).")
        account = replace(account, handle=handle, feed_url=account.feed_url.strip())
        with self._uow() as tx:
            if account.id is None:
                saved = tx.people.add_account(account)
                before = None
            else:
                before = next((a for a in tx.people.accounts() if a.id == account.id), None)
                if before is None:
                    raise ValidationError("This account was removed meanwhile; reload the person.")
                saved = tx.people.update_account(account)
            linked = self._link_posts(tx, saved)
            self._audit.record(
                tx,
                "account.added" if before is None else "account.updated",
                "source_account",
                saved.id,
                before=asdict(before) if before is not None else None,
                after={**asdict(saved), "linked_posts": len(linked)},
            )
            return AccountSaved(saved, len(linked))

    def set_watched(self, account: SourceAccount, watched: bool) -> SourceAccount:
        with self._uow() as tx:
            saved = tx.people.update_account(replace(account, watched=watched))
            if watched:
                self._link_posts(tx, saved)
            self._audit.record(
                tx,
                "account.watch_changed",
                "source_account",
                saved.id,
                before={"watched": account.watched},
                after={"watched": watched},
            )
            return saved
