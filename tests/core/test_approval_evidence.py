"""Evidence at approval, through the real services on a real SQLite file: the snapshot kept in the approval's
transaction, its hash sealed in the audit chain, append-only storage, and tampering that verify must catch."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from medshare_desktop.core.models import (
    Channel,
    ConsentRecord,
    ConsentScope,
    Finding,
    Person,
    Resolution,
    RiskCategory,
    Severity,
)
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.approval_evidence import digest
from tests.behind_the_back import drop_trigger
from tests.conftest import make_imported

ROOM = "room 412"


def _reviewed_post(services, tmp_path: Path):
    """A post by a person with consent on file (a signed form attached), a high finding accepted with a
    reason and a reviewer's missed-risk mark accepted too: ready to approve."""
    person = services.people.add_person(Person(None, "Dr. Anika Patel", department="Cardiology"))
    form = tmp_path / "signed consent.pdf"
    form.write_bytes(b"%PDF-1.4\n% signed by Dr. Patel\n%%EOF\n")
    stored = services.consent.attach_evidence(str(form))
    today = services.consent.today()
    services.consent.add_record(ConsentRecord(
        None, person.id, frozenset({ConsentScope.NAME, ConsentScope.PHOTO}), frozenset({Channel.PUBLIC_SOCIAL}),
        today - timedelta(days=10), expires_on=today + timedelta(days=300),
        evidence_path=stored.stored_name, evidence_sha256=stored.sha256,
    ))
    services.consent.add_record(ConsentRecord(  # expired: not in force, so not in the snapshot
        None, person.id, frozenset({ConsentScope.STORY}), frozenset({Channel.PRINT}),
        date(2020, 1, 1), expires_on=date(2020, 12, 31),
    ))
    services.posts.store_imported(make_imported(1), [], "test", person_id=person.id)
    post = services.posts.start_review(services.posts.get(services.posts.query(PostFilter())[0].id))
    body = post.text_for_share + f" Met the family in {ROOM}."
    post = services.posts.repurpose(post, body)
    start = body.index(ROOM)
    [high] = services.posts.store_findings(post.id, [
        Finding(start, start + len(ROOM), ROOM, RiskCategory.PHI, "location", Severity.HIGH, "phi.room", "A room."),
    ])
    services.posts.resolve_finding(high.id, Resolution.ACCEPTED, "Room 412 is the team's seminar room.")
    words = "flu shot clinic"
    at = body.index(words)
    marked = services.missed_risks.mark(post.id, at, at + len(words), RiskCategory.DISCOVERABLE, "Names the clinic.")
    [mark] = [r for r in marked if r.finding.rule.startswith("reviewer.")]
    services.posts.resolve_finding(mark.id, Resolution.ACCEPTED, "The clinic is public.")
    return services.posts.get(post.id), stored.sha256


def _edit_and_approve_again(services, post) -> None:
    """An approved post edited (back to review), checked again and approved again."""
    edited = services.posts.repurpose(services.posts.get(post.id), post.repurposed_text + " Thank you all!")
    engine = [f.finding for f in services.posts.findings(edited.id) if not f.finding.rule.startswith("reviewer.")]
    for review in services.posts.store_findings(edited.id, engine):  # the edited text checked again
        if review.is_open:
            services.posts.resolve_finding(review.id, Resolution.ACCEPTED, "Checked again after the edit.")
    services.posts.approve(services.posts.get(edited.id))


