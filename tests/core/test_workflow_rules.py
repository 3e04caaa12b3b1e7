from __future__ import annotations

import pytest

from medshare_desktop.core.errors import WorkflowError
from medshare_desktop.core.models import PostState
from medshare_desktop.core.rules import workflow


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (PostState.NEW, PostState.IN_REVIEW),
        (PostState.IN_REVIEW, PostState.APPROVED),
        (PostState.IN_REVIEW, PostState.REJECTED),
        (PostState.APPROVED, PostState.SCHEDULED),
        (PostState.SCHEDULED, PostState.SHARED),
        (PostState.REJECTED, PostState.IN_REVIEW),
    ],
)
def test_the_review_path_is_allowed(current: PostState, target: PostState) -> None:
    workflow.check_transition(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (PostState.NEW, PostState.APPROVED),  # approval needs a review first
        (PostState.NEW, PostState.SCHEDULED),
        (PostState.REJECTED, PostState.SCHEDULED),
        (PostState.SHARED, PostState.IN_REVIEW),  # shared is final
        (PostState.IN_REVIEW, PostState.SHARED),
    ],
)
def test_shortcuts_are_refused_with_a_sentence(current: PostState, target: PostState) -> None:
    with pytest.raises(WorkflowError, match="cannot be marked"):
        workflow.check_transition(current, target)


def test_reject_needs_a_reason_and_shared_needs_a_web_address() -> None:
    with pytest.raises(WorkflowError, match="reason"):
        workflow.check_reject_reason("   ")
    assert workflow.check_reject_reason("  off topic ") == "off topic"
    with pytest.raises(WorkflowError, match="web address"):
        workflow.check_shared_url("linkedin post")
    assert workflow.check_shared_url(" https://x.example/1 ") == "https://x.example/1"
