"""What the suggestion score reads, in a few set-wise queries (no per-post round trips)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from medshare_desktop.core.errors import NotFoundError
from medshare_desktop.core.models import Platform, PostState
from medshare_desktop.core.ports import PostFilter, PostSummary
from medshare_desktop.core.rules.suggestion import PostRecord
from medshare_desktop.storage.orm import PersonRow, PhotoTagRow, PostRow, ScheduledShareRow
from medshare_desktop.storage.post_repository import SqlPostRepository

TEXT_CHARS = 4_000  # enough to judge length, links, readability and hashtags of any post worth re-sharing
_HIGH = 3  # post.risk_level of an open high finding (migration 0005)
_CHUNK = 500
_PLATFORMS = {p.value: p for p in Platform}  # a dict lookup is ten times quicker than Platform(value)
_STATES = {s.value: s for s in PostState}


class SqlSuggestionRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def records(self, flt: PostFilter | None = None, post_ids: Sequence[int] | None = None) -> list[PostRecord]:
        """The facts (but the text) of every post matching the filter (all posts when None), or of those given."""
        stmt = select(
            PostRow.id,
            PostRow.person_id,
            func.coalesce(PersonRow.name, PostRow.author),
            func.coalesce(PersonRow.department, ""),
            PostRow.platform,
            PostRow.state,
            PostRow.posted_at,
            case((PostRow.media == "", 0), else_=1),
            PostRow.likes,
            PostRow.reposts,
            PostRow.evergreen,
            case(((PostRow.risk_level >= _HIGH) & (PostRow.open_findings > 0), 1), else_=0),
            PostRow.version,
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
        return [
            PostRecord(r[0], r[1], r[2], r[3], _PLATFORMS[r[4]], _STATES[r[5]], r[6], r[7], r[8], r[9], bool(r[10]),
                       bool(r[11]), r[12])
            for r in rows
        ]

    def texts(self, post_ids: Sequence[int]) -> dict[int, tuple[str, int]]:
        """Each post's text to share (its first TEXT_CHARS characters) and its whole length."""
        share_text = func.coalesce(PostRow.repurposed_text, PostRow.text)
        stmt = select(PostRow.id, func.substr(share_text, 1, TEXT_CHARS), func.length(share_text))
        found: dict[int, tuple[str, int]] = {}
        ids = list(post_ids)
        for i in range(0, len(ids), _CHUNK):
            for r in self._s.execute(stmt.where(PostRow.id.in_(ids[i : i + _CHUNK]))):
                found[r[0]] = (r[1], r[2])
        return found

    def summaries(self, post_ids: Sequence[int]) -> list[PostSummary]:
        return SqlPostRepository(self._s).summaries(post_ids)

    def photo_people(self) -> dict[int, tuple[int, ...]]:
        """Post → the people tagged in its photos."""
        tags: dict[int, list[int]] = {}
        for post_id, person_id in self._s.execute(select(PhotoTagRow.post_id, PhotoTagRow.person_id)):
            tags.setdefault(post_id, []).append(person_id)
        return {post_id: tuple(people) for post_id, people in tags.items()}

    def ids(self, flt: PostFilter) -> list[int]:
        return list(self._s.scalars(select(PostRow.id).where(*SqlPostRepository(self._s)._where(flt))))  # noqa: SLF001

    def engagement_top(self) -> float:
        """The 90th percentile of likes + 2 × reposts over the posts whose export carried either (0: none did)."""
        value = func.coalesce(PostRow.likes, 0) + 2 * func.coalesce(PostRow.reposts, 0)
        said = (PostRow.likes.is_not(None)) | (PostRow.reposts.is_not(None))
        n = int(self._s.scalar(select(func.count()).select_from(PostRow).where(said)) or 0)
        if not n:
            return 0.0
        top = self._s.scalar(select(value).where(said).order_by(value).offset(min(n - 1, int(0.9 * n))).limit(1))
        return float(top or 0)

    def reshare_counts(self, since: date, today: date, first: date, last: date) -> list[tuple[int | None, str, int, int]]:
        day = ScheduledShareRow.day
        stmt = (
            select(
                PostRow.person_id,
                func.coalesce(PersonRow.department, ""),
                func.sum(case((day.between(since, today), 1), else_=0)),
                func.sum(case((day.between(first, last), 1), else_=0)),
            )
            .join(PostRow, PostRow.id == ScheduledShareRow.post_id)
            .outerjoin(PersonRow, PersonRow.id == PostRow.person_id)
            .group_by(PostRow.person_id, PersonRow.department)
        )
        return [(r[0], r[1], int(r[2] or 0), int(r[3] or 0)) for r in self._s.execute(stmt)]

    def evergreen(self, post_id: int) -> bool:
        value = self._s.scalar(select(PostRow.evergreen).where(PostRow.id == post_id))
        if value is None:
            raise NotFoundError(f"Post {post_id} does not exist (it may have been deleted).")
        return bool(value)

    def set_evergreen(self, post_id: int, on: bool) -> None:
        self._s.execute(update(PostRow).where(PostRow.id == post_id).values(evergreen=on))
