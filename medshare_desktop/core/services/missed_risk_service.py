""""Missed risk": a reviewer marks words the risk engine did not flag; the mark is kept with the post.

While the marked words are in the text to share, the mark is an open high-severity finding of the post
(core/rules/missed_risk.py), re-made every time the post's findings are stored, so it survives
re-analysis and blocks approval until it is fixed (the words are gone from the saved text), accepted
with a reason, or removed by its author as a mistake. Marking and removing are audited.
"""

from __future__ import annotations

from dataclasses import replace

from medshare_desktop.core.errors import ValidationError, WorkflowError
from medshare_desktop.core.models import MissedRisk, PostState, ReviewFinding, RiskCategory
from medshare_desktop.core.ports import UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.rules import missed_risk
from medshare_desktop.core.services.audit_service import AuditService, Clock, utc_now
from medshare_desktop.core.services.post_service import risk_summary


def _mark_view(mark: MissedRisk) -> dict[str, object]:
    return {"mark": mark.id, "category": mark.category.value, "text": mark.text, "start": mark.start,
            "end": mark.end, "note": mark.note, "by": mark.marked_by}


class MissedRiskService:
    def __init__(self, uow: UnitOfWorkFactory, audit: AuditService, clock: Clock = utc_now) -> None:
        self._uow = uow
        self._audit = audit
        self._clock = clock

    def marks(self, post_id: int) -> list[MissedRisk]:
        with self._uow() as tx:
            return tx.missed_risks.for_post(post_id)

    def mark(
        self, post_id: int, start: int, end: int, category: RiskCategory, note: str = "", words: str | None = None
    ) -> list[ReviewFinding]:
        """Mark text_to_share[start:end] as a risk the engine missed. Returns the post's findings now.
        `words`: what the reviewer selected; when the offsets do not hold them (a screen that shows line
        breaks differently), their occurrence nearest to `start` is marked.
        An approved post goes back to review: the new finding must be resolved before approval."""
        if category not in missed_risk.CATEGORIES:
            raise ValidationError(f"“{category.label}” cannot be marked by hand; choose another category.")
        with self._uow() as tx:
            post = tx.posts.get(post_id)
            if post.state is PostState.SCHEDULED:
                raise WorkflowError("A scheduled post cannot get a new finding: unschedule it in the calendar first.")
            if words is not None and post.text_for_share[start:end] != words:
                span = missed_risk.locate(MissedRisk(0, post_id, start, end, words, category), post.text_for_share)
                if span is None:
                    raise ValidationError("The selected words are not in the saved text of this post; reload it.")
                start, end = span
            try:
                words = missed_risk.check_span(post.text_for_share, start, end)
            except ValueError as error:
                raise ValidationError(str(error)) from None
            if any((m.start, m.end, m.category) == (start, end, category) for m in tx.missed_risks.for_post(post_id)):
                raise ValidationError(f"“{words}” is already marked as a missed risk of this kind.")
            mark = tx.missed_risks.add(
                MissedRisk(None, post_id, start, end, words, category, note.strip(), self._audit.actor, self._clock())
            )
            self._audit.record(tx, "finding.missed_risk_marked", "post", post_id, after=_mark_view(mark))
            if post.state is PostState.APPROVED:
                back = tx.posts.save(replace(post, state=PostState.IN_REVIEW))
                self._audit.record(
                    tx, "post.in_review", "post", post_id, before={"state": post.state.value},
                    after={"state": back.state.value, "why": "a reviewer marked a missed risk"},
                )
            return self._restore(tx, post_id)

    def remove(self, finding_id: int, reason: str = "") -> list[ReviewFinding]:
        """Its author takes a missed-risk mark back as a mistake (audited). Anyone else accepts it with a
        reason instead. Returns the post's findings now."""
        with self._uow() as tx:
            review = tx.posts.get_finding(finding_id)
            mark_id = missed_risk.mark_id(review.finding)
            if mark_id is None:
                raise WorkflowError(
                    "Only a reviewer-added finding can be removed. If the risk engine was wrong, mark the finding "
                    "as a false positive with a reason."
                )
            mark = tx.missed_risks.get(mark_id)
            if mark.marked_by and mark.marked_by != self._audit.actor:
                raise WorkflowError(
                    f"Only {mark.marked_by}, who marked this missed risk, can remove it as a mistake; "
                    "accept it with a reason instead."
                )
            removed = tx.missed_risks.remove(mark_id, self._audit.actor, self._clock(), reason.strip() or "a mistake")
            self._audit.record(
                tx, "finding.missed_risk_removed", "post", mark.post_id,
                before=_mark_view(mark), after={"mark": mark_id, "removed_by": removed.removed_by,
                                                "reason": removed.removal_reason},
            )
            return self._restore(tx, mark.post_id)

    def _restore(self, tx: UnitOfWork, post_id: int) -> list[ReviewFinding]:
        """Store the post's findings again with the active marks (the engine's findings unchanged)."""
        post = tx.posts.get(post_id)
        engine = [r.finding for r in tx.posts.findings(post_id) if not missed_risk.is_reviewer_finding(r.finding)]
        findings = missed_risk.with_marks(engine, tx.missed_risks.for_post(post_id), post.text_for_share)
        summary = risk_summary(findings) if tx.posts.is_analysed(post_id) else ""
        return tx.posts.replace_findings(post_id, findings, summary)
