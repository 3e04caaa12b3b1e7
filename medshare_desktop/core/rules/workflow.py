"""Which post state may follow which, and what each change needs."""

from __future__ import annotations

from medshare_desktop.core.errors import WorkflowError
from medshare_desktop.core.models import Finding, PostState, Resolution, ReviewFinding, Severity

ALLOWED: dict[PostState, frozenset[PostState]] = {
    PostState.NEW: frozenset({PostState.IN_REVIEW, PostState.REJECTED}),
    PostState.IN_REVIEW: frozenset({PostState.APPROVED, PostState.REJECTED, PostState.NEW}),
    PostState.APPROVED: frozenset({PostState.SCHEDULED, PostState.IN_REVIEW, PostState.REJECTED}),
    PostState.REJECTED: frozenset({PostState.IN_REVIEW}),
    PostState.SCHEDULED: frozenset({PostState.SHARED, PostState.APPROVED}),
    PostState.SHARED: frozenset(),
}


def can_transition(current: PostState, target: PostState) -> bool:
    return target in ALLOWED[current]


def check_transition(current: PostState, target: PostState) -> None:
    if not can_transition(current, target):
        raise WorkflowError(f"A post that is {current.label.lower()} cannot be marked {target.label.lower()}.")


def check_reject_reason(reason: str) -> str:
    cleaned = reason.strip()
    if not cleaned:
        raise WorkflowError("Rejecting a post needs a reason.")
    return cleaned


def check_shared_url(url: str) -> str:
    cleaned = url.strip()
    if not cleaned.startswith(("http://", "https://")):
        raise WorkflowError("Marking a post as shared needs the web address (http… or https…) of the re-share.")
    return cleaned


def blocks_approval(review: ReviewFinding) -> bool:
    """A high-severity finding blocks approval and scheduling until it is accepted with a reason or
    called a false positive. A stored finding is one the current text still contains, so a "fixed"
    mark on it (left by older versions) does not count: fixed means gone from the text."""
    return review.finding.severity is Severity.HIGH and review.resolution not in (
        Resolution.ACCEPTED,
        Resolution.FALSE_POSITIVE,
    )


def same_finding(a: Finding, b: Finding) -> bool:
    """Whether two analyses found the same thing (offsets may move when the text around it is edited)."""
    return (a.text, a.category, a.kind, a.rule) == (b.text, b.category, b.kind, b.rule)
