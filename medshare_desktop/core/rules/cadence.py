"""Cadence rules for the re-share calendar: monthly limit per person, per-day channel cap, spacing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from medshare_desktop.core.models import Channel

DEFAULT_MONTHLY_LIMIT = 2


@dataclass(frozen=True, slots=True)
class CadencePolicy:
    monthly_limit: int = DEFAULT_MONTHLY_LIMIT  # global default; a person's own limit wins
    per_day_channel_cap: int | None = None  # at most N re-shares per channel per day
    min_days_between: int = 0  # between two re-shares of the same person


@dataclass(frozen=True, slots=True)
class Slot:
    """An existing scheduled re-share, as the rules see it."""

    share_id: int | None
    person_id: int | None
    day: date
    channel: Channel


@dataclass(frozen=True, slots=True)
class Violation:
    rule: str  # "no_person" | "monthly_limit" | "day_cap" | "spacing"
    message: str


def no_person_violation() -> Violation:
    """A post linked to no person: its monthly limit and consent cannot be checked, so it is refused
    like a broken limit (an override with a typed reason lets it through, on the record)."""
    return Violation(
        "no_person",
        "This post is not linked to a person, so their consent and monthly limit cannot be checked. "
        "Assign a person in the inbox first (or override with a reason).",
    )


def effective_limit(policy: CadencePolicy, person_limit: int | None) -> int:
    return person_limit if person_limit is not None else policy.monthly_limit


def month_count(slots: Iterable[Slot], person_id: int, year: int, month: int) -> int:
    return sum(1 for s in slots if s.person_id == person_id and s.day.year == year and s.day.month == month)


def same_month(a: date, b: date) -> bool:
    return (a.year, a.month) == (b.year, b.month)


def limit_label(count: int, limit: int) -> str:
    """Text like "3 / 2 over", for screens and print: the state in words, not colour alone."""
    text = f"{count} / {limit}"
    if count > limit:
        return f"{text} over"
    if count == limit:
        return f"{text} full"
    return text


def check_slot(
    policy: CadencePolicy,
    existing: Iterable[Slot],
    candidate: Slot,
    person_name: str = "This person",
    person_limit: int | None = None,
    moving_from: date | None = None,
) -> list[Violation]:
    """Every rule the candidate would break, given the other scheduled re-shares.

    `existing` may include the candidate's own share (when moving it); it is left out by share_id.
    `moving_from` is the day a moved share leaves: a move inside one month never breaks the monthly
    limit (the month's count does not grow), even after the limit was lowered mid-month.
    Days are local calendar dates; a month is the calendar month of the candidate's day.
    """
    others = [s for s in existing if candidate.share_id is None or s.share_id != candidate.share_id]
    violations: list[Violation] = []
    if candidate.person_id is not None:
        limit = effective_limit(policy, person_limit)
        count = month_count(others, candidate.person_id, candidate.day.year, candidate.day.month)
        within_month = moving_from is not None and same_month(moving_from, candidate.day)
        if count >= limit and not within_month:
            plural = "re-share" if count == 1 else "re-shares"
            violations.append(
                Violation(
                    "monthly_limit",
                    f"{person_name} already has {count} {plural} in {candidate.day:%B %Y} (limit {limit} a month).",
                )
            )
        if policy.min_days_between > 0:
            for s in others:
                if s.person_id == candidate.person_id and abs((s.day - candidate.day).days) < policy.min_days_between:
                    violations.append(
                        Violation(
                            "spacing",
                            f"{person_name} has another re-share on {s.day:%d %b %Y}; at least "
                            f"{policy.min_days_between} days must lie between two.",
                        )
                    )
                    break
    if policy.per_day_channel_cap is not None:
        same_day = sum(1 for s in others if s.day == candidate.day and s.channel == candidate.channel)
        if same_day >= policy.per_day_channel_cap:
            violations.append(
                Violation(
                    "day_cap",
                    f"{candidate.day:%d %b %Y} already has {same_day} re-share(s) on "
                    f"{candidate.channel.label.lower()} (cap {policy.per_day_channel_cap} a day).",
                )
            )
    return violations
