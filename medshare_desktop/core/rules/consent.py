"""Whether a person's consent covers a use (scope + channel) on a given day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope

EXPIRY_WARNING_DAYS = 30


class ConsentStatus(StrEnum):
    VALID = "valid"
    EXPIRING = "expiring"  # valid, but ends within the warning window
    EXPIRED = "expired"
    REVOKED = "revoked"
    NOT_YET = "not_yet"  # granted from a later date
    NONE = "none"

    @property
    def allows_use(self) -> bool:
        return self in (ConsentStatus.VALID, ConsentStatus.EXPIRING)

    @property
    def label(self) -> str:
        return {
            "valid": "Valid",
            "expiring": "Expiring soon",
            "expired": "Expired",
            "revoked": "Revoked",
            "not_yet": "Not yet in force",
            "none": "No consent",
        }[self.value]


def record_status(record: ConsentRecord, on_date: date, warn_days: int = EXPIRY_WARNING_DAYS) -> ConsentStatus:
    """Status of one record on a day. Consent runs from granted_on to expires_on inclusive;
    a revocation takes effect on its date."""
    if record.revoked_on is not None and record.revoked_on <= on_date:
        return ConsentStatus.REVOKED
    if on_date < record.granted_on:
        return ConsentStatus.NOT_YET
    if record.expires_on is not None:
        if on_date > record.expires_on:
            return ConsentStatus.EXPIRED
        if record.expires_on - on_date < timedelta(days=warn_days):
            return ConsentStatus.EXPIRING
    return ConsentStatus.VALID


_PRECEDENCE = [
    ConsentStatus.VALID,
    ConsentStatus.EXPIRING,
    ConsentStatus.REVOKED,
    ConsentStatus.EXPIRED,
    ConsentStatus.NOT_YET,
    ConsentStatus.NONE,
]


def consent_status(
    records: Iterable[ConsentRecord],
    scope: ConsentScope,
    channel: Channel,
    on_date: date,
    warn_days: int = EXPIRY_WARNING_DAYS,
) -> ConsentStatus:
    """The best status among a person's current records that cover `scope` on `channel`.

    A revocation of one record does not cancel another record that still covers the use; a
    record that does not cover the scope or channel counts as no consent for it.
    """
    best = ConsentStatus.NONE
    for record in records:
        if scope not in record.scopes or channel not in record.channels:
            continue
        status = record_status(record, on_date, warn_days)
        if _PRECEDENCE.index(status) < _PRECEDENCE.index(best):
            best = status
    return best


def validate_record(record: ConsentRecord) -> None:
    if not record.scopes:
        raise ValidationError("Choose at least one scope (name, photo, story or video) for the consent.")
    if not record.channels:
        raise ValidationError("Choose at least one channel (internal, public social or print) for the consent.")
    if record.expires_on is not None and record.expires_on < record.granted_on:
        raise ValidationError(
            f"The consent cannot expire ({record.expires_on:%d %b %Y}) before it is granted "
            f"({record.granted_on:%d %b %Y})."
        )
    if record.revoked_on is not None and record.revoked_on < record.granted_on:
        raise ValidationError("The consent cannot be revoked before the day it was granted.")


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar date of an instant where the user is (or in `tz`). Consent dates are local calendar
    dates: at 23:30 UTC on 1 March a clock in Auckland already reads 2 March. A naive moment counts as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(tz).date()


def post_scopes(has_media: bool) -> set[ConsentScope]:
    """What re-sharing a post uses of its author: the name always, a photo when media is attached."""
    return {ConsentScope.NAME, ConsentScope.PHOTO} if has_media else {ConsentScope.NAME}


def missing_scopes(
    records: Iterable[ConsentRecord], scopes: Iterable[ConsentScope], channel: Channel, on_date: date
) -> list[str]:
    """One phrase per scope not covered on that day, e.g. "photo (revoked)"; empty when all are covered."""
    records = list(records)
    missing = []
    for scope in sorted(set(scopes)):
        status = consent_status(records, scope, channel, on_date)
        if not status.allows_use:
            missing.append(f"{scope.value} ({status.label.lower()})")
    return missing


def next_expiry(records: Iterable[ConsentRecord], on_date: date) -> date | None:
    """The earliest end date, on or after the day, among records still in force (None: nothing ends)."""
    ends = [
        r.expires_on
        for r in records
        if r.expires_on is not None and r.expires_on >= on_date and record_status(r, on_date).allows_use
    ]
    return min(ends) if ends else None


def expiring(records: Iterable[ConsentRecord], on_date: date, days: int) -> list[ConsentRecord]:
    """Records in force on the day that end within `days` days (the end day included), soonest first."""
    last = on_date + timedelta(days=days)
    found = [
        r
        for r in records
        if r.expires_on is not None and on_date <= r.expires_on <= last and record_status(r, on_date).allows_use
    ]
    return sorted(found, key=lambda r: (r.expires_on, r.person_id))


EVIDENCE_MAX_BYTES = 50 * 1024 * 1024
EVIDENCE_TYPES = (  # (magic bytes, media type, file suffix)
    (b"%PDF", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)


def evidence_type(head: bytes) -> tuple[str, str] | None:
    """(media type, suffix) of a signed-form file from its first bytes, or None when it is not PDF/JPEG/PNG."""
    for magic, media_type, suffix in EVIDENCE_TYPES:
        if head.startswith(magic):
            return media_type, suffix
    return None
