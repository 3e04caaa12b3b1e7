"""Evidence at approval: the snapshot taken in the approval's transaction, its export and its check.

`take_snapshot` runs inside PostService's approval transaction: the snapshot (core/rules/
approval_evidence.py) is built from what the database holds at that moment, its SHA-256 goes into the
`post.approved` audit event (so the sealed chain vouches for it) and the snapshot is stored append-only
beside it. `EvidenceService` reads the snapshots back, checks one against the audit trail and
assembles the export (`medshare evidence POST_ID --out FILE.zip`, Inbox → Export evidence…).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from medshare_desktop.core.errors import MedshareError, WorkflowError
from medshare_desktop.core.models import Post, PostState
from medshare_desktop.core.ports import EvidenceStore, EvidenceUnitOfWork, UnitOfWork, UnitOfWorkFactory
from medshare_desktop.core.rules.approval_evidence import (
    ApprovalEvidence,
    ConsentInForce,
    EvidenceCheck,
    build_snapshot,
    check_snapshot,
    in_force,
    recorded_hash,
)
from medshare_desktop.core.rules.consent import local_day
from medshare_desktop.core.services.audit_service import AuditService

EXPORTABLE = (PostState.APPROVED, PostState.SCHEDULED, PostState.SHARED)
SNAPSHOT_NAME = "snapshot.json"
SUMMARY_NAME = "summary.pdf"
VERIFICATION_NAME = "verification.txt"
EVIDENCE_FOLDER = "consent-evidence"


def _day(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


def take_snapshot(tx: UnitOfWork, post: Post, approved_by: str, approved_at: datetime) -> str:
    """The canonical JSON of `post`'s approval, read in the approval's own transaction."""
    assert post.id is not None
    etx = cast(EvidenceUnitOfWork, tx)
    person = tx.people.get(post.person_id) if post.person_id is not None else None
    day = local_day(approved_at)
    consents: list[ConsentInForce] = []
    if person is not None and person.id is not None:
        consents += [ConsentInForce(r, person.name, "author") for r in in_force(tx.consents.current(person.id), day)]
    for tag in etx.photo_tags.for_post(post.id):
        if person is not None and tag.person_id == person.id:
            continue
        records = in_force(tx.consents.current(tag.person_id), day)
        consents += [ConsentInForce(r, tag.person_name, "shown in the photo") for r in records]
    return build_snapshot(
        post,
        person,
        tx.posts.findings(post.id),
        tx.missed_risks.for_post(post.id),
        consents,
        approved_by,
        approved_at,
        day,
    )


def keep_snapshot(tx: UnitOfWork, evidence: ApprovalEvidence) -> ApprovalEvidence:
    return cast(EvidenceUnitOfWork, tx).approval_evidence.add(evidence)


@dataclass(frozen=True, slots=True)
class EvidenceFile:
    sha256: str
    name: str  # the stored name in the evidence folder
    path: str  # "" when it could not be found
    problem: str = ""


@dataclass(frozen=True, slots=True)
class EvidencePackage:
    """Everything an export holds: the newest snapshot of the post, its check, the consent forms."""

    evidence: ApprovalEvidence
    document: dict[str, Any]
    check: EvidenceCheck
    files: list[EvidenceFile]
    earlier: int  # older snapshots of the same post (earlier approvals)

    def verification_lines(self) -> list[str]:
        lines = self.check.lines()
        if self.earlier:
            lines.append(f"Earlier approvals of this post kept as well: {self.earlier} snapshot(s).")
        if self.files:
            lines.append("Consent evidence files (folder consent-evidence/):")
            for f in self.files:
                lines.append(f"  {f.name}: " + ("SHA-256 matches the consent record" if not f.problem else f.problem))
        return lines


class EvidenceService:
    def __init__(self, uow: UnitOfWorkFactory, audit: AuditService, store: EvidenceStore | None = None) -> None:
        self._uow = uow
        self._audit = audit
        self._store = store

    def snapshots(self, post_id: int) -> list[ApprovalEvidence]:
        with self._uow() as tx:
            return cast(EvidenceUnitOfWork, tx).approval_evidence.for_post(post_id)

    def exportable(self, post_id: int) -> ApprovalEvidence:
        """The newest snapshot of an approved, scheduled or shared post; the reason otherwise."""
        with self._uow() as tx:
            post = tx.posts.get(post_id)  # NotFoundError: "Post N does not exist."
            if post.state not in EXPORTABLE:
                raise WorkflowError(
                    f"Post {post_id} is {post.state.label.lower()}: evidence is kept when a post is approved."
                )
            kept = cast(EvidenceUnitOfWork, tx).approval_evidence.for_post(post_id)
            sealed = [] if kept else [
                e for e in tx.audit.for_entity("post", post_id) if e.action == "post.approved" and recorded_hash(e)
            ]
        if sealed:
            raise WorkflowError(
                f"Post {post_id}'s evidence snapshot is missing from the database, though audit event {sealed[-1].id} "
                "records its hash: it was deleted behind the app's back."
            )
        if not kept:
            raise WorkflowError(
                f"Post {post_id} was approved before evidence was kept at approval: there is no snapshot to export."
            )
        return kept[-1]

    def verify(self, evidence: ApprovalEvidence) -> EvidenceCheck:
        """The stored snapshot against its own hash and the audit event that sealed it, and the whole trail."""
        with self._uow() as tx:
            events = tx.audit.for_entity("post", evidence.post_id)
            repository = cast(EvidenceUnitOfWork, tx).approval_evidence
            guards = repository.missing_guards()
            kept = {k.audit_event_id for k in repository.for_post(evidence.post_id)}
        event = next((e for e in events if e.id == evidence.audit_event_id), None)
        post_id, computed, event, problems = check_snapshot(evidence.snapshot, evidence.sha256, event)
        if event is None or event.id != evidence.audit_event_id:
            problems.append(f"The audit event {evidence.audit_event_id} stored with the snapshot is not in the trail.")
        problems += [  # an approval whose hash is sealed but whose snapshot is gone: deleted behind the app's back
            f"The snapshot of the approval in audit event {e.id} ({_day(e.at)}) is missing from the database: "
            "it was deleted."
            for e in events
            if e.action == "post.approved" and recorded_hash(e) and e.id not in kept
        ]
        return self._with_chain(post_id, computed, evidence.sha256, event, problems, guards)

    def verify_file(self, snapshot: bytes) -> EvidenceCheck:
        """An exported snapshot.json against this database's audit trail."""
        post_id: int | None = None
        try:
            post = json.loads(snapshot).get("post", {})
            post_id = post.get("id") if isinstance(post.get("id"), int) else None
        except (ValueError, AttributeError):
            pass
        with self._uow() as tx:
            events = tx.audit.for_entity("post", post_id) if post_id is not None else []
            guards = cast(EvidenceUnitOfWork, tx).approval_evidence.missing_guards()
        approvals = [e for e in events if e.action == "post.approved"]
        post_id, computed, event, problems = check_snapshot(snapshot, "", None, approvals)
        return self._with_chain(post_id, computed, "", event, problems, guards)

    def _with_chain(
        self, post_id: int | None, computed: str, stored: str, event: Any, problems: list[str], guards: Sequence[str]
    ) -> EvidenceCheck:
        report = self._audit.check()
        chain = list(report.problems) + [
            f"The append-only trigger {name} is missing: approval snapshots can be changed or deleted without an error."
            for name in guards
        ]
        return EvidenceCheck(post_id, computed, stored, event, chain, report.events, problems)

    def package(self, post_id: int) -> EvidencePackage:
        evidence = self.exportable(post_id)
        earlier = len(self.snapshots(post_id)) - 1
        check = self.verify(evidence)
        try:
            document = json.loads(evidence.snapshot)
        except ValueError:
            document = {}
        return EvidencePackage(evidence, document, check, self._files(document), earlier)

    def _files(self, document: dict[str, Any]) -> list[EvidenceFile]:
        files: dict[str, EvidenceFile] = {}
        for consent in document.get("consent_in_force", []) or []:
            sha, name = consent.get("evidence_sha256") or "", consent.get("evidence_file") or ""
            if not sha or sha in files:
                continue
            if self._store is None or not name:
                files[sha] = EvidenceFile(sha, name or sha, "", "not available: no evidence folder")
                continue
            try:
                path = self._store.locate(name)
                data = Path(path).read_bytes()
            except MedshareError as exc:  # the store names where it looked: the evidence folder, or the database
                files[sha] = EvidenceFile(sha, name, "", str(exc))
                continue
            except OSError as exc:
                files[sha] = EvidenceFile(sha, name, "", f"The stored evidence {name} cannot be read ({exc.strerror or exc}).")
                continue
            ok = hashlib.sha256(data).hexdigest() == sha
            files[sha] = EvidenceFile(sha, name, path, "" if ok else "its content no longer matches the recorded SHA-256")
        return list(files.values())


