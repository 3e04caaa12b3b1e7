"""Two desks on one team server, from end to end, as a comms team works (issue 17): the server set up by IT
(`medshare server setup-roles`, one login per person with `add-desk`), desk A (admin, consent and editor)
puts the author, her consent and its signed form on file and imports a post from the command line; desk B
(an editor only, another login, its own connections) checks the risk, reviews, repurposes and approves it,
and opens the consent register and the signed form desk A attached; desk A schedules it within the monthly
limit and the consent, prints the month (PDF) and exports the invites (ICS) from the command line.

What review removed must not come back in anything a person could publish from, whichever desk prints it;
the audit trail verifies and names each desk's own login for what that desk did.
"""

from __future__ import annotations

import shutil
import uuid
import zipfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from medshare_desktop.core.errors import CadenceError, PermissionDeniedError
from medshare_desktop.core.models import (
    Channel,
    ConsentRecord,
    ConsentScope,
    Person,
    Platform,
    PostState,
    Resolution,
    Role,
    SourceAccount,
)
from medshare_desktop.core.ports import PostFilter
from tests.end_to_end import (
    ORIGINAL,
    a_day_next_month,
    assert_month_goes_out_as_approved,
    review_repurpose_and_approve,
    run_medshare,
)

pytestmark = pytest.mark.postgresql

SECOND = "Thank you to everyone who came to the stroke awareness walk on Saturday."
CSV = (
    "text,posted_at,platform,author,handle,external_id,url\n"
    f'"{ORIGINAL}",2026-10-02T09:00:00Z,linkedin,Dr. Anika Patel,anika-patel-md,team-e2e-1,'
    "https://www.linkedin.com/feed/update/urn:li:share:teame2e1\n"
    f'"{SECOND}",2026-10-05T09:00:00Z,linkedin,Dr. Anika Patel,anika-patel-md,team-e2e-2,'
    "https://www.linkedin.com/feed/update/urn:li:share:teame2e2\n"
)
FORM = b"%PDF-1.4\n% consent signed by Dr. Anika Patel\n%%EOF\n"
PASSWORD = "desk-test-only"


