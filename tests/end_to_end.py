"""What the end-to-end tests share (one desk on a file, two desks on a team server): `medshare` run as a real
process, the post they follow, its review, where the patient detail is edited out, and what they check in the
printed month (PDF) and the invites (ICS).

What review removed must not come back in anything a person could publish from.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from medshare_desktop.core.errors import WorkflowError
from medshare_desktop.core.models import Post, PostState, Resolution, Severity

ORIGINAL = "Mrs. Alvarez in room 412 squeezed my hand today. Proud of our stroke team and its door to needle times."
APPROVED = "Proud of our stroke team: our door to needle times are the best they have ever been."
REMOVED_DETAIL = ("Alvarez", "412", "squeezed")


def run_medshare(db: str, *args: str, stdin: str | None = None, data: Path | None = None) -> str:
    """`medshare --db DB ARGS…` in its own process; it must succeed; what it printed."""
    env = dict(os.environ)
    if data is not None:  # each desk its own computer: data folder (evidence copies, logs) of its own
        env["MEDSHARE_DATA_DIR"] = str(data)
    done = subprocess.run(
        [sys.executable, "-m", "medshare_desktop", "--db", db, *args],
        input=stdin, capture_output=True, text=True, timeout=300, check=False, env=env,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def a_day_next_month() -> date:
    """The 15th of next month: a day in the future whatever today is."""
    return (date.today().replace(day=1) + timedelta(days=40)).replace(day=15)


def review_repurpose_and_approve(services, post_id: int, person_id: int) -> Post:  # noqa: ANN001 - Services
    """Review the imported ORIGINAL: review cannot be walked round its high finding; repurposed to APPROVED,
    the finding is fixed and the post approved (its original text kept). Returns the post under review."""
    post = services.posts.start_review(services.posts.get(post_id))
    assert post.person_id == person_id
    highs = [r for r in services.posts.findings(post.id) if r.finding.severity is Severity.HIGH]
    assert highs, "the patient detail is a high-severity finding"
    with pytest.raises(WorkflowError):  # review cannot be walked round: neither "fixed" nor approval
        services.risk.mark_fixed(highs[0].id)
    with pytest.raises(WorkflowError):
        services.posts.resolve_finding(highs[0].id, Resolution.FIXED)
    with pytest.raises(WorkflowError):
        services.posts.approve(services.posts.get(post.id))

    edited = services.risk.repurpose(post, APPROVED)
    assert {r.finding.text for r in edited.fixed} >= {r.finding.text for r in highs}
    approved = services.posts.approve(edited.post)
    assert approved.state is PostState.APPROVED and approved.text == ORIGINAL
    return post


def assert_month_goes_out_as_approved(pdf: Path, ics: Path) -> None:
    """The printed month and the invites carry the approved, edited text and none of the removed detail."""
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    printed_words = " ".join(printed.split())
    assert "Dr. Anika Patel" in printed_words
    assert "stroke" in printed_words and "best" in printed_words  # the approved text is printed
    for detail in REMOVED_DETAIL:
        assert detail not in printed_words

    [event] = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    description = str(event["DESCRIPTION"])
    assert APPROVED[:100] in " ".join(description.split())
    assert "Approved text to share (edited from the original post)" in description
    assert "share the approved text" in description  # the link leads to the original: say so
    for detail in REMOVED_DETAIL:
        assert detail not in description
