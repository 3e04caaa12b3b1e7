"""One post followed from end to end, as a comms team handles it: import (command line) → risk check →
review → repurpose (the patient detail edited out) → approve → schedule → printed month (PDF) and
calendar invite (ICS), both from the command line.

What review removed must not come back in anything a person could publish from: the PDF and the ICS
carry the approved, edited text, never the original.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from medshare_desktop.core.models import (
    Channel,
    ConsentRecord,
    ConsentScope,
    Person,
    Platform,
    PostState,
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

CSV = (
    "text,posted_at,platform,author,handle,external_id,url\n"
    f'"{ORIGINAL}",2026-10-02T09:00:00Z,linkedin,Dr. Anika Patel,anika-patel-md,e2e-1,'
    "https://www.linkedin.com/feed/update/urn:li:share:e2e1\n"
)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_a_repurposed_post_goes_out_as_approved_from_import_to_pdf_and_ics(tmp_path: Path) -> None:
    from medshare_desktop.bootstrap import build_services

    db = f"sqlite:///{tmp_path}/medshare.db"
    services = build_services(db, actor="comms")
    try:  # the author, her account and her consent are on file before the import
        person = services.people.add_person(Person(None, "Dr. Anika Patel", Role.PHYSICIAN, "Neurology"))
        services.people.add_account(SourceAccount(None, person.id, Platform.LINKEDIN, "anika-patel-md"))
        services.consent.add_record(ConsentRecord(
            None, person.id, frozenset(ConsentScope), frozenset(Channel), date(2026, 1, 1), date(2030, 12, 31)))
    finally:
        services.close()

    source = tmp_path / "posts.csv"
    source.write_text(CSV, encoding="utf-8")
    assert "1 new" in run_medshare(db, "import", str(source))

    services = build_services(db, actor="comms")
    try:
        [row] = services.posts.query(PostFilter())
        assert services.risk.analyze_unanalysed() == 1
        post = review_repurpose_and_approve(services, row.id, person.id)

        day = a_day_next_month()
        services.schedule.schedule(post.id, day, Channel.PUBLIC_SOCIAL)
        assert services.posts.get(post.id).state is PostState.SCHEDULED
        [entry] = services.schedule.month(day.year, day.month).entries
        assert entry.repurposed and "Alvarez" not in entry.excerpt  # what the calendar tooltip shows
    finally:
        services.close()

    pdf, ics = tmp_path / "month.pdf", tmp_path / "month.ics"
    run_medshare(db, "calendar", "--month", f"{day:%Y-%m}", "--pdf", str(pdf), "--ics", str(ics))

    assert_month_goes_out_as_approved(pdf, ics)
