"""The checks a re-share on a day must pass, as pure functions: the schedule service and the month planner
both call these, so a drafted month and a re-share placed by hand are held to the same rules.

Order (as the schedule service applies them): no past day, the author's consent for every scope the post
uses, the photo consent of everyone tagged in its photos, then the cadence rules (core/rules/cadence.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope
from medshare_desktop.core.rules.consent import consent_status, missing_scopes


def past_day_problem(day: date, today: date) -> str | None:
    """Why a re-share may not go on `day` without allow_past (None: the day is today or later)."""
    if day < today:
        return (
            f"{day:%a %d %b %Y} is in the past; confirm that the re-share goes on a past day "
            "(allow_past) or choose a later day."
        )
    return None


def open_high_problem(open_high_findings: int) -> str | None:
    """Why a post with unresolved high-severity findings may not be scheduled (None: it has none)."""
    if open_high_findings:
        return "This post has unresolved high-severity findings and cannot be scheduled."
    return None


def author_consent_problem(
    name: str, records: Iterable[ConsentRecord], scopes: Iterable[ConsentScope], channel: Channel, day: date
) -> str | None:
    """Why the author's consent does not cover the use on that day (None: every scope is covered)."""
    missing = missing_scopes(records, scopes, channel, day)
    if missing:
        return f"{name} has no valid consent for {', '.join(missing)} on {channel.label.lower()} on {day:%d %b %Y}."
    return None


def photo_problems(
    tagged: Iterable[tuple[str, Iterable[ConsentRecord]]], channel: Channel, day: date
) -> list[str]:
    """One sentence per person shown in the post's photos (name, their current records) who has no valid
    photo consent on that day and channel."""
    problems = []
    for name, records in tagged:
        status = consent_status(records, ConsentScope.PHOTO, channel, day)
        if not status.allows_use:
            problems.append(
                f"{name} is shown in the photo but has no valid photo consent "
                f"({status.label.lower()}) for {channel.label.lower()} on {day:%d %b %Y}."
            )
    return problems
