"""Read-side use cases of the consent register: affected re-shares, reminders, the CSV export."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TextIO, cast

from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope, Person, PostState
from medshare_desktop.core.ports import ConsentUnitOfWork, StoredEvidence, UnitOfWork
from medshare_desktop.core.rules.consent import (
    ConsentStatus,
    expiring,
    missing_scopes,
    post_scopes,
    record_status,
)
from medshare_desktop.core.rules.schedule_checks import photo_problems

FAR_FUTURE = date(9999, 12, 31)
CSV_COLUMNS = (
    "person",
    "department",
    "scopes",
    "channels",
    "granted_on",
    "expires_on",
    "revoked_on",
    "revoke_reason",
    "status_today",
    "evidence_sha256",
    "recorded_by",
    "recorded_at",
)


@dataclass(frozen=True, slots=True)
class AffectedShare:
    """A planned re-share that uses somebody's name or photo without valid consent on its day."""

    share_id: int
    post_id: int
    day: date
    channel: Channel
    person_name: str  # the post's author as the calendar shows it
    excerpt: str
    reason: str  # e.g. "Dr Ana Ruiz: photo (revoked)"


@dataclass(frozen=True, slots=True)
class ExpiringConsent:
    person: Person
    record: ConsentRecord
    days_left: int


@dataclass(frozen=True, slots=True)
class PersonConsent:
    """Everything the details pane and the printed sheet show about one person."""

    person: Person
    current: list[ConsentRecord]
    history: list[ConsentRecord]  # every version, oldest first
    statuses: dict[tuple[ConsentScope, Channel], ConsentStatus]
    evidence: dict[str, StoredEvidence]  # by sha256
    on: date


def photo_consent_problems(tx: UnitOfWork, post_id: int, channel: Channel, day: date) -> list[str]:
    """One sentence per person tagged in the post's photos who has no valid photo consent that day."""
    tags = cast(ConsentUnitOfWork, tx).photo_tags.for_post(post_id)
    return photo_problems(((tag.person_name, tx.consents.current(tag.person_id)) for tag in tags), channel, day)


def _revocation_start(records: Iterable[ConsentRecord], today: date) -> date:
    return min([r.revoked_on for r in records if r.revoked_on is not None] + [today])


def affected_shares(tx: UnitOfWork, person_id: int | None, today: date) -> list[AffectedShare]:
    """Scheduled, not yet shared re-shares from the person's earliest revocation (or today) onwards that
    need a scope the person (as author or tagged in the photo) no longer covers on that day and channel."""
    records: dict[int, list[ConsentRecord]] = {}
    for record in tx.consents.current(person_id):
        records.setdefault(record.person_id, []).append(record)
    names = {p.id: p.name for p in tx.people.list()}
    starts = {pid: _revocation_start(recs, today) for pid, recs in records.items()}
    first = min([*starts.values(), today])
    tags = cast(ConsentUnitOfWork, tx).photo_tags
    found = []
    for entry in tx.schedule.between(first, FAR_FUTURE):
        share = entry.share
        post = tx.posts.get(share.post_id)
        if post.state is PostState.SHARED or share.id is None:
            continue
        uses: list[tuple[int, set[ConsentScope]]] = []
        if entry.person_id is not None:
            uses.append((entry.person_id, post_scopes(bool(post.media))))
        uses += [(tag.person_id, {ConsentScope.PHOTO}) for tag in tags.for_post(share.post_id)]
        reasons = []
        for pid, scopes in uses:
            if person_id is not None and pid != person_id:
                continue
            if share.day < starts.get(pid, today):
                continue
            gaps = missing_scopes(records.get(pid, []), scopes, share.channel, share.day)
            if gaps:
                reasons.append(f"{names.get(pid, f'person {pid}')}: {', '.join(gaps)}")
        if reasons:
            found.append(
                AffectedShare(
                    share.id,
                    share.post_id,
                    share.day,
                    share.channel,
                    entry.person_name,
                    entry.excerpt,
                    "; ".join(reasons),
                )
            )
    return found


def expiring_consents(
    people: list[Person], records: list[ConsentRecord], today: date, days: int
) -> list[ExpiringConsent]:
    by_id = {p.id: p for p in people}
    return [
        ExpiringConsent(by_id[r.person_id], r, (r.expires_on - today).days)  # type: ignore[operator]
        for r in expiring(records, today, days)
        if r.person_id in by_id
    ]


def _cell(value: str) -> str:
    """Neutralise text a spreadsheet would run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_register_csv(target: TextIO, people: list[Person], records: list[ConsentRecord], today: date) -> int:
    """One row per current record (people in name order); returns the number of rows written."""
    by_id = {p.id: p for p in people}
    order = {p.id: i for i, p in enumerate(people)}
    writer = csv.writer(target)
    writer.writerow(CSV_COLUMNS)
    rows = sorted((r for r in records if r.person_id in by_id), key=lambda r: (order[r.person_id], r.granted_on))
    for r in rows:
        person = by_id[r.person_id]
        writer.writerow(
            [
                _cell(person.name),
                _cell(person.department),
                " ".join(sorted(s.value for s in r.scopes)),
                " ".join(sorted(c.value for c in r.channels)),
                r.granted_on.isoformat(),
                r.expires_on.isoformat() if r.expires_on else "",
                r.revoked_on.isoformat() if r.revoked_on else "",
                _cell(r.revoke_reason),
                record_status(r, today).value,
                r.evidence_sha256,
                _cell(r.recorded_by),
                r.recorded_at.isoformat() if r.recorded_at else "",
            ]
        )
    return len(rows)