def _desk(url: str, folder: Path):  # noqa: ANN202 - Services
    from medshare_desktop.bootstrap import build_services

    # no actor given: on a server the audit trail names the desk's own login (session_user)
    return build_services(url, backup_folder=folder / "backups", evidence_folder=folder / "evidence",
                          models_folder=folder / "models")


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_two_desks_take_a_post_from_import_to_pdf_and_ics_on_one_team_server(pg_server, tmp_path: Path) -> None:
    # IT: a database at the app's schema, the group roles, one login per person
    name = pg_server.new_database(migrated=True)
    it = pg_server.url_for(name)
    suffix = uuid.uuid4().hex[:8]  # roles belong to the whole cluster
    owner, desk_a, desk_b = f"owner_{suffix}", f"desk_a_{suffix}", f"desk_b_{suffix}"
    run_medshare(it, "server", "setup-roles", "--owner", owner)
    run_medshare(it, "server", "add-desk", desk_a, "--group", "admin", "--group", "consent", "--group", "editor",
         "--password-stdin", stdin=PASSWORD + "\n")
    run_medshare(it, "server", "add-desk", desk_b, "--group", "editor", "--password-stdin", stdin=PASSWORD + "\n")
    url_a = pg_server.url_for(name, user=desk_a, password=PASSWORD)
    url_b = pg_server.url_for(name, user=desk_b, password=PASSWORD)
    assert f"login: {desk_b}\ngroups: medshare_editor" in run_medshare(url_b, "server", "status")

    # desk A: the author (at most one re-share a month), her account, her consent with the signed form
    a = _desk(url_a, tmp_path / "a")
    try:
        person = a.people.add_person(
            Person(None, "Dr. Anika Patel", Role.PHYSICIAN, "Neurology", monthly_limit=1))
        a.people.add_account(SourceAccount(None, person.id, Platform.LINKEDIN, "anika-patel-md"))
        form = tmp_path / "signed consent.pdf"
        form.write_bytes(FORM)
        stored = a.consent.attach_evidence(str(form))
        a.consent.add_record(ConsentRecord(
            None, person.id, frozenset(ConsentScope), frozenset(Channel), date(2026, 1, 1), date(2030, 12, 31),
            evidence_path=stored.stored_name, evidence_sha256=stored.sha256))
    finally:
        a.close()
    form.unlink()  # the original stays on desk A's computer no longer: the server holds it

    source = tmp_path / "posts.csv"
    source.write_text(CSV, encoding="utf-8")
    assert "2 new" in run_medshare(url_a, "import", str(source), data=tmp_path / "a-data")

    # desk B, an editor: checks, reviews, repurposes, approves; opens the consent register and the form
    b = _desk(url_b, tmp_path / "b")
    try:
        with pytest.raises(PermissionDeniedError, match=desk_b):  # an editor does not change people
            b.people.add_person(Person(None, "Dr. Someone Else"))
        rows = {b.posts.get(r.id).external_id: r for r in b.posts.query(PostFilter())}
        assert set(rows) == {"team-e2e-1", "team-e2e-2"}  # desk A's import, seen at desk B
        assert b.risk.analyze_unanalysed() == 2
        post = review_repurpose_and_approve(b, rows["team-e2e-1"].id, person.id)  # at another desk

        second = b.posts.start_review(b.posts.get(rows["team-e2e-2"].id))
        for review in b.posts.findings(second.id):
            if review.is_open:
                b.posts.resolve_finding(review.id, Resolution.ACCEPTED, "A public event, no patient in it.")
        b.posts.approve(b.posts.get(second.id))

        [record] = b.consent.records(person.id)  # the register desk A keeps, read at desk B
        assert record.recorded_by == desk_a and record.evidence_sha256 == stored.sha256
        opened = Path(b.consent.evidence_file(record))  # a copy from the database, checked
        assert opened.read_bytes() == FORM and (tmp_path / "b" / "evidence") in opened.parents
    finally:
        b.close()
    package = tmp_path / "evidence.zip"
    run_medshare(url_b, "evidence", str(post.id), "--out", str(package), data=tmp_path / "b-data")
    with zipfile.ZipFile(package) as archive:
        assert archive.read(f"consent-evidence/{stored.stored_name}") == FORM
        verification = archive.read("verification.txt").decode("utf-8")
    assert "SHA-256 matches the consent record" in verification

    # desk A: schedules within the monthly limit and the consent; the second post that month is refused
    day = a_day_next_month()
    a = _desk(url_a, tmp_path / "a")
    try:
        assert a.posts.get(post.id).state is PostState.APPROVED  # desk B's approval, seen at desk A
        a.schedule.schedule(post.id, day, Channel.PUBLIC_SOCIAL)
        assert a.posts.get(post.id).state is PostState.SCHEDULED
        with pytest.raises(CadenceError) as refused:
            a.schedule.schedule(second.id, day + timedelta(days=7), Channel.PUBLIC_SOCIAL)
        assert refused.value.rule == "monthly_limit"
        assert a.posts.get(second.id).state is PostState.APPROVED  # nothing half-scheduled
        [entry] = a.schedule.month(day.year, day.month).entries
        assert entry.repurposed and "Alvarez" not in entry.excerpt
        with a.database.engine.connect() as conn:
            trail = {(actor, action) for actor, action in conn.execute(text("SELECT actor, action FROM audit_event"))}
    finally:
        a.close()

    pdf, ics = tmp_path / "month.pdf", tmp_path / "month.ics"
    run_medshare(url_a, "calendar", "--month", f"{day:%Y-%m}", "--pdf", str(pdf), "--ics", str(ics), data=tmp_path / "a-data")

    assert_month_goes_out_as_approved(pdf, ics)

    # the audit trail: intact, read by either desk, and each step under the login of the desk that took it
    assert "intact" in run_medshare(url_b, "audit", "verify").lower()
    assert {(desk_a, "consent.added"), (desk_a, "posts.imported"), (desk_b, "post.analysed"),
            (desk_b, "post.approved"), (desk_a, "share.scheduled")} <= trail
    assert {actor for actor, _action in trail} == {desk_a, desk_b}
