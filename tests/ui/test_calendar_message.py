"""The calendar's message bar never describes a re-share that is gone: after every load it drops a message
about a re-share that was unscheduled or moved elsewhere, and asks the scheduler again whether a refused
change would still be refused (a re-share unscheduled, consent restored)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QThreadPool

from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope
from medshare_desktop.ui.calendar.calendar_page import CalendarPage
from medshare_desktop.ui.calendar.month_grid import POST_MIME
from tests.core.test_schedule_service_calendar import BEFORE_DECEMBER, make_world
from tests.ui.test_calendar_page import DOCTOR, WAIT, days_of, drop, open_calendar

OTHER = "Dr. Omar Haddad"
LIMIT_REFUSAL = f"{DOCTOR} already has 2 re-shares in December 2026 (limit 2 a month)."


@pytest.fixture
def world(db_url: str):
    from medshare_desktop.bootstrap import build_services

    services = build_services(db_url, actor="tester", today=lambda: BEFORE_DECEMBER)
    yield services, make_world(services, ((DOCTOR, None),), posts=4)[DOCTOR]
    QThreadPool.globalInstance().waitForDone(WAIT)
    services.close()


@pytest.fixture
def page(qtbot, world) -> CalendarPage:
    services, _posts = world
    return open_calendar(qtbot, services, size=(1280, 800))


def _reload(qtbot, page) -> None:  # noqa: ANN001 - what showing the page again does
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        page.refresh()


def _refused(qtbot, page, post_id: int, day: date) -> None:  # noqa: ANN001
    with qtbot.waitSignal(page.change_refused, timeout=WAIT):
        drop(page, POST_MIME, post_id, day)


def test_a_refusal_goes_away_once_the_re_share_behind_it_is_unscheduled(qtbot, page, world) -> None:
    services, posts = world
    first = services.schedule.schedule(posts[0], date(2026, 12, 3))
    services.schedule.schedule(posts[1], date(2026, 12, 4))
    _reload(qtbot, page)
    _refused(qtbot, page, posts[2], date(2026, 12, 12))
    assert LIMIT_REFUSAL in page.message.text() and page.message.override_button.isVisible()

    with qtbot.waitSignal(page.message_checked, timeout=WAIT):
        _reload(qtbot, page)  # nothing changed: the refusal still holds and stays, word for word
    assert LIMIT_REFUSAL in page.message.text()

    services.schedule.unschedule(first.id)  # from the consent page's banner, another window, the CLI…
    with qtbot.waitSignal(page.message_checked, timeout=WAIT):
        _reload(qtbot, page)
    assert not page.message.isVisible() and page.message.text() == ""
    page._on_message_override_requested()  # and Override… has nothing left to override
    assert page.reason_dialog is None
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        drop(page, POST_MIME, posts[2], date(2026, 12, 12))  # the drop that was refused now goes through
    assert days_of(page)[posts[2]] == date(2026, 12, 12)


def test_a_refusal_for_missing_consent_goes_away_once_consent_is_recorded(qtbot, page, world) -> None:
    services, _posts = world
    post_id = make_world(services, ((OTHER, None),), posts=1, consent=False)[OTHER][0]
    person = next(p for p in services.people.list_people() if p.name == OTHER)
    _reload(qtbot, page)
    _refused(qtbot, page, post_id, date(2026, 12, 15))
    assert "consent" in page.message.text().lower()

    services.consent.add_record(
        ConsentRecord(None, person.id, frozenset(ConsentScope), frozenset(Channel), date(2026, 1, 1), date(2028, 1, 1))
    )
    with qtbot.waitSignal(page.message_checked, timeout=WAIT):
        _reload(qtbot, page)
    assert not page.message.isVisible()


def test_the_scheduled_message_goes_away_when_that_re_share_is_unscheduled_elsewhere(qtbot, page, world) -> None:
    services, posts = world
    with qtbot.waitSignal(page.month_loaded, timeout=WAIT):
        drop(page, POST_MIME, posts[0], date(2026, 12, 9))
    assert page.message.text() == "Scheduled on Wed 09 Dec 2026."
    _reload(qtbot, page)
    assert page.message.isVisible()  # still true: still shown

    share = next(e.share for e in page.current.entries if e.share.post_id == posts[0])
    services.schedule.unschedule(share.id)
    _reload(qtbot, page)
    assert not page.message.isVisible()
