"""The re-share schedule as an iCalendar file that Outlook and Google Calendar import.

One all-day event per scheduled re-share: a stable UID (re-importing updates instead of doubling),
DTSTAMP in UTC, DTSTART/DTEND as DATE values (DTEND is the day after: RFC 5545 all-day events),
SUMMARY, DESCRIPTION (excerpt, link, override, attention), URL, and free/transparent time so the
re-shares never block anyone's calendar. METHOD:PUBLISH makes Outlook import it as a calendar.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from medshare_desktop import __version__
from medshare_desktop.core.ports import CalendarEntry

UID_DOMAIN = "medshare-desktop.local"


def share_uid(entry: CalendarEntry) -> str:
    return f"share-{entry.share.id}-post-{entry.share.post_id}@{UID_DOMAIN}"


def month_to_ics(
    entries: Sequence[CalendarEntry], now: datetime | None = None, flagged: Mapping[int, str] | None = None
) -> bytes:
    """One all-day event per scheduled re-share, with the post excerpt and its link."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", f"-//MedShare Desktop {__version__}//medshare//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Re-share calendar")
    for entry in entries:
        share = entry.share
        event = Event()
        event.add("uid", share_uid(entry))
        event.add("dtstamp", stamp)
        event.add("dtstart", share.day)
        event.add("dtend", share.day + timedelta(days=1))
        reason = (flagged or {}).get(share.id or -1)
        attention = " — ⚠ needs attention" if reason else ""  # seen in the calendar view, not only when opened
        event.add("summary", f"Re-share: {entry.person_name or 'Unknown author'} ({share.channel.label}){attention}")
        description = entry.excerpt
        if entry.repurposed:  # the approved text differs from the post behind the link: say which to share
            description = f"Approved text to share (edited from the original post):\n{description}"
        if entry.url:
            original = "Original post (its text differs: share the approved text)" if entry.repurposed else "Original post"
            description += f"\n\n{original}: {entry.url}"
        if share.override_reason:
            description += f"\n\nCadence override: {share.override_reason}"
        if reason:
            description += f"\n\nNeeds attention: {reason}"
        event.add("description", description)
        if entry.url:
            event.add("url", entry.url)
        event.add("categories", [share.channel.label])
        event.add("transp", "TRANSPARENT")
        event.add("x-microsoft-cdo-busystatus", "FREE")
        event.add("x-microsoft-cdo-alldayevent", "TRUE")
        cal.add_component(event)
    return cal.to_ical()
