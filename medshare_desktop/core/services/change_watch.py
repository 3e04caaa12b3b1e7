"""Changes others committed (the command line, another instance, another desk), told apart from our own.

The UI asks `version()` on a timer (cheap) and, when it moved, `look()` on a worker: the audit events
written since the last look, less those this process wrote (its screens heard of those already),
as one `Changes`. On a team server the feed pushes instead (`listen`: a NOTIFY after each commit
elsewhere), and the UI calls `look()` when one arrives.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from medshare_desktop.core.changes import ChangeFeed, Changes
from medshare_desktop.core.services.audit_service import AuditService

log = logging.getLogger(__name__)

LOOK_LIMIT = 5_000  # events read per look; more than that at once: reload everything


class ChangeWatch:
    def __init__(self, feed: ChangeFeed, audit: AuditService) -> None:
        self._feed = feed
        self._audit = audit
        self._seen: int | None = None
        self._lock = threading.Lock()

    def version(self) -> int:
        """Differs after another connection committed (SQLite's data_version; 0 where there is none)."""
        return self._feed.version()

    def listen(self, on_changes: Callable[[Changes], None], on_reachable: Callable[[bool], None]) -> bool:
        """Have the feed push what others committed (a team server); False: poll version() instead."""
        return self._feed.listen(on_changes, on_reachable)

    def start(self) -> None:
        """From now on: changes before this call are already on screen."""
        with self._lock:
            self._seen = self._feed.newest_event()

    def look(self) -> Changes:
        """What others changed since the last look (empty when every new event is this process's own)."""
        with self._lock:
            if self._seen is None:
                self._seen = self._feed.newest_event()
                return Changes()
            events = self._feed.events_after(self._seen, LOOK_LIMIT)
            if not events:
                newest = self._feed.newest_event()
                if newest < self._seen:  # the trail is shorter: a restore replaced the file
                    self._seen = newest
                    return Changes.everything()
                return Changes()
            self._seen = events[-1].id or self._seen
            others = [e for e in events if not self._audit.written_here(e)]
            self._audit.forget_written_through(self._seen)
            if len(events) >= LOOK_LIMIT:
                self._seen = self._feed.newest_event()
                return Changes.everything()
        if others:
            log.info("%d change(s) made elsewhere", len(others))
        return Changes.from_events(others)
