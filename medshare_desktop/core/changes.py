"""What a change touched: the one value every screen reads to decide what to reload.

Mutating services say what they changed: a method that returned nothing returns a `Changes`, a
result object of the service carries `.changes`, and an entity a service returns names itself
(`Changes.of(post)`). Changes made elsewhere (the command line, another desk) are read back from
the audit trail, which records every change in the change's own transaction (`from_events`).
The UI merges them with `|` and hands them to every screen (ui/shared/operations.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from medshare_desktop.core.models import AuditEvent

# a retrain accepted or a rollback (a refused or cancelled retrain changes nothing): the team's model and
# the model itself, both settings (SettingKey.TEAM_MODEL, SettingKey.TEAM_HEAD)
_MODEL_CHANGED = ("risk_model.retrained", "risk_model.rolled_back")
TEAM_MODEL_SETTINGS = frozenset({"risk.team_model", "risk.team_head"})
TEAM_MODEL_SETTING = "risk.team_head"  # the model's own setting: a desk installs what it holds


@dataclass(frozen=True, slots=True)
class Changes:
    post_ids: frozenset[int] = frozenset()  # posts whose state, text, findings, person or tags changed
    schedule_days: frozenset[date] = frozenset()  # days whose re-shares changed
    consent_people: frozenset[int] = frozenset()  # people whose consent records changed
    people: frozenset[int] = frozenset()  # people (or their accounts) added or edited
    settings: frozenset[str] = frozenset()  # setting keys (SettingKey) changed
    posts_added: bool = False  # new posts arrived (an import): lists of posts are out of date
    unknown: bool = False  # something changed, not known what (another process, a restore): reload everything
    # kinds of data that changed, not known which rows (a server's notice of a write outside the app):
    # "posts", "schedule", "consent", "people", "settings" — each counts as a change of that field
    kinds: frozenset[str] = frozenset()

    @classmethod
    def everything(cls) -> Changes:
        return cls(unknown=True)

    @property
    def empty(self) -> bool:
        return not (self.unknown or self.posts_added or self.post_ids or self.schedule_days or self.consent_people
                    or self.people or self.settings or self.kinds)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.post_ids | other.post_ids,
            self.schedule_days | other.schedule_days,
            self.consent_people | other.consent_people,
            self.people | other.people,
            self.settings | other.settings,
            self.posts_added or other.posts_added,
            self.unknown or other.unknown,
            self.kinds | other.kinds,
        )

    # --- what a screen asks --------------------------------------------------------------
    def _touched(self, kind: str, ids: frozenset[object]) -> bool:
        return bool(ids) or kind in self.kinds

    @property
    def posts(self) -> bool:
        """A list of posts may show something else now."""
        return (self.unknown or self.posts_added or self._touched("posts", self.post_ids)
                or self._touched("people", self.people))

    @property
    def schedule(self) -> bool:
        """The calendar may show something else now (a post approved or reopened, consent, a limit)."""
        return (self.unknown or self._touched("schedule", self.schedule_days) or self._touched("posts", self.post_ids)
                or self._touched("consent", self.consent_people) or self._touched("people", self.people)
                or self._touched("settings", self.settings))

    @property
    def consent(self) -> bool:
        """The consent register may show something else now (records, people, re-shares it affects)."""
        return (self.unknown or self._touched("consent", self.consent_people) or self._touched("people", self.people)
                or self._touched("schedule", self.schedule_days))

    @property
    def anyone(self) -> bool:
        """The list of people may show something else now."""
        return self.unknown or self._touched("people", self.people)

    @property
    def any_setting(self) -> bool:
        return self.unknown or self._touched("settings", self.settings)

    @property
    def team_model(self) -> bool:
        """The team's risk model may be another now (a desk retrained or rolled back)."""
        return self.unknown or "settings" in self.kinds or TEAM_MODEL_SETTING in self.settings

    # --- building one ----------------------------------------------------------------------
    @classmethod
    def of(cls, *results: object) -> Changes:
        """What the entities a mutating service returned name: a post, a re-share, a person, a consent
        record, a finding, a photo tag (the result's own `.changes` when it has one). Anything else: unknown."""
        changes = cls()
        for result in results:
            changes = changes | _of_one(result)
        return changes

    @classmethod
    def from_events(cls, events: Iterable[AuditEvent]) -> Changes:
        """What the audit events name (the trail records every change with the entity it touched)."""
        changes = cls()
        for event in events:
            changes = changes | _of_event(event)
        return changes


