"""The counts behind the fairness and insight report (core/ports.py InsightReader), one short session each."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from sqlalchemy import and_, select

from medshare_desktop.core.models import PostState, RiskCategory
from medshare_desktop.storage.database import Database
from medshare_desktop.storage.orm import AuditEventRow, FindingRow, PostRow

_CATEGORIES = {c.value: c for c in RiskCategory}


def _bounds(first: date, last: date) -> tuple[datetime, datetime]:
    return datetime.combine(first, time.min, UTC), datetime.combine(last, time.max, UTC)


class SqlInsightReader:
    def __init__(self, database: Database) -> None:
        self._database = database

    def finding_categories(self, first: date, last: date) -> list[tuple[datetime, RiskCategory]]:
        start, end = _bounds(first, last)
        in_range = and_(PostRow.posted_at >= start, PostRow.posted_at <= end)
        out: list[tuple[datetime, RiskCategory]] = []
        with self._database.session() as s:
            stored = s.execute(
                select(PostRow.posted_at, FindingRow.category).join(PostRow, FindingRow.post_id == PostRow.id).where(in_range)
            )
            out.extend((posted, _CATEGORIES[category]) for posted, category in stored if category in _CATEGORIES)
            fixed = s.execute(
                select(PostRow.posted_at, AuditEventRow.after)
                .join(PostRow, and_(AuditEventRow.entity == "post", AuditEventRow.entity_id == PostRow.id))
                .where(AuditEventRow.action == "finding.fixed", in_range)
            )
            for posted, after in fixed:
                try:
                    items = json.loads(after or "{}").get("fixed", [])
                except (ValueError, AttributeError):
                    continue
                for item in items:
                    category = item.get("category") if isinstance(item, dict) else None
                    if category in _CATEGORIES:
                        out.append((posted, _CATEGORIES[category]))
        return out

    def rejection_reasons(self, first: date, last: date) -> list[tuple[datetime, str]]:
        start, end = _bounds(first, last)
        with self._database.session() as s:
            rows = s.execute(
                select(PostRow.posted_at, PostRow.reject_reason).where(
                    PostRow.state == PostState.REJECTED.value, PostRow.posted_at >= start, PostRow.posted_at <= end
                )
            )
            return [(posted, reason or "") for posted, reason in rows]
