"""Snapshots kept at approval (table approval_evidence, migration 0009): added, read, never changed.

Triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL); `missing_guards` names any that was dropped or
changed.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from medshare_desktop.core.errors import NotFoundError
from medshare_desktop.core.rules.approval_evidence import ApprovalEvidence
from medshare_desktop.storage import append_only
from medshare_desktop.storage.orm import ApprovalEvidenceRow

# the append-only triggers (migrations 0009 and 0011)
GUARDED = ("approval_evidence", "approval evidence is append-only")


def _evidence(row: ApprovalEvidenceRow) -> ApprovalEvidence:
    return ApprovalEvidence(
        id=row.id,
        post_id=row.post_id,
        approved_by=row.approved_by,
        approved_at=row.approved_at,
        sha256=row.sha256,
        snapshot=row.snapshot,
        audit_event_id=row.audit_event_id,
    )


class SqlApprovalEvidenceRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(self, evidence: ApprovalEvidence) -> ApprovalEvidence:
        row = ApprovalEvidenceRow(
            post_id=evidence.post_id,
            approved_by=evidence.approved_by,
            approved_at=evidence.approved_at,
            sha256=evidence.sha256,
            snapshot=evidence.snapshot,
            audit_event_id=evidence.audit_event_id,
        )
        self._s.add(row)
        self._s.flush()
        return _evidence(row)

    def for_post(self, post_id: int) -> list[ApprovalEvidence]:
        """Every snapshot of the post, oldest first."""
        stmt = select(ApprovalEvidenceRow).where(ApprovalEvidenceRow.post_id == post_id).order_by(ApprovalEvidenceRow.id)
        return [_evidence(r) for r in self._s.scalars(stmt)]

    def get(self, evidence_id: int) -> ApprovalEvidence:
        row = self._s.get(ApprovalEvidenceRow, evidence_id)
        if row is None:
            raise NotFoundError(f"Approval evidence {evidence_id} does not exist.")
        return _evidence(row)

    def missing_guards(self) -> list[str]:
        return append_only.missing_guards(self._s, *GUARDED)