class ChangeFeed(Protocol):
    """Changes committed by others (another process or desk), for the screens to pick up.

    `version()` is cheap (SQLite: PRAGMA data_version on a connection of its own) and differs after
    another connection committed; `events_after(id)` reads the audit events written since. A feed that
    is told of commits (a team server's LISTEN/NOTIFY) pushes instead: `listen(on_changes, on_reachable)`
    calls `on_changes(Changes)` with the kinds of data others committed (from a thread of its own) and
    `on_reachable(False/True)` when the server goes away and comes back; it returns False when the feed
    has nothing to push (SQLite: poll `version()`)."""

    def version(self) -> int: ...

    def listen(self, on_changes: Callable[[Changes], None], on_reachable: Callable[[bool], None]) -> bool: ...

    def newest_event(self) -> int: ...

    def events_after(self, event_id: int, limit: int = 5_000) -> list[AuditEvent]: ...

    def close(self) -> None: ...


def _of_one(result: object) -> Changes:
    from medshare_desktop.core.models import ConsentRecord, ImportReport, Person, Post, ReviewFinding, ScheduledShare

    if result is None:
        return Changes()
    if isinstance(result, Changes):
        return result
    own = getattr(result, "changes", None)
    if isinstance(own, Changes):
        return own
    if isinstance(result, ImportReport):
        return Changes(posts_added=result.new > 0 or bool(result.unassigned_ids))
    if isinstance(result, Post) and result.id is not None:
        return Changes(post_ids=frozenset({result.id}))
    if isinstance(result, ScheduledShare):
        return Changes(post_ids=frozenset({result.post_id}), schedule_days=frozenset({result.day}))
    if isinstance(result, ConsentRecord):
        return Changes(consent_people=frozenset({result.person_id}))
    if isinstance(result, Person) and result.id is not None:
        return Changes(people=frozenset({result.id}))
    if isinstance(result, ReviewFinding):
        return Changes(post_ids=frozenset({result.post_id}))
    post_id = getattr(result, "post_id", None)  # a photo tag
    if isinstance(post_id, int):
        return Changes(post_ids=frozenset({post_id}))
    if isinstance(result, tuple | list):
        return Changes.of(*result) if result else Changes()
    return Changes.everything()


_SETTING_EVENTS = {  # the audit action → the setting keys it changed (SettingKey)
    "settings.cadence_changed": ("cadence.monthly_limit", "cadence.per_day_channel_cap", "cadence.min_days_between"),
    "settings.risk_terms_changed": ("risk.extra_terms",),
}


def _json(text: str) -> dict[str, object]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _of_event(event: AuditEvent) -> Changes:
    before, after = _json(event.before), _json(event.after)
    ident = frozenset({event.entity_id}) if event.entity_id is not None else frozenset()
    if event.action.startswith("share."):
        days = {v for d in (before, after) if isinstance(v := d.get("day"), str)}
        return Changes(post_ids=ident, schedule_days=frozenset(date.fromisoformat(d) for d in days))
    if event.action == "posts.imported":
        return Changes(posts_added=True)
    if event.entity == "post":
        return Changes(post_ids=ident)
    if event.entity == "evidence":
        return Changes()  # a signed form stored; the consent record that cites it has an event of its own
    if event.entity == "consent":
        people = {v for d in (before, after) if isinstance(v := d.get("person_id"), int)}
        return Changes(consent_people=frozenset(people)) if people else Changes.everything()
    if event.entity == "person":
        return Changes(people=ident)
    if event.entity == "source_account":
        person = after.get("person_id")
        return Changes(people=frozenset({person})) if isinstance(person, int) else Changes.everything()
    if event.entity == "setting":
        return Changes(settings=frozenset(_SETTING_EVENTS.get(event.action, (event.action,))))
    if event.entity == "audit":
        return Changes()  # the trail's own bookkeeping (sealed, key changed, witness restarted)
    if event.entity == "risk_model":  # the team's model: a new one or a rollback changed the shared setting
        return Changes(settings=TEAM_MODEL_SETTINGS) if event.action in _MODEL_CHANGED else Changes()
    return Changes.everything()  # a restore, encryption, anything new: reload everything
