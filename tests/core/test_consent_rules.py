"""Pure consent rules: boundary dates, several records, local calendar dates, evidence types."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope
from medshare_desktop.core.rules.consent import (
    ConsentStatus,
    consent_status,
    evidence_type,
    expiring,
    local_day,
    missing_scopes,
    next_expiry,
    post_scopes,
    record_status,
    validate_record,
)
from medshare_desktop.core.services.audit_service import AuditService
from medshare_desktop.core.services.consent_service import ConsentService

TODAY = date(2026, 11, 25)
NAME, PHOTO = ConsentScope.NAME, ConsentScope.PHOTO
SOCIAL, PRINT = Channel.PUBLIC_SOCIAL, Channel.PRINT


def rec(granted=TODAY - timedelta(days=100), expires=None, revoked=None, scopes=(NAME,), channels=(SOCIAL,), pid=1):
    return ConsentRecord(None, pid, frozenset(scopes), frozenset(channels), granted, expires, revoked)


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (rec(granted=TODAY), ConsentStatus.VALID),  # granted today: in force today
        (rec(granted=TODAY + timedelta(days=1)), ConsentStatus.NOT_YET),
        (rec(expires=TODAY), ConsentStatus.EXPIRING),  # expires today: still usable today
        (rec(expires=TODAY - timedelta(days=1)), ConsentStatus.EXPIRED),
        (rec(expires=TODAY + timedelta(days=29)), ConsentStatus.EXPIRING),
        (rec(expires=TODAY + timedelta(days=30)), ConsentStatus.VALID),
        (rec(revoked=TODAY - timedelta(days=1)), ConsentStatus.REVOKED),  # revoked yesterday
        (rec(revoked=TODAY), ConsentStatus.REVOKED),  # revoked today: takes effect today
        (rec(revoked=TODAY + timedelta(days=1)), ConsentStatus.VALID),  # revoked from tomorrow
        (rec(expires=TODAY - timedelta(days=5), revoked=TODAY - timedelta(days=1)), ConsentStatus.REVOKED),
    ],
)
def test_record_status_boundaries(record: ConsentRecord, expected: ConsentStatus) -> None:
    assert record_status(record, TODAY) is expected
    assert consent_status([record], NAME, SOCIAL, TODAY) is expected


def test_a_newer_valid_record_wins_over_a_revoked_one() -> None:
    revoked = rec(granted=date(2025, 1, 1), revoked=date(2026, 6, 1), scopes=(NAME, PHOTO))
    newer = rec(granted=date(2026, 9, 1), scopes=(NAME,))
    assert consent_status([revoked, newer], NAME, SOCIAL, TODAY) is ConsentStatus.VALID
    assert consent_status([revoked, newer], PHOTO, SOCIAL, TODAY) is ConsentStatus.REVOKED
    assert consent_status([revoked, newer], NAME, PRINT, TODAY) is ConsentStatus.NONE  # channel not covered
    assert missing_scopes([revoked, newer], {NAME, PHOTO}, SOCIAL, TODAY) == ["photo (revoked)"]
    assert missing_scopes([], {NAME}, SOCIAL, TODAY) == ["name (no consent)"]


def test_post_scopes() -> None:
    assert post_scopes(False) == {NAME}
    assert post_scopes(True) == {NAME, PHOTO}


def test_next_expiry_and_expiring_window_include_the_end_day() -> None:
    soon = rec(expires=TODAY + timedelta(days=30), pid=1)
    later = rec(expires=TODAY + timedelta(days=31), pid=2)
    gone = rec(expires=TODAY + timedelta(days=3), revoked=TODAY, pid=3)
    ends_today = rec(expires=TODAY, pid=4)
    assert expiring([soon, later, gone, ends_today], TODAY, 30) == [ends_today, soon]
    assert next_expiry([soon, later, gone], TODAY) == soon.expires_on
    assert next_expiry([rec()], TODAY) is None


def test_validate_record_refuses_a_range_that_ends_before_it_starts() -> None:
    with pytest.raises(ValidationError, match="cannot expire"):
        validate_record(rec(granted=TODAY, expires=TODAY - timedelta(days=1)))
    validate_record(rec(granted=TODAY, expires=TODAY))  # a one-day consent is fine


def test_local_day_uses_the_users_calendar_date() -> None:
    late_utc = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    assert local_day(late_utc, ZoneInfo("Pacific/Auckland")) == date(2026, 3, 2)
    assert local_day(late_utc, ZoneInfo("America/New_York")) == date(2026, 3, 1)
    assert local_day(datetime(2026, 3, 1, 23, 30), ZoneInfo("Pacific/Auckland")) == date(2026, 3, 2)  # naive = UTC


def test_consent_service_today_is_the_local_date_not_the_utc_date(monkeypatch: pytest.MonkeyPatch) -> None:
    """A UTC clock at 23:30 on 1 March: in Auckland the register already uses 2 March."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    time.tzset()
    try:
        clock = lambda: datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # noqa: E731
        service = ConsentService(lambda: None, AuditService(lambda: None, "t"), clock=clock)  # type: ignore[arg-type,return-value]
        assert service.today() == date(2026, 3, 2)
        monkeypatch.setenv("TZ", "America/New_York")
        time.tzset()
        assert service.today() == date(2026, 3, 1)
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"GIF89a", None),
        (b"", None),
        (b"PK\x03\x04", None),
    ],
)
def test_evidence_type_from_magic_bytes(head: bytes, kind: str | None) -> None:
    found = evidence_type(head)
    assert (found[0] if found else None) == kind


@given(
    offsets=st.lists(st.tuples(st.integers(-50, 50), st.integers(0, 80), st.booleans()), min_size=0, max_size=4),
)
def test_consent_allows_use_iff_some_record_allows_it(offsets: list[tuple[int, int, bool]]) -> None:
    records = [
        rec(granted=TODAY + timedelta(days=g), expires=TODAY + timedelta(days=g + length), revoked=TODAY if r else None)
        for g, length, r in offsets
    ]
    allowed = consent_status(records, NAME, SOCIAL, TODAY).allows_use
    assert allowed == any(record_status(r, TODAY).allows_use for r in records)
