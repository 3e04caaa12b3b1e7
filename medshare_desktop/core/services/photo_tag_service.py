"""Who is shown in the photos attached to a post: the reviewer's tags, checked against photo consent."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from medshare_desktop.core.ports import ConsentUnitOfWork, PhotoTag, UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.services.audit_service import AuditService, Clock, utc_now
from medshare_desktop.core.services.consent_register import photo_consent_problems

__all__ = ["PhotoTagService", "photo_consent_problems"]


class PhotoTagService:
    def __init__(self, uow: UnitOfWorkFactory, audit: AuditService, clock: Clock = utc_now) -> None:
        self._uow = uow
        self._audit = audit
        self._clock = clock

    def tags(self, post_id: int) -> list[PhotoTag]:
        with self._uow() as tx:
            return cast(ConsentUnitOfWork, tx).photo_tags.for_post(post_id)

    def names(self, person_ids: Iterable[int]) -> tuple[str, ...]:
        """The names of these people, as a tag would show them."""
        with self._uow() as tx:
            return tuple(tx.people.get(person_id).name for person_id in sorted(set(person_ids)))

    def tag(self, post_id: int, person_ids: Iterable[int]) -> list[PhotoTag]:
        """Set the people shown in the post's photos (an empty list removes every tag); audited."""
        with self._uow() as tx:
            return self.tag_in(tx, post_id, person_ids)

    def tag_in(self, tx: UnitOfWork, post_id: int, person_ids: Iterable[int]) -> list[PhotoTag]:
        """tag() inside the caller's transaction (RiskService.tag_and_analyse stores the new analysis with it)."""
        wanted = sorted(set(person_ids))
        repo = cast(ConsentUnitOfWork, tx).photo_tags
        before = sorted(t.person_id for t in repo.for_post(post_id))
        if before == wanted:
            return repo.for_post(post_id)
        saved = repo.replace(post_id, wanted, self._audit.actor, self._clock())
        self._audit.record(tx, "photo.tagged", "post", post_id, before={"people": before}, after={"people": wanted})
        return saved
