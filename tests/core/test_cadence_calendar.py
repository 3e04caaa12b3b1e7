"""Cadence rules for the calendar: month and year boundaries, overrides, limits, per-day cap, spacing."""

from __future__ import annotations

from datetime import date

from medshare_desktop.core.models import Channel
from medshare_desktop.core.rules.cadence import CadencePolicy, Slot, check_slot, effective_limit, limit_label

PUB, INT = Channel.PUBLIC_SOCIAL, Channel.INTERNAL


def slot(day: date, person: int | None = 1, share: int | None = None, channel: Channel = PUB) -> Slot:
    return Slot(share, person, day, channel)


def rules(violations: list) -> list[str]:
    return [v.rule for v in violations]


def test_third_in_a_month_is_refused_with_a_readable_message() -> None:
    existing = [slot(date(2026, 12, 1), share=1), slot(date(2026, 12, 20), share=2)]
    found = check_slot(CadencePolicy(), existing, slot(date(2026, 12, 31)), "Dr. Patel")
    assert rules(found) == ["monthly_limit"]
    assert found[0].message == "Dr. Patel already has 2 re-shares in December 2026 (limit 2 a month)."


def test_month_boundary_counts_each_month_on_its_own() -> None:
    existing = [slot(date(2026, 11, 29), share=1), slot(date(2026, 11, 30), share=2)]
    assert check_slot(CadencePolicy(), existing, slot(date(2026, 12, 1))) == []
    assert rules(check_slot(CadencePolicy(), existing, slot(date(2026, 11, 1)))) == ["monthly_limit"]


def test_december_to_january_is_a_new_month_and_a_new_year() -> None:
    existing = [slot(date(2026, 12, 30), share=1), slot(date(2026, 12, 31), share=2)]
    assert check_slot(CadencePolicy(), existing, slot(date(2027, 1, 1))) == []
    january = [slot(date(2027, 1, 1), share=3), slot(date(2027, 1, 31), share=4)]
    moved_in = check_slot(
        CadencePolicy(), existing + january, slot(date(2027, 1, 15), share=1), moving_from=date(2026, 12, 30)
    )
    assert rules(moved_in) == ["monthly_limit"]
    assert "January 2027" in moved_in[0].message


def test_spacing_crosses_the_year_boundary() -> None:
    policy = CadencePolicy(monthly_limit=5, min_days_between=3)
    found = check_slot(policy, [slot(date(2026, 12, 31), share=1)], slot(date(2027, 1, 2)), "Dr. Shah")
    assert rules(found) == ["spacing"]
    assert "31 Dec 2026" in found[0].message
    assert check_slot(policy, [slot(date(2026, 12, 31), share=1)], slot(date(2027, 1, 3))) == []


def test_person_limit_wins_over_the_global_default() -> None:
    existing = [slot(date(2026, 12, 1), share=1), slot(date(2026, 12, 2), share=2)]
    assert check_slot(CadencePolicy(monthly_limit=2), existing, slot(date(2026, 12, 3)), person_limit=3) == []
    assert rules(check_slot(CadencePolicy(monthly_limit=5), existing, slot(date(2026, 12, 3)), person_limit=2)) == [
        "monthly_limit"
    ]
    assert rules(check_slot(CadencePolicy(), [], slot(date(2026, 12, 3)), person_limit=0)) == ["monthly_limit"]
    assert effective_limit(CadencePolicy(monthly_limit=4), None) == 4
    assert effective_limit(CadencePolicy(monthly_limit=4), 1) == 1


def test_other_people_do_not_count() -> None:
    existing = [slot(date(2026, 12, 1), person=2, share=1), slot(date(2026, 12, 2), person=2, share=2)]
    assert check_slot(CadencePolicy(), existing, slot(date(2026, 12, 3), person=1)) == []


def test_per_day_channel_cap() -> None:
    policy = CadencePolicy(monthly_limit=10, per_day_channel_cap=1)
    existing = [slot(date(2026, 12, 4), person=2, share=1)]
    found = check_slot(policy, existing, slot(date(2026, 12, 4)))
    assert rules(found) == ["day_cap"]
    assert "cap 1 a day" in found[0].message
    assert check_slot(policy, existing, slot(date(2026, 12, 4), channel=INT)) == []
    assert check_slot(policy, existing, slot(date(2026, 12, 5))) == []


def test_moving_a_share_does_not_count_itself() -> None:
    existing = [slot(date(2026, 12, 1), share=1), slot(date(2026, 12, 2), share=2)]
    assert check_slot(CadencePolicy(), existing, slot(date(2026, 12, 9), share=2), moving_from=date(2026, 12, 2)) == []


def test_limit_lowered_mid_month_still_allows_moves_inside_the_month() -> None:
    existing = [slot(date(2026, 12, d), share=d) for d in (1, 8, 15)]  # scheduled while the limit was 3
    lowered = CadencePolicy(monthly_limit=2)
    assert check_slot(lowered, existing, slot(date(2026, 12, 22), share=15), moving_from=date(2026, 12, 15)) == []
    assert rules(check_slot(lowered, existing, slot(date(2026, 12, 22)))) == ["monthly_limit"]
    november = check_slot(
        lowered,
        existing + [slot(date(2026, 11, 2), share=9), slot(date(2026, 11, 3), share=10)],
        slot(date(2026, 12, 20), share=9),
        moving_from=date(2026, 11, 2),
    )
    assert rules(november) == ["monthly_limit"]


def test_limit_labels_say_the_state_in_words() -> None:
    assert limit_label(1, 2) == "1 / 2"
    assert limit_label(2, 2) == "2 / 2 full"
    assert limit_label(3, 2) == "3 / 2 over"
