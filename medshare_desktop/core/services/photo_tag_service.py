"""Who is shown in the photos attached to a post: the reviewer's tags, checked against photo consent."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from medshare_desktop.core.ports import ConsentUnitOfWork, PhotoTag, UnitOfWorkFactory
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

    def tag(self, post_id: int, person_ids: Iterable[int]) -> list[PhotoTag]:
        """Set the people shown in the post's photos (an empty list removes every tag); audited."""
        wanted = sorted(set(person_ids))
        with self._uow() as tx:
            repo = cast(ConsentUnitOfWork, tx).photo_tags
            before = sorted(t.person_id for t in repo.for_post(post_id))
            if before == wanted:
                return repo.for_post(post_id)
            saved = repo.replace(post_id, wanted, self._audit.actor, self._clock())
            self._audit.record(tx, "photo.tagged", "post", post_id, before={"people": before}, after={"people": wanted})
            return saved
