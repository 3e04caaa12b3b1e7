"""The inbox's use cases: store imports idempotently, review, repurpose, record findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace

from medshare_desktop.core.errors import WorkflowError
from medshare_desktop.core.models import (
    Finding,
    ImportedPost,
    ImportReport,
    Post,
    PostState,
    Resolution,
    ReviewFinding,
    Severity,
)
from medshare_desktop.core.ports import PostFilter, PostSummary, UnitOfWorkFactory
from medshare_desktop.core.rules import workflow
from medshare_desktop.core.services.audit_service import AuditService, Clock, utc_now

Hasher = Callable[[ImportedPost], str]


def risk_summary(findings: Sequence[Finding]) -> str:
    """"phi:2 discoverable:1", or "clean" for an analysed post with nothing found."""
    counts = Counter(f.category.value for f in findings)
    return " ".join(f"{category}:{n}" for category, n in sorted(counts.items())) or "clean"


def _state_view(post: Post) -> dict[str, object]:
    return {"state": post.state.value, "reject_reason": post.reject_reason, "shared_url": post.shared_url}


class PostService:
    def __init__(self, uow: UnitOfWorkFactory, audit: AuditService, hasher: Hasher, clock: Clock = utc_now) -> None:
        self._uow = uow
        self._audit = audit
        self._hash = hasher
        self._clock = clock

    # --- import -------------------------------------------------------------------------
    def store_imported(self, posts: Sequence[ImportedPost], skipped: Sequence[str], source: str) -> ImportReport:
        """Store a whole import in one transaction: it lands completely or not at all."""
        with self._uow() as tx:
            owners: list[tuple[int | None, int | None]] = []
            cache: dict[tuple[str, str], tuple[int | None, int | None]] = {}
            for p in posts:
                key = (p.platform.value, p.handle.lstrip("@").lower())
                if key not in cache:
                    account = tx.people.find_account(p.platform, p.handle.lstrip("@")) if p.handle else None
                    if account is None and p.handle:
                        account = tx.people.find_account(p.platform, "@" + p.handle.lstrip("@"))
                    cache[key] = (account.id, account.person_id) if account and account.watched else (None, None)
                owners.append(cache[key])
            new_ids, present = tx.posts.add_imported(posts, [self._hash(p) for p in posts], owners, self._clock())
            report = ImportReport(new=len(new_ids), already_present=present, skipped=tuple(skipped))
            self._audit.record(
                tx,
                "posts.imported",
                "import",
                None,
                after={"source": source, "new": report.new, "already_present": present, "skipped": len(skipped)},
            )
            return report

    # --- reading ------------------------------------------------------------------------
    def get(self, post_id: int) -> Post:
        with self._uow() as tx:
            return tx.posts.get(post_id)

    def query(self, flt: PostFilter, offset: int = 0, limit: int = 200) -> list[PostSummary]:
        with self._uow() as tx:
            return tx.posts.query(flt, offset, limit)

    def count(self, flt: PostFilter, cap: int | None = None) -> int:
        with self._uow() as tx:
            return tx.posts.count(flt, cap)

    def findings(self, post_id: int) -> list[ReviewFinding]:
        with self._uow() as tx:
            return tx.posts.findings(post_id)

    # --- workflow -----------------------------------------------------------------------
    def _transition(self, post: Post, target: PostState, **changes: object) -> Post:
        with self._uow() as tx:
            current = tx.posts.get(post.id)  # type: ignore[arg-type]
            workflow.check_transition(current.state, target)
            if target in (PostState.APPROVED, PostState.SCHEDULED):
                open_high = [
                    f
                    for f in tx.posts.findings(current.id)  # type: ignore[arg-type]
                    if f.is_open and f.finding.severity is Severity.HIGH
                ]
                if open_high:
                    raise WorkflowError(
                        f"This post has {len(open_high)} unresolved high-severity finding(s); resolve them "
                        "in the risk panel before approving it."
                    )
            # the caller's version goes to save(), which refuses it if someone else changed the post
            updated = replace(current, state=target, version=post.version, **changes)  # type: ignore[arg-type]
            saved = tx.posts.save(updated)
            self._audit.record(
                tx, f"post.{target.value}", "post", saved.id, before=_state_view(current), after=_state_view(saved)
            )
            return saved

    def start_review(self, post: Post) -> Post:
        return self._transition(post, PostState.IN_REVIEW)

    def approve(self, post: Post) -> Post:
        return self._transition(post, PostState.APPROVED)

    def reject(self, post: Post, reason: str) -> Post:
        return self._transition(post, PostState.REJECTED, reject_reason=workflow.check_reject_reason(reason))

    def reopen(self, post: Post) -> Post:
        return self._transition(post, PostState.IN_REVIEW)

    def mark_shared(self, post: Post, url: str) -> Post:
        return self._transition(post, PostState.SHARED, shared_url=workflow.check_shared_url(url))

    def repurpose(self, post: Post, new_text: str | None) -> Post:
        """Keep an edited copy for the re-share; the original text is never changed."""
        if post.state in (PostState.SHARED, PostState.REJECTED):
            raise WorkflowError(f"A {post.state.label.lower()} post cannot be edited; reopen it first.")
        text = None if new_text is None or new_text == post.text else new_text
        with self._uow() as tx:
            current = tx.posts.get(post.id)  # type: ignore[arg-type]
            saved = tx.posts.save(replace(current, repurposed_text=text, version=post.version))
            self._audit.record(
                tx,
                "post.repurposed",
                "post",
                saved.id,
                before={"repurposed_text": current.repurposed_text},
                after={"repurposed_text": text},
            )
            return saved

    # --- findings -----------------------------------------------------------------------
    def store_findings(self, post_id: int, findings: Sequence[Finding]) -> list[ReviewFinding]:
        with self._uow() as tx:
            stored = tx.posts.replace_findings(post_id, findings, risk_summary(findings))
            self._audit.record(
                tx, "post.analysed", "post", post_id, after={"findings": risk_summary(findings)}
            )
            return stored

    def resolve_finding(self, finding_id: int, resolution: Resolution, reason: str = "") -> ReviewFinding:
        reason = reason.strip()
        if resolution in (Resolution.ACCEPTED, Resolution.FALSE_POSITIVE) and not reason:
            raise WorkflowError("Accepting a finding or marking it a false positive needs a reason.")
        with self._uow() as tx:
            before = tx.posts.get_finding(finding_id)
            saved = tx.posts.resolve_finding(finding_id, resolution, reason, self._audit.actor, self._clock())
            self._audit.record(
                tx,
                "finding.resolved",
                "post",
                saved.post_id,
                before={"finding": finding_id, "resolution": before.resolution},
                after={
                    "finding": finding_id,
                    "category": saved.finding.category.value,
                    "kind": saved.finding.kind,
                    "resolution": resolution.value,
                    "reason": reason,
                },
            )
            return saved
