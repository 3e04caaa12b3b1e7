"""The inbox's use cases: store imports idempotently, review, repurpose, record findings."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import chain, islice

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.errors import WorkflowError
from medshare_desktop.core.models import (
    Finding,
    ImportedPost,
    ImportReport,
    Post,
    PostState,
    Resolution,
    ReviewFinding,
)
from medshare_desktop.core.ports import PostFilter, PostSummary, UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.rules import approval_evidence, missed_risk, workflow
from medshare_desktop.core.rules.ownership import Owner, OwnerIndex, describe_source
from medshare_desktop.core.services.audit_service import AuditService, Clock, utc_now
from medshare_desktop.core.services.evidence_service import keep_snapshot, take_snapshot
from medshare_desktop.core.services.photo_tag_service import PhotoTagService

Hasher = Callable[[ImportedPost], str]
IMPORT_BATCH = 2_000  # posts read, then stored, at a time during an import


def risk_summary(findings: Sequence[Finding]) -> str:
    """"phi:2 discoverable:1", or "clean" for an analysed post with nothing found."""
    counts = Counter(f.category.value for f in findings)
    return " ".join(f"{category}:{n}" for category, n in sorted(counts.items())) or "clean"


def _state_view(post: Post) -> dict[str, object]:
    return {"state": post.state.value, "reject_reason": post.reject_reason, "shared_url": post.shared_url}


def _finding_view(review: ReviewFinding) -> dict[str, object]:
    f = review.finding
    return {"finding": review.id, "category": f.category.value, "kind": f.kind, "severity": f.severity.value,
            "text": f.text}


@dataclass(frozen=True, slots=True)
class RepurposeResult:
    post: Post
    findings: list[ReviewFinding]  # the analysis of the text now to share (empty: not checked yet)
    fixed: list[ReviewFinding]  # earlier findings the edited text no longer contains

    @property
    def changes(self) -> Changes:
        return Changes.of(self.post)


class PostService:
    def __init__(self, uow: UnitOfWorkFactory, audit: AuditService, hasher: Hasher, clock: Clock = utc_now) -> None:
        self._uow = uow
        self._audit = audit
        self._hash = hasher
        self._clock = clock

    # --- import -------------------------------------------------------------------------
    def store_imported(
        self, posts: Sequence[ImportedPost], skipped: Sequence[str], source: str, person_id: int | None = None
    ) -> ImportReport:
        """Store a whole import in one transaction: it lands completely or not at all.

        Each post is linked to a person by its account handle or its author's name (rules/ownership.py);
        `person_id` says whose posts these are and links every new post to that person instead.
        """
        return self.store_stream(chain(skipped, posts), source, person_id)

    def store_stream(
        self, items: Iterable[ImportedPost | str], source: str, person_id: int | None = None
    ) -> ImportReport:
        """Store posts as a reader yields them (a str is the reason a record was skipped), IMPORT_BATCH at a
        time and all in one transaction: memory stays flat however large the source, and an error or a
        cancel raised by the reader part-way rolls every batch back, so the import lands whole or not at all.
        Duplicates are found inside the write transaction, so a concurrent import of the same file
        counts them as already present instead of failing."""
        with self._uow() as tx:
            tx.posts.claim_writes()
            if person_id is not None:
                tx.people.get(person_id)  # NotFoundError: a person deleted meanwhile
            index = OwnerIndex.build(tx.people.list(), tx.people.accounts())
            new = present = 0
            skipped: list[str] = []
            unassigned: list[int] = []
            unlinked_sources: dict[str, None] = {}
            imported_at = self._clock()
            iterator = iter(items)
            while batch := list(islice(iterator, IMPORT_BATCH)):
                posts = [item for item in batch if not isinstance(item, str)]
                skipped.extend(item for item in batch if isinstance(item, str))
                owners: list[tuple[int | None, int | None]] = []
                for p in posts:
                    owner = index.owner(p)
                    if person_id is not None and owner.person_id != person_id:
                        owner = Owner(None, person_id, "chosen")
                    if owner.person_id is None and len(unlinked_sources) < 5:
                        unlinked_sources.setdefault(describe_source(p) or "no author named", None)
                    owners.append((owner.account_id, owner.person_id))
                new_ids, already = tx.posts.add_imported(posts, [self._hash(p) for p in posts], owners, imported_at)
                new += len(new_ids)
                present += already
                if any(o[1] is None for o in owners):
                    unassigned.extend(tx.posts.unlinked(new_ids))
                del batch, posts  # not held while the next batch is read
            report = ImportReport(
                new=new,
                already_present=present,
                skipped=tuple(skipped),
                unassigned_ids=tuple(unassigned),
                unassigned_sources=tuple(unlinked_sources) if unassigned else (),
            )
            self._audit.record(
                tx,
                "posts.imported",
                "import",
                None,
                after={
                    "source": source,
                    "new": report.new,
                    "already_present": present,
                    "skipped": len(skipped),
                    "person": person_id,
                    "without_person": len(unassigned),
                },
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
                self._check_reviewed(tx, current)
            # the caller's version goes to save(), which refuses it if someone else changed the post
            updated = replace(current, state=target, version=post.version, **changes)  # type: ignore[arg-type]
            saved = tx.posts.save(updated)
            after: dict[str, object] = _state_view(saved)
            snapshot = ""
            if target is PostState.APPROVED:  # evidence at approval: its hash is sealed in the event below
                approved_at = self._clock()
                snapshot = take_snapshot(tx, saved, self._audit.actor, approved_at)
                after[approval_evidence.AUDIT_KEY] = approval_evidence.digest(snapshot)
            event = self._audit.record(
                tx, f"post.{target.value}", "post", saved.id, before=_state_view(current), after=after
            )
            if snapshot:
                assert saved.id is not None
                keep_snapshot(tx, approval_evidence.ApprovalEvidence(
                    None, saved.id, self._audit.actor, approved_at, approval_evidence.digest(snapshot), snapshot,
                    event.id,
                ))
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

    def _check_reviewed(self, tx: UnitOfWork, current: Post) -> None:
        """Approval and scheduling need every high finding of the text to share dealt with, and
        an edited text that has been checked (a stale analysis of the old text proves nothing)."""
        assert current.id is not None
        if current.repurposed_text is not None and not tx.posts.is_analysed(current.id):
            raise WorkflowError(
                "The edited text has not been checked for risks yet; wait for the check to finish (or save "
                "the edit again) before approving it."
            )
        blocking = [f for f in tx.posts.findings(current.id) if workflow.blocks_approval(f)]
        if blocking:
            raise WorkflowError(
                f"This post has {len(blocking)} unresolved high-severity finding(s); edit them out of the text "
                "to share, or accept each with a reason, in the risk panel before approving it."
            )

    def repurpose(self, post: Post, new_text: str | None) -> Post:
        """Keep an edited copy for the re-share; the original text is never changed. The post is
        marked as not yet checked, and cannot be approved until the risk engine has looked at the
        edit (RiskService.repurpose stores the edit and its check together)."""
        return self.repurpose_checked(post, new_text, None).post

    def repurpose_checked(
        self, post: Post, new_text: str | None, findings: Sequence[Finding] | None
    ) -> RepurposeResult:
        """Store the edited copy together with `findings`, the risk engine's analysis of it: findings
        no longer in the text are recorded as fixed, those still there keep the reviewer's decision.
        Editing an approved post sends it back to review, so what goes out is always the approved text."""
        text = None if new_text is None or new_text == post.text else new_text
        with self._uow() as tx:
            current = tx.posts.get(post.id)  # type: ignore[arg-type]
            if current.state in (PostState.SHARED, PostState.REJECTED):
                raise WorkflowError(f"A {current.state.label.lower()} post cannot be edited; reopen it first.")
            if current.state is PostState.SCHEDULED:
                raise WorkflowError(
                    "A scheduled post cannot be edited: unschedule it in the calendar first, so the edited text "
                    "is reviewed and approved again."
                )
            edited = text != current.repurposed_text
            state = PostState.IN_REVIEW if current.state is PostState.APPROVED and edited else current.state
            saved = tx.posts.save(replace(current, repurposed_text=text, state=state, version=post.version))
            self._audit.record(
                tx,
                "post.repurposed",
                "post",
                saved.id,
                before={"repurposed_text": current.repurposed_text},
                after={"repurposed_text": text},
            )
            if state is not current.state:
                self._audit.record(
                    tx, f"post.{state.value}", "post", saved.id, before=_state_view(current),
                    after={**_state_view(saved), "why": "edited after approval"},
                )
            if findings is None:
                if edited:  # "" = not analysed: approval waits for a check
                    tx.posts.replace_findings(saved.id, [], "")  # type: ignore[arg-type]
                return RepurposeResult(saved, tx.posts.findings(saved.id), [])  # type: ignore[arg-type]
            stored, fixed = self._replace_findings(tx, saved.id, findings)  # type: ignore[arg-type]
            return RepurposeResult(saved, stored, fixed)

    # --- findings -----------------------------------------------------------------------
    def get_finding(self, finding_id: int) -> ReviewFinding:
        with self._uow() as tx:
            return tx.posts.get_finding(finding_id)

    def _replace_findings(
        self, tx: UnitOfWork, post_id: int, findings: Sequence[Finding], gone: str = "finding.fixed"
    ) -> tuple[list[ReviewFinding], list[ReviewFinding]]:
        """Store a fresh analysis; returns it and the earlier findings it no longer contains (fixed, audited as
        `gone`). Reviewers' missed-risk marks still in the text are added as findings (rules/missed_risk.py)."""
        marks = tx.missed_risks.for_post(post_id)
        if marks:
            findings = missed_risk.with_marks(findings, marks, tx.posts.get(post_id).text_for_share)
        old = tx.posts.findings(post_id)
        stored = tx.posts.replace_findings(post_id, findings, risk_summary(findings))
        fixed = [o for o in old if not any(workflow.same_finding(o.finding, n.finding) for n in stored)]
        self._audit.record(tx, "post.analysed", "post", post_id, after={"findings": risk_summary(findings)})
        if fixed:
            self._audit.record(
                tx,
                gone,
                "post",
                post_id,
                after={"fixed" if gone == "finding.fixed" else "gone": [_finding_view(f) for f in fixed]},
            )
        return stored, fixed

    def tag_checked(self, tags: PhotoTagService, post_id: int, person_ids: Iterable[int],
                    findings: Sequence[Finding]) -> Post:
        """Set who is shown in the post's photos and store `findings`, the analysis that knows them, in one
        transaction (RiskService.tag_and_analyse): the findings always describe the tags on record."""
        with self._uow() as tx:
            tags.tag_in(tx, post_id, person_ids)
            self._replace_findings(tx, post_id, findings)
            return tx.posts.get(post_id)

    def store_findings(self, post_id: int, findings: Sequence[Finding]) -> list[ReviewFinding]:
        with self._uow() as tx:
            return self._replace_findings(tx, post_id, findings)[0]

    def store_recheck(self, post_id: int, findings: Sequence[Finding]) -> list[ReviewFinding]:
        """Store the analysis of an unchanged text by a changed engine: findings it no longer finds were not
        fixed by anyone, so they are audited as `finding.not_found_again`."""
        with self._uow() as tx:
            return self._replace_findings(tx, post_id, findings, gone="finding.not_found_again")[0]

    def store_analysis(self, post_id: int, findings: Sequence[Finding]) -> tuple[list[ReviewFinding], list[ReviewFinding]]:
        """Like store_findings, and also returns the earlier findings that are gone (fixed)."""
        with self._uow() as tx:
            return self._replace_findings(tx, post_id, findings)

    def resolve_finding(self, finding_id: int, resolution: Resolution, reason: str = "") -> ReviewFinding:
        """Accept a finding or call it a false positive, with a reason. "Fixed" is not a choice here:
        a finding is fixed when the edited text no longer contains it, which only a new check of the
        text can tell (RiskService.mark_fixed, RiskService.repurpose)."""
        reason = reason.strip()
        if resolution is Resolution.FIXED:
            raise WorkflowError(
                "A finding counts as fixed only when the text to share no longer contains it. Edit it out of "
                "the text and save the edit, or accept it with a reason."
            )
        if not reason:
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
                    "text": saved.finding.text,
                    "resolution": resolution.value,
                    "reason": reason,
                },
            )
            return saved

    def reopen_finding(self, finding_id: int) -> tuple[ReviewFinding, Post]:
        """Undo a resolution. The finding is open again; if it is high-severity and the post was
        approved on the strength of that resolution, the post goes back to review with it."""
        with self._uow() as tx:
            before = tx.posts.get_finding(finding_id)
            if before.resolution is None:
                raise WorkflowError("This finding is open already.")
            post = tx.posts.get(before.post_id)
            if post.state in (PostState.SCHEDULED, PostState.SHARED, PostState.REJECTED):
                raise WorkflowError(
                    f"The findings of a {post.state.label.lower()} post cannot be reopened; "
                    + ("unschedule it first." if post.state is PostState.SCHEDULED else "reopen the post first.")
                )
            saved = tx.posts.reopen_finding(finding_id)
            self._audit.record(
                tx,
                "finding.reopened",
                "post",
                saved.post_id,
                before={
                    "finding": finding_id,
                    "resolution": before.resolution.value,
                    "reason": before.resolution_reason,
                    "by": before.resolved_by,
                },
                after={**_finding_view(saved), "resolution": None},
            )
            if post.state is PostState.APPROVED and workflow.blocks_approval(saved):
                back = tx.posts.save(replace(post, state=PostState.IN_REVIEW))
                self._audit.record(
                    tx, "post.in_review", "post", post.id, before=_state_view(post),
                    after={**_state_view(back), "why": "a high-severity finding was reopened"},
                )
                post = back
            return saved, post
