"""`medshare evidence POST_ID --out FILE.zip` and `--verify FILE.zip`, run as a real subprocess."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.approval_evidence import digest
from tests.cli.signed_consent import author_with_signed_consent
from tests.cli.test_cli import medshare


def _approved_post(db: Path, tmp_path: Path) -> tuple[int, int, str]:
    """An approved post (its author's consent with a signed form on file) and one still new."""
    services = build_services(f"sqlite:///{db}", actor="reviewer.kim")
    try:
        form_sha = author_with_signed_consent(
            services, tmp_path / "form.pdf", b"%PDF-1.4\n% consent of Dr. Patel\n%%EOF\n", posts=2)
        first, second = sorted(r.id for r in services.posts.query(PostFilter()))
        services.posts.approve(services.posts.start_review(services.posts.get(first)))
    finally:
        services.close()
    return first, second, form_sha


def test_evidence_exports_a_zip_that_verifies_and_a_changed_snapshot_does_not(tmp_path: Path) -> None:
    db = tmp_path / "medshare.db"
    post_id, _, form_sha = _approved_post(db, tmp_path)
    out = tmp_path / "evidence.zip"
    result = medshare("evidence", str(post_id), "--out", str(out), db=db)
    assert result.returncode == 0, result.stderr
    assert "verified against the audit trail" in result.stdout
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        snapshot = archive.read("snapshot.json")
        verification = archive.read("verification.txt").decode()
        pdf = archive.read("summary.pdf")
        form = archive.read(f"consent-evidence/{form_sha}.pdf")
    assert names == {"snapshot.json", "summary.pdf", "verification.txt", f"consent-evidence/{form_sha}.pdf"}
    assert verification.startswith("VERIFIED")
    assert f"SHA-256 of snapshot.json: {digest(snapshot)}" in verification
    assert pdf.startswith(b"%PDF") and b"consent of Dr. Patel" in form
    document = json.loads(snapshot)
    assert document["approved_by"] == "reviewer.kim" and document["consent_in_force"][0]["evidence_sha256"] == form_sha

    checked = medshare("evidence", "--verify", str(out), db=db)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("VERIFIED")

    # someone edits the JSON inside the zip: the sealed audit event no longer vouches for it
    forged = tmp_path / "forged.zip"
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(forged, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "snapshot.json":
                data = data.replace(b'"approved_by":"reviewer.kim"', b'"approved_by":"dr.chief"')
            target.writestr(name, data)
    refused = medshare("evidence", "--verify", str(forged), db=db)
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "NOT VERIFIED" in refused.stderr
    assert "Snapshot matches the sealed event: NO" in refused.stdout


def test_evidence_refuses_bad_input_with_one_line(tmp_path: Path) -> None:
    db = tmp_path / "medshare.db"
    post_id, not_approved, _ = _approved_post(db, tmp_path)
    cases = [
        (("evidence", "999", "--out", str(tmp_path / "a.zip")), "999"),
        (("evidence", str(not_approved), "--out", str(tmp_path / "b.zip")), "evidence is kept when a post is approved"),
        (("evidence", str(post_id), "--out", str(tmp_path / "no-such-folder" / "c.zip")), "does not exist"),
        (("evidence", "x1", "--out", str(tmp_path / "d.zip")), "x1"),
        (("evidence", str(post_id)), "--out"),
        (("evidence", "--verify", str(tmp_path / "missing.zip")), "no such file"),
    ]
    for args, named in cases:
        result = medshare(*args, db=db)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1 and named in result.stderr, (args, result.stderr)
    assert not list(tmp_path.glob("*.zip"))
