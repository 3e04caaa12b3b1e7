"""The calendar, offscreen, for posts it cannot check: no person linked, consent revoked, a past day."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QMessageBox

from medshare_desktop.core.models import ImportedPost, Platform
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.ui.calendar import calendar_page
from medshare_desktop.ui.calendar.month_grid import POST_MIME
from tests.core.test_schedule_service_calendar import BEFORE_DECEMBER, make_world
from tests.ui.test_calendar_page import WAIT, days_of, drop, open_calendar

DOCTOR = "Dr. Priya Patel"
REVOKED = "Dr. Omar Haddad"


@pytest.fixture
def world(db_url: str):
    from medshare_desktop.bootstrap import build_services

    services = build_services(db_url, actor="tester", today=lambda: BEFORE_DECEMBER)
    posts = make_world(services, ((DOCTOR, None), (REVOKED, None)), posts=1)
    [haddad] = [p for p in services.people.list_people() if p.name == REVOKED]
    [record] = services.consent.records(haddad.id)
    services.consent.revoke(record.id, date(2026, 10, 30), "Withdrew consent.")
    services.posts.store_imported(
        [ImportedPost(Platform.LINKEDIN, "Our ward turned ten today.", datetime(2026, 10, 9, tzinfo=UTC),
                      external_id="guest-1")], [], "guest.csv")
    [orphan] = [r.id for r in services.posts.query(PostFilter(), 0, 50) if r.author == ""]
    services.posts.approve(services.posts.start_review(services.posts.get(orphan)))
    yield services, {"ok": posts[DOCTOR][0], "revoked": posts[REVOKED][0], "orphan": orphan}
    QThreadPool.globalInstance().waitForDone(WAIT)
    services.close()


@pytest.fixture
def page(qtbot, world):
    services, _posts = world
    return open_calendar(qtbot, services)


def test_the_approved_list_marks_what_cannot_be_scheduled_and_says_why(page, world) -> None:
    _services, posts = world
    approved = page.side.approved
    texts = {approved.item(r).data(Qt.ItemDataRole.UserRole): approved.item(r).text() for r in range(approved.count())}
    assert not texts[posts["ok"]].startswith("⚠") and "Cannot be scheduled" not in texts[posts["ok"]]
    assert texts[posts["revoked"]].startswith("⚠ Dr. Omar Haddad")
    assert "Cannot be scheduled: Name consent revoked" in texts[posts["revoked"]]
    assert texts[posts["orphan"]].startswith("⚠ Unknown author (no person)")
    assert "Cannot be scheduled: No person linked" in texts[posts["orphan"]]
    assert approved.item(0).data(Qt.ItemDataRole.UserRole) == posts["ok"]  # schedulable first
    assert "(3, 2 cannot be scheduled)" in page.side.approved_title.text()


def test_an_unlinked_post_is_refused_then_overridden_and_counted_apart(qtbot, page, world) -> None:
    services, posts = world
    with qtbot.waitSignal(page.change_refused, timeout=WAIT) as refused:
        drop(page, POST_MIME, posts["orphan"], date(2026, 12, 3))
    assert "not linked to a person" in refused.args[0]
    assert page.message.override_button.isVisible() and posts["orphan"] not in days_of(page)
    qtbot.mouseClick(page.message.override_button, Qt.MouseButton.LeftButton)
    page.reason_dialog.field.setText("Guest post, agreed with the comms lead")
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        qtbot.mouseClick(page.reason_dialog.ok_button, Qt.MouseButton.LeftButton)
    assert days_of(page)[posts["orphan"]] == date(2026, 12, 3)
    rows = [(page.side.counts.topLevelItem(i).text(0), page.side.counts.topLevelItem(i).text(1))
            for i in range(page.side.counts.topLevelItemCount())]
    assert rows == [("⚠ No person linked", "1")]  # not "No re-shares this month"
    [entry] = page.current.entries
    assert entry.person_name == "Unknown author" and "no person linked" in page.current.flagged[entry.share.id]


def test_a_past_day_asks_first_and_no_changes_nothing(qtbot, page, world, monkeypatch) -> None:
    services, posts = world
    asked: list[str] = []

    def answer(reply):
        def question(_parent, title, text, *_args):
            asked.append(f"{title} {text}")
            return reply
        return question

    past = date(2026, 10, 30)  # before the page's "today" (1 Nov 2026)
    monkeypatch.setattr(calendar_page.QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        page.go_to(date(2026, 10, 1))
    drop(page, POST_MIME, posts["ok"], past)
    assert asked and "is in the past" in asked[0] and "Nothing changed" in page.message.text()
    QThreadPool.globalInstance().waitForDone(WAIT)
    assert services.schedule.month(2026, 10).entries == []

    monkeypatch.setattr(calendar_page.QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        drop(page, POST_MIME, posts["ok"], past)
    assert [e.share.day for e in services.schedule.month(2026, 10).entries] == [past]
    asked.clear()
    share_id = services.schedule.month(2026, 10).entries[0].share.id
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):  # today is not a past day: no question
        page.move_share(share_id, BEFORE_DECEMBER)
    assert asked == []
    assert [e.share.day for e in services.schedule.month(2026, 11).entries] == [BEFORE_DECEMBER]


def test_revoked_consent_after_scheduling_is_marked_in_pdf_text_and_ics(qtbot, page, world, tmp_path) -> None:
    import shutil
    import subprocess

    from icalendar import Calendar

    from medshare_desktop.ui.printing.export import write_pdf

    services, posts = world
    [patel] = [p for p in services.people.list_people() if p.name == DOCTOR]
    share = services.schedule.schedule(posts["ok"], date(2026, 12, 10))
    services.schedule.schedule(posts["orphan"], date(2026, 12, 11), override_reason="Guest post")
    [record] = services.consent.records(patel.id)
    services.consent.revoke(record.id, date(2026, 12, 1), "Changed her mind.")
    month = services.schedule.month(2026, 12)
    assert "name consent revoked" in month.flagged[share.id]
    assert month.counted == len(month.entries) == 2

    events = {e.decoded("dtstart"): e for e in Calendar.from_ical(services.schedule.export_ics(month)).walk("VEVENT")}
    first = events[date(2026, 12, 10)]
    assert str(first.get("summary")) == "Re-share: Dr. Priya Patel (Public social) — ⚠ needs attention"
    assert "Needs attention: name consent revoked" in str(first.get("description"))
    second = events[date(2026, 12, 11)]
    assert "Re-share: Unknown author" in str(second.get("summary"))
    assert "no person linked" in str(second.get("description"))

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "month.pdf"
    write_pdf(str(pdf), month, "tester", datetime(2026, 12, 1, 9, 0))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "2 re-share(s) · 2 need attention" in text
    assert "No person linked" in text and "Unknown author" in text
    assert "name consent revoked" in text