def test_approving_keeps_a_snapshot_whose_hash_the_sealed_approval_event_carries(services, tmp_path) -> None:
    post, form_sha = _reviewed_post(services, tmp_path)
    services.posts.approve(post)
    [kept] = services.approvals.snapshots(post.id)
    snapshot = json.loads(kept.snapshot)
    assert snapshot["post"]["approved_text"] == post.repurposed_text  # the exact text approved: the edited one
    assert snapshot["post"]["original_text"] == post.text and snapshot["post"]["repurposed"] is True
    assert snapshot["approved_by"] == "tester" and snapshot["person"]["name"] == "Dr. Anika Patel"
    by_text = {f["text"]: f for f in snapshot["findings"]}
    assert by_text[ROOM]["resolution"] == "accepted"
    assert by_text[ROOM]["resolution_reason"] == "Room 412 is the team's seminar room."
    assert by_text[ROOM]["resolved_by"] == "tester" and by_text[ROOM]["resolved_at"]
    clinic = by_text["flu shot clinic"]
    assert clinic["reviewer_added"] is True and clinic["marked_by"] == "tester"
    assert clinic["mark_note"] == "Names the clinic." and clinic["resolution_reason"] == "The clinic is public."
    [consent] = snapshot["consent_in_force"]  # the expired record is not in force
    assert consent["scopes"] == ["name", "photo"] and consent["channels"] == ["public_social"]
    assert consent["evidence_sha256"] == form_sha and consent["role"] == "author"

    assert kept.sha256 == digest(kept.snapshot)
    approved = [e for e in services.audit.history("post", post.id) if e.action == "post.approved"][-1]
    assert approved.id == kept.audit_event_id
    assert json.loads(approved.after)["evidence_sha256"] == kept.sha256
    check = services.approvals.verify(kept)
    assert check.verified, check.lines()
    assert services.audit.verify() == []


def test_approving_again_after_an_edit_adds_a_snapshot_and_keeps_the_first(services, tmp_path) -> None:
    post, _ = _reviewed_post(services, tmp_path)
    services.posts.approve(post)
    [first] = services.approvals.snapshots(post.id)
    _edit_and_approve_again(services, post)
    older, newer = services.approvals.snapshots(post.id)
    assert older == first  # unchanged
    assert json.loads(newer.snapshot)["post"]["approved_text"].endswith("Thank you all!")
    assert newer.sha256 != first.sha256 and newer.audit_event_id > first.audit_event_id
    assert services.approvals.exportable(post.id) == newer
    assert all(services.approvals.verify(k).verified for k in (older, newer))


def test_a_snapshot_cannot_be_changed_or_deleted(services, tmp_path) -> None:
    post, _ = _reviewed_post(services, tmp_path)
    services.posts.approve(post)
    for sql in ("UPDATE approval_evidence SET snapshot = '{}'", "DELETE FROM approval_evidence"):
        with pytest.raises(DBAPIError, match="append-only"), services.database.engine.begin() as conn:
            conn.execute(text(sql))
    [kept] = services.approvals.snapshots(post.id)
    assert services.approvals.verify(kept).verified


def test_a_snapshot_edited_behind_the_apps_back_no_longer_matches_its_sealed_event(services, tmp_path) -> None:
    post, _ = _reviewed_post(services, tmp_path)
    services.posts.approve(post)
    [kept] = services.approvals.snapshots(post.id)
    forged = kept.snapshot.replace("Room 412 is the team's seminar room.", "Removed at the author's request.")
    with services.database.engine.begin() as conn:
        drop_trigger(conn, "approval_evidence_no_update", "approval_evidence")
        # the forger also rewrites the stored hash to match: only the sealed audit event can tell
        conn.execute(text("UPDATE approval_evidence SET snapshot = :s, sha256 = :h"), {"s": forged, "h": digest(forged)})
    [tampered] = services.approvals.snapshots(post.id)
    check = services.approvals.verify(tampered)
    assert not check.matches and not check.verified
    assert any(f"audit event {kept.audit_event_id}" in p for p in check.snapshot_problems)
    assert any("approval_evidence_no_update is missing" in p for p in check.chain_problems)
    assert check.lines()[0].startswith("NOT VERIFIED: the snapshot does not match the sealed audit event")
    assert services.audit.verify() == []  # the audit trail itself was not touched: it is the witness


