"""Evidence at approval: the snapshot of what was approved, as canonical JSON, and how it is checked.

The snapshot holds the exact text approved, every finding with its resolution (reviewer-added
"missed risk" marks included, with who marked them), the consent records in force for the people the
post uses, and who approved it when. Its canonical form (keys sorted, no spaces, UTF-8) is hashed with
SHA-256; the hash goes into the approval's audit event, so the sealed audit chain vouches for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from medshare_desktop.core.models import AuditEvent, ConsentRecord, MissedRisk, Person, Post, ReviewFinding
from medshare_desktop.core.rules import missed_risk
from medshare_desktop.core.rules.consent import record_status

FORMAT = "medshare-approval-evidence/1"
AUDIT_KEY = "evidence_sha256"
MATCH_LABEL = "Snapshot matches the sealed event"  # the key in the approval event's `after` that carries the hash


@dataclass(frozen=True, slots=True)
class ApprovalEvidence:
    """One stored snapshot (a row of approval_evidence: only ever added)."""

    id: int | None
    post_id: int
    approved_by: str
    approved_at: datetime
    sha256: str
    snapshot: str  # canonical JSON: exactly the text hashed
    audit_event_id: int | None = None


@dataclass(frozen=True, slots=True)
class ConsentInForce:
    record: ConsentRecord
    person_name: str
    role: str  # "author" or "shown in the photo"


def canonical(document: Mapping[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def digest(snapshot: str | bytes) -> str:
    data = snapshot.encode("utf-8") if isinstance(snapshot, str) else snapshot
    return hashlib.sha256(data).hexdigest()


def _when(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _finding(review: ReviewFinding, marks: Mapping[int, MissedRisk]) -> dict[str, Any]:
    f = review.finding
    entry: dict[str, Any] = {
        "id": review.id,
        "category": f.category.value,
        "kind": f.kind,
        "severity": f.severity.value,
        "rule": f.rule,
        "text": f.text,
        "start": f.start,
        "end": f.end,
        "message": f.message,
        "resolution": review.resolution.value if review.resolution is not None else None,
        "resolution_reason": review.resolution_reason,
        "resolved_by": review.resolved_by,
        "resolved_at": _when(review.resolved_at),
        "reviewer_added": missed_risk.is_reviewer_finding(f),
    }
    mark_id = missed_risk.mark_id(f)
    mark = marks.get(mark_id) if mark_id is not None else None
    if mark is not None:
        entry["marked_by"] = mark.marked_by
        entry["marked_at"] = _when(mark.marked_at)
        entry["mark_note"] = mark.note
    return entry


def _consent(item: ConsentInForce, on: date) -> dict[str, Any]:
    r = item.record
    return {
        "id": r.id,
        "person_id": r.person_id,
        "person": item.person_name,
        "role": item.role,
        "scopes": sorted(s.value for s in r.scopes),
        "channels": sorted(c.value for c in r.channels),
        "granted_on": _day(r.granted_on),
        "expires_on": _day(r.expires_on),
        "revoked_on": _day(r.revoked_on),
        "status_on_approval": record_status(r, on).value,
        "evidence_sha256": r.evidence_sha256,
        "evidence_file": r.evidence_path.rsplit("/", 1)[-1] if r.evidence_path else "",
        "recorded_by": r.recorded_by,
        "recorded_at": _when(r.recorded_at),
        "supersedes_id": r.supersedes_id,
    }


def in_force(records: Iterable[ConsentRecord], on: date) -> list[ConsentRecord]:
    """The records that allow some use on that day (valid or expiring; not revoked, expired or not yet)."""
    return [r for r in records if record_status(r, on).allows_use]


def build_snapshot(
    post: Post,
    person: Person | None,
    findings: Sequence[ReviewFinding],
    marks: Sequence[MissedRisk],
    consents: Sequence[ConsentInForce],
    approved_by: str,
    approved_at: datetime,
    consent_day: date,
) -> str:
    """The canonical JSON of an approval (pure: the same inputs give the same bytes)."""
    by_mark = {m.id: m for m in marks if m.id is not None}
    document = {
        "format": FORMAT,
        "approved_by": approved_by,
        "approved_at": _when(approved_at),
        "post": {
            "id": post.id,
            "platform": post.platform.value,
            "author": post.author,
            "url": post.url,
            "external_id": post.external_id,
            "posted_at": _when(post.posted_at),
            "original_text": post.text,
            "approved_text": post.text_for_share,
            "repurposed": post.repurposed_text is not None,
            "media": list(post.media),
            "content_hash": post.content_hash,
            "version": post.version,
        },
        "person": (
            {"id": person.id, "name": person.name, "department": person.department} if person is not None else None
        ),
        "findings": [_finding(r, by_mark) for r in sorted(findings, key=lambda r: (r.finding.start, r.id or 0))],
        "consent_checked_on": consent_day.isoformat(),
        "consent_in_force": [_consent(c, consent_day) for c in consents],
    }
    return canonical(document)


# --- checking -----------------------------------------------------------------------------------


def recorded_hash(event: AuditEvent) -> str:
    """The snapshot hash an approval event carries ("" when it carries none)."""
    try:
        after = json.loads(event.after) if event.after else {}
    except ValueError:
        return ""
    value = after.get(AUDIT_KEY, "") if isinstance(after, dict) else ""
    return value if isinstance(value, str) else ""


@dataclass(frozen=True, slots=True)
class EvidenceCheck:
    """Whether a snapshot is the one the audit trail sealed, and whether the trail itself holds."""

    post_id: int | None
    computed_sha256: str  # of the snapshot's bytes as they are now
    stored_sha256: str  # the hash kept beside the snapshot ("" when checking a file against the trail)
    event: AuditEvent | None  # the approval event the snapshot should match
    chain_problems: Sequence[str] = ()
    chain_events: int = 0
    snapshot_problems: Sequence[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return not self.snapshot_problems

    @property
    def chain_intact(self) -> bool:
        return not self.chain_problems

    @property
    def verified(self) -> bool:
        return self.matches and self.chain_intact

    def lines(self) -> list[str]:
        """verification.txt: the verdict first, then each fact it rests on."""
        verdict = (
            "VERIFIED: the snapshot is the one sealed in the audit trail, and the trail is intact."
            if self.verified
            else "NOT VERIFIED: "
            + ("the snapshot does not match the sealed audit event" if not self.matches else "")
            + (" and " if not self.matches and not self.chain_intact else "")
            + ("the audit trail is not intact" if not self.chain_intact else "")
            + "."
        )
        out = [verdict, ""]
        for label, value in self.facts():
            out.append(f"{label}: {value}")
            if label == MATCH_LABEL:
                out.extend(f"  - {p}" for p in self.snapshot_problems)
        out.extend(f"  - {p}" for p in self.chain_problems)
        return out

    def facts(self) -> list[tuple[str, str]]:
        """(label, value) pairs behind the verdict, in the order verification.txt gives them."""
        out = [("Post", str(self.post_id)), ("SHA-256 of snapshot.json", self.computed_sha256)]
        if self.stored_sha256:
            out.append(("SHA-256 stored with the snapshot", self.stored_sha256))
        if self.event is not None:
            out.append((
                f"Audit event {self.event.id} ({self.event.action} by {self.event.actor}, {_when(self.event.at)}) records",
                recorded_hash(self.event) or "(no hash)",
            ))
            out.append(("Seal of that event" + (f" (key {self.event.key_id})" if self.event.key_id else ""),
                        self.event.hash))
        out.append((MATCH_LABEL, "yes" if self.matches else "NO"))
        out.append((f"Audit trail ({self.chain_events} events) verifies", "yes" if self.chain_intact else "NO"))
        return out


def check_snapshot(
    snapshot: str | bytes,
    stored_sha256: str,
    event: AuditEvent | None,
    candidates: Sequence[AuditEvent] = (),
) -> tuple[int | None, str, AuditEvent | None, list[str]]:
    """Compare a snapshot with the approval event that sealed its hash.

    `event`: the event stored with the snapshot (None when checking an exported file: then the event among
    `candidates` — the post's approval events — that records this hash is looked for).
    Returns (post id, computed hash, the event compared with, problems)."""
    computed = digest(snapshot)
    problems: list[str] = []
    post_id: int | None = None
    try:
        document = json.loads(snapshot)
        post = document.get("post") if isinstance(document, dict) else None
        post_id = post.get("id") if isinstance(post, dict) and isinstance(post.get("id"), int) else None
        if not isinstance(document, dict) or document.get("format") != FORMAT:
            problems.append("The snapshot is not a MedShare approval evidence document.")
    except ValueError:
        problems.append("The snapshot is not valid JSON.")
    if stored_sha256 and stored_sha256 != computed:
        problems.append("The snapshot's content does not match the hash stored with it: it was changed after approval.")
    if event is None:
        event = next((e for e in candidates if recorded_hash(e) == computed), None)
        if event is None:
            problems.append(
                f"No approval in the audit trail for post {post_id} records this snapshot's hash: "
                "it was changed after approval, or it is not from this database."
            )
            return post_id, computed, (candidates[-1] if candidates else None), problems
    if recorded_hash(event) != computed:
        problems.append(
            f"The snapshot's hash differs from the one sealed in audit event {event.id}: "
            "the snapshot was changed after approval."
        )
    if post_id is not None and event.entity_id != post_id:
        problems.append(f"Audit event {event.id} is about post {event.entity_id}, not post {post_id}.")
    return post_id, computed, event, problems
