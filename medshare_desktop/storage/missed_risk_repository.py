"""Reviewers' "Missed risk" marks, and the decisions the team's model learns from (one session each)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from medshare_desktop.core.errors import NotFoundError
from medshare_desktop.core.models import MissedRisk, Resolution, ReviewFinding, RiskCategory
from medshare_desktop.storage import mappers
from medshare_desktop.storage.orm import FindingRow, MissedRiskRow, PostRow


def _mark(row: MissedRiskRow) -> MissedRisk:
    return MissedRisk(
        id=row.id,
        post_id=row.post_id,
        start=row.start,
        end=row.end,
        text=row.text,
        category=RiskCategory(row.category),
        note=row.note,
        marked_by=row.marked_by,
        marked_at=row.marked_at,
        removed_by=row.removed_by,
        removed_at=row.removed_at,
        removal_reason=row.removal_reason,
    )


def _shared(post: PostRow) -> str:
    return post.repurposed_text if post.repurposed_text is not None else post.text


class SqlMissedRiskRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, mark: MissedRisk) -> MissedRisk:
        row = MissedRiskRow(
            post_id=mark.post_id, start=mark.start, end=mark.end, text=mark.text, category=mark.category.value,
            note=mark.note, marked_by=mark.marked_by, marked_at=mark.marked_at, removed_by="", removal_reason="",
        )
        self._s.add(row)
        self._s.flush()
        return _mark(row)

    def _row(self, mark_id: int) -> MissedRiskRow:
        row = self._s.get(MissedRiskRow, mark_id)
        if row is None:
            raise NotFoundError(f"Missed-risk mark {mark_id} does not exist.")
        return row

    def get(self, mark_id: int) -> MissedRisk:
        return _mark(self._row(mark_id))

    def for_post(self, post_id: int) -> list[MissedRisk]:
        rows = self._s.scalars(
            select(MissedRiskRow)
            .where(MissedRiskRow.post_id == post_id, MissedRiskRow.removed_at.is_(None))
            .order_by(MissedRiskRow.start, MissedRiskRow.id)
        )
        return [_mark(r) for r in rows]

    def remove(self, mark_id: int, by: str, at: datetime, reason: str) -> MissedRisk:
        row = self._row(mark_id)
        row.removed_by = by
        row.removed_at = at
        row.removal_reason = reason
        self._s.flush()
        return _mark(row)

    def all_active(self) -> list[tuple[MissedRisk, str]]:
        rows = self._s.execute(
            select(MissedRiskRow, PostRow)
            .join(PostRow, PostRow.id == MissedRiskRow.post_id)
            .where(MissedRiskRow.removed_at.is_(None))
            .order_by(MissedRiskRow.id)
        )
        return [(_mark(mark), _shared(post)) for mark, post in rows]

    def false_positives(self) -> list[tuple[ReviewFinding, str, str]]:
        rows = self._s.execute(
            select(FindingRow, PostRow)
            .join(PostRow, PostRow.id == FindingRow.post_id)
            .where(FindingRow.resolution == Resolution.FALSE_POSITIVE.value)
            .order_by(FindingRow.id)
        )
        return [(mappers.finding(f), _shared(post), post.text) for f, post in rows]
