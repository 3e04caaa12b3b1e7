"""Inbox: approving through the button keeps the evidence snapshot; "Export evidence…" saves a zip that verifies."""

from __future__ import annotations

import json
import zipfile

from PySide6.QtCore import Qt

from medshare_desktop.core.models import PostState
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.approval_evidence import digest
from medshare_desktop.ui.inbox import evidence_export
from tests.conftest import make_imported


def test_approve_in_the_inbox_then_export_the_evidence(qtbot, monkeypatch, inbox, services, tmp_path) -> None:
    services.posts.store_imported(make_imported(2), [], "test")
    inbox.set_evidence(services.approvals)
    inbox.refresh()
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 2, timeout=10_000)
    inbox.table.selectRow(0)
    qtbot.waitUntil(lambda: inbox.view.post is not None and inbox.view.review_button.isEnabled(), timeout=5_000)
    post_id = inbox.view.post.id
    button = inbox.view.evidence_button
    assert button.isVisible() and not button.isEnabled()  # a new post has no evidence yet

    qtbot.mouseClick(inbox.view.review_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: inbox.view.approve_button.isEnabled(), timeout=10_000)
    qtbot.mouseClick(inbox.view.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: services.posts.get(post_id).state is PostState.APPROVED, timeout=10_000)
    [kept] = services.approvals.snapshots(post_id)  # the GUI's approval kept its snapshot
    assert json.loads(kept.snapshot)["approved_by"] == "tester"
    qtbot.waitUntil(lambda: inbox.view.post is not None and inbox.view.post.id == post_id
                    and button.isEnabled(), timeout=10_000)

    target = tmp_path / "evidence"  # no .zip typed: the extension is added
    monkeypatch.setattr(evidence_export.QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    with qtbot.waitSignal(inbox.evidence.finished, timeout=30_000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    message, verified = done.args
    assert verified and "the audit trail verifies" in message and str(target) + ".zip" in message
    assert inbox.count_label.text() == message
    with zipfile.ZipFile(str(target) + ".zip") as archive:
        assert digest(archive.read("snapshot.json")) == kept.sha256
        assert archive.read("summary.pdf").startswith(b"%PDF")
        assert archive.read("verification.txt").decode().startswith("VERIFIED")

    other = next(r.id for r in services.posts.query(PostFilter()) if r.id != post_id)
    assert inbox.select_post(other)
    qtbot.waitUntil(lambda: inbox.view.post is not None and inbox.view.post.id == other, timeout=5_000)
    assert not button.isEnabled()


def test_the_demo_shows_an_approval_with_full_evidence(demo_services) -> None:
    services = demo_services
    approved = services.posts.query(PostFilter(states=frozenset({PostState.APPROVED})), 0, 500)
    full = []
    for row in approved:
        kept = services.approvals.snapshots(row.id)
        document = json.loads(kept[-1].snapshot)
        if document["post"]["repurposed"] and document["findings"]:
            full.append((row.id, document))
    [(post_id, document)] = full
    assert {f["reviewer_added"] for f in document["findings"]} == {True, False}
    assert all(f["resolution"] == "accepted" and f["resolution_reason"] for f in document["findings"])
    assert document["consent_in_force"][0]["evidence_sha256"]
    package = services.approvals.package(post_id)
    assert package.check.verified and [f.problem for f in package.files] == [""]