def write_zip(target: str | Path, package: EvidencePackage, summary_pdf: bytes) -> Path:
    """snapshot.json (the exact bytes hashed), summary.pdf, verification.txt and the consent forms."""
    target = Path(target)
    if not target.parent.is_dir():
        raise MedshareError(f"{target.parent}: no such folder")
    handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".evidence-", suffix=".zip")
    os.close(handle)
    try:
        with zipfile.ZipFile(temp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(SNAPSHOT_NAME, package.evidence.snapshot.encode("utf-8"))
            archive.writestr(SUMMARY_NAME, summary_pdf)
            archive.writestr(VERIFICATION_NAME, "\n".join(package.verification_lines()) + "\n")
            for f in package.files:
                if f.path:
                    archive.write(f.path, f"{EVIDENCE_FOLDER}/{f.name}")
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise MedshareError(f"{target}: cannot be written ({exc.strerror})") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def read_zip_snapshot(source: str | Path) -> bytes:
    """snapshot.json from an exported zip, or MedshareError naming what is wrong with the file."""
    try:
        with zipfile.ZipFile(source) as archive:
            return archive.read(SNAPSHOT_NAME)
    except FileNotFoundError:
        raise MedshareError(f"{source}: no such file") from None
    except KeyError:
        raise MedshareError(f"{source}: holds no {SNAPSHOT_NAME} (not an evidence export)") from None
    except (zipfile.BadZipFile, OSError):
        raise MedshareError(f"{source}: not a zip file") from None


SummaryWriter = Callable[[EvidencePackage], bytes]


def export_zip(service: EvidenceService, post_id: int, target: str | Path, summary: SummaryWriter) -> EvidencePackage:
    """The whole export: package, PDF summary (rendered by `summary`, a Qt painter in ui/printing), zip."""
    package = service.package(post_id)
    write_zip(target, package, summary(package))
    return package