def test_an_exported_snapshot_is_checked_against_the_trail_byte_for_byte(services, tmp_path) -> None:
    post, _ = _reviewed_post(services, tmp_path)
    services.posts.approve(post)
    [kept] = services.approvals.snapshots(post.id)
    assert services.approvals.verify_file(kept.snapshot.encode()).verified
    reordered = json.dumps(json.loads(kept.snapshot), indent=2).encode()  # same facts, other bytes
    assert not services.approvals.verify_file(reordered).matches
    changed = kept.snapshot.replace('"approved_by":"tester"', '"approved_by":"someone else"').encode()
    check = services.approvals.verify_file(changed)
    assert not check.verified and "No approval in the audit trail for post" in check.snapshot_problems[0]


def test_a_post_not_approved_has_no_evidence_to_export(services) -> None:
    from medshare_desktop.core.errors import NotFoundError, WorkflowError

    services.posts.store_imported(make_imported(1), [], "test")
    post = services.posts.query(PostFilter())[0]
    with pytest.raises(WorkflowError, match="evidence is kept when a post is approved"):
        services.approvals.exportable(post.id)
    with pytest.raises(NotFoundError):
        services.approvals.exportable(999)


def test_a_snapshot_deleted_behind_the_apps_back_is_reported_missing(services, tmp_path) -> None:
    from medshare_desktop.core.errors import WorkflowError

    post, _ = _reviewed_post(services, tmp_path)
    services.posts.approve(post)
    _edit_and_approve_again(services, post)
    first, second = services.approvals.snapshots(post.id)
    with services.database.engine.begin() as conn:
        drop_trigger(conn, "approval_evidence_no_delete", "approval_evidence")
        conn.execute(text("DELETE FROM approval_evidence WHERE id = :i"), {"i": second.id})  # hide the newer one
    package = services.approvals.package(post.id)  # the older snapshot is all that is left
    assert package.evidence == first and not package.check.verified
    assert any(f"audit event {second.audit_event_id}" in p and "deleted" in p for p in package.check.snapshot_problems)
    assert any("approval_evidence_no_delete is missing" in p for p in package.check.chain_problems)
    with services.database.engine.begin() as conn:
        conn.execute(text("DELETE FROM approval_evidence"))
    with pytest.raises(WorkflowError, match=f"audit event {second.audit_event_id} records its hash"):
        services.approvals.exportable(post.id)


def test_an_export_says_where_a_missing_or_changed_consent_form_was_looked_for(services, tmp_path) -> None:
    """A file keeps its forms in the evidence folder, a server in the database: the export names the right one."""
    post, form_sha = _reviewed_post(services, tmp_path)
    services.posts.approve(post)
    on_server = services.database.engine.dialect.name == "postgresql"
    stored_name = f"{form_sha}.pdf"
    if on_server:
        with services.database.engine.begin() as conn:
            conn.execute(text("UPDATE evidence_content SET content = :d"), {"d": b"%PDF-1.4\n% forged\n%%EOF\n"})
        [changed] = services.approvals.package(post.id).files
        assert "in the database no longer matches its SHA-256" in changed.problem  # changed, not missing
        assert "MISSING" not in changed.problem and "evidence folder" not in changed.problem
        with services.database.engine.begin() as conn:
            conn.execute(text("DELETE FROM evidence_content"))
    else:
        (Path(services.evidence_location) / stored_name).unlink()
    [missing] = services.approvals.package(post.id).files
    assert missing.sha256 == form_sha and not missing.path
    if on_server:
        database = services.database.engine.url.database
        assert f"is missing from the database ({database} on " in missing.problem
        assert "evidence folder" not in missing.problem
    else:
        assert f"is missing from the evidence folder ({services.evidence_location})" in missing.problem
    lines = "\n".join(services.approvals.package(post.id).verification_lines())
    assert f"{stored_name}: {missing.problem}" in lines
