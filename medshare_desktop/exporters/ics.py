"""The re-share schedule as an iCalendar file that Outlook and Google Calendar import."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from icalendar import Calendar, Event

from medshare_desktop import __version__
from medshare_desktop.core.ports import CalendarEntry

UID_DOMAIN = "medshare-desktop.local"


def month_to_ics(entries: Sequence[CalendarEntry], now: datetime | None = None) -> bytes:
    """One all-day event per scheduled re-share, with the post excerpt and its link."""
    stamp = now or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", f"-//MedShare Desktop {__version__}//medshare//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Re-share calendar")
    for entry in entries:
        share = entry.share
        event = Event()
        event.add("uid", f"share-{share.id}-post-{share.post_id}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", share.day)
        event.add("dtend", share.day + timedelta(days=1))
        event.add("summary", f"Re-share: {entry.person_name} ({share.channel.label})")
        description = entry.excerpt
        if entry.url:
            description += f"\n\nOriginal post: {entry.url}"
        if share.override_reason:
            description += f"\n\nCadence override: {share.override_reason}"
        event.add("description", description)
        if entry.url:
            event.add("url", entry.url)
        event.add("categories", [share.channel.label])
        cal.add_component(event)
    return cal.to_ical()
