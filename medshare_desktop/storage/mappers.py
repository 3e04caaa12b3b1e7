"""Row ⇄ core-model conversion. Core models never leave a session attached to it."""

from __future__ import annotations

from medshare_desktop.core.models import (
    AuditEvent,
    Channel,
    ConsentRecord,
    ConsentScope,
    Finding,
    Person,
    Platform,
    Post,
    PostState,
    Resolution,
    ReviewFinding,
    RiskCategory,
    Role,
    ScheduledShare,
    Severity,
    SourceAccount,
)
from medshare_desktop.storage.orm import (
    AuditEventRow,
    ConsentRecordRow,
    FindingRow,
    PersonRow,
    PostRow,
    ScheduledShareRow,
    SourceAccountRow,
)


def _lines(value: str) -> tuple[str, ...]:
    return tuple(line for line in value.split("\n") if line)


def person(row: PersonRow) -> Person:
    return Person(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        department=row.department,
        email=row.email,
        monthly_limit=row.monthly_limit,
        active=row.active,
        aliases=_lines(row.aliases),
    )


def person_fields(p: Person) -> dict[str, object]:
    return {
        "name": p.name,
        "role": p.role.value,
        "department": p.department,
        "email": p.email,
        "monthly_limit": p.monthly_limit,
        "active": p.active,
        "aliases": "\n".join(p.aliases),
    }


def account(row: SourceAccountRow) -> SourceAccount:
    return SourceAccount(
        id=row.id,
        person_id=row.person_id,
        platform=Platform(row.platform),
        handle=row.handle,
        watched=row.watched,
        feed_url=row.feed_url,
    )


def post(row: PostRow) -> Post:
    return Post(
        id=row.id,
        platform=Platform(row.platform),
        author=row.author,
        text=row.text,
        posted_at=row.posted_at,
        external_id=row.external_id,
        url=row.url,
        media=_lines(row.media),
        source_account_id=row.source_account_id,
        person_id=row.person_id,
        imported_at=row.imported_at,
        state=PostState(row.state),
        repurposed_text=row.repurposed_text,
        reject_reason=row.reject_reason,
        shared_url=row.shared_url,
        content_hash=row.content_hash,
        version=row.version,
    )


def finding(row: FindingRow) -> ReviewFinding:
    return ReviewFinding(
        id=row.id,
        post_id=row.post_id,
        finding=Finding(
            start=row.start,
            end=row.end,
            text=row.text,
            category=RiskCategory(row.category),
            kind=row.kind,
            severity=Severity(row.severity),
            rule=row.rule,
            message=row.message,
            suggestion=row.suggestion,
        ),
        resolution=Resolution(row.resolution) if row.resolution else None,
        resolution_reason=row.resolution_reason,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
    )


def _split(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


def consent(row: ConsentRecordRow) -> ConsentRecord:
    return ConsentRecord(
        id=row.id,
        person_id=row.person_id,
        scopes=frozenset(ConsentScope(v) for v in _split(row.scopes)),
        channels=frozenset(Channel(v) for v in _split(row.channels)),
        granted_on=row.granted_on,
        expires_on=row.expires_on,
        revoked_on=row.revoked_on,
        revoke_reason=row.revoke_reason,
        evidence_path=row.evidence_path,
        evidence_sha256=row.evidence_sha256,
        notes=row.notes,
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        supersedes_id=row.supersedes_id,
    )


def consent_fields(r: ConsentRecord) -> dict[str, object]:
    return {
        "person_id": r.person_id,
        "scopes": ",".join(sorted(s.value for s in r.scopes)),
        "channels": ",".join(sorted(c.value for c in r.channels)),
        "granted_on": r.granted_on,
        "expires_on": r.expires_on,
        "revoked_on": r.revoked_on,
        "revoke_reason": r.revoke_reason,
        "evidence_path": r.evidence_path,
        "evidence_sha256": r.evidence_sha256,
        "notes": r.notes,
        "recorded_by": r.recorded_by,
        "recorded_at": r.recorded_at,
        "supersedes_id": r.supersedes_id,
    }


def share(row: ScheduledShareRow) -> ScheduledShare:
    return ScheduledShare(
        id=row.id,
        post_id=row.post_id,
        day=row.day,
        channel=Channel(row.channel),
        override_reason=row.override_reason,
        created_by=row.created_by,
    )


def audit(row: AuditEventRow) -> AuditEvent:
    return AuditEvent(
        id=row.id,
        at=row.at,
        actor=row.actor,
        action=row.action,
        entity=row.entity,
        entity_id=row.entity_id,
        before=row.before,
        after=row.after,
        prev_hash=row.prev_hash,
        hash=row.hash,
        key_id=row.key_id,
    )
