"""What the suggestion score reads, in a few set-wise queries (no per-post round trips)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from medshare_desktop.core.errors import NotFoundError
from medshare_desktop.core.models import Platform, PostState
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.suggestion import PostFacts
from medshare_desktop.storage.orm import PersonRow, PhotoTagRow, PostRow, ScheduledShareRow
from medshare_desktop.storage.post_repository import SqlPostRepository

TEXT_CHARS = 4_000  # enough to judge length, links, readability and hashtags of any post worth re-sharing
_HIGH = 3  # post.risk_level of an open high finding (migration 0005)
_CHUNK = 500


class SqlSuggestionRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def facts(self, flt: PostFilter | None = None, post_ids: Sequence[int] | None = None) -> list[PostFacts]:
        """The facts of every post matching the filter (all posts when None), or of the posts given."""
        share_text = func.coalesce(PostRow.repurposed_text, PostRow.text)
        stmt = select(
            PostRow.id,
            PostRow.person_id,
            func.coalesce(PersonRow.name, PostRow.author),
            func.coalesce(PersonRow.department, ""),
            PostRow.platform,
            PostRow.state,
            func.substr(share_text, 1, TEXT_CHARS),
            func.length(share_text),
            PostRow.posted_at,
            case((PostRow.media == "", 0), else_=1),
            PostRow.likes,
            PostRow.reposts,
            PostRow.evergreen,
            case(((PostRow.risk_level >= _HIGH) & (PostRow.open_findings > 0), 1), else_=0),
        ).outerjoin(PersonRow, PersonRow.id == PostRow.person_id)
        if flt is not None:
            stmt = stmt.where(*SqlPostRepository(self._s)._where(flt))  # noqa: SLF001 - the inbox's own filter
        rows = []
        if post_ids is not None:
            ids = list(post_ids)
            for i in range(0, len(ids), _CHUNK):
                rows.extend(self._s.execute(stmt.where(PostRow.id.in_(ids[i : i + _CHUNK]))))
        else:
            rows = list(self._s.execute(stmt))
        tags: dict[int, list[int]] = {}
        for post_id, person_id in self._s.execute(select(PhotoTagRow.post_id, PhotoTagRow.person_id)):
            tags.setdefault(post_id, []).append(person_id)
        return [
            PostFacts(
                post_id=r[0],
                person_id=r[1],
                person_name=r[2],
                department=r[3],
                platform=Platform(r[4]),
                state=PostState(r[5]),
                text=r[6],
                posted_at=r[8],
                media_count=r[9],
                photo_people=tuple(tags.get(r[0], ())),
                likes=r[10],
                reposts=r[11],
                evergreen=bool(r[12]),
                open_high=bool(r[13]),
                length=len(r[6].strip()) if r[7] <= TEXT_CHARS else r[7],
            )
            for r in rows
        ]

    def engagement_counts(self) -> list[tuple[int | None, int | None]]:
        """(likes, reposts) of every post whose export carried either."""
        stmt = select(PostRow.likes, PostRow.reposts).where((PostRow.likes.is_not(None)) | (PostRow.reposts.is_not(None)))
        return [(r[0], r[1]) for r in self._s.execute(stmt)]

    def reshares(self) -> list[tuple[int | None, str, date]]:
        """(person, department, day) of every scheduled or past re-share."""
        stmt = (
            select(PostRow.person_id, func.coalesce(PersonRow.department, ""), ScheduledShareRow.day)
            .join(PostRow, PostRow.id == ScheduledShareRow.post_id)
            .outerjoin(PersonRow, PersonRow.id == PostRow.person_id)
        )
        return [(r[0], r[1], r[2]) for r in self._s.execute(stmt)]

    def evergreen(self, post_id: int) -> bool:
        value = self._s.scalar(select(PostRow.evergreen).where(PostRow.id == post_id))
        if value is None:
            raise NotFoundError(f"Post {post_id} does not exist (it may have been deleted).")
        return bool(value)

    def set_evergreen(self, post_id: int, on: bool) -> None:
        self._s.execute(update(PostRow).where(PostRow.id == post_id).values(evergreen=on))
