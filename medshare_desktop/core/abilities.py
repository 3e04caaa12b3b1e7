"""What this login may change: on a team server each desk's login is in groups that may change some work
areas and only read the others; a database file may be changed everywhere.

The server's refusal stays the real guard (PermissionDeniedError); this value lets the screens say up front
what this login may do, instead of refusing on click.
"""

from __future__ import annotations

from dataclasses import dataclass, field

AREAS = ("posts", "schedule", "consent", "people", "settings")

# what an area is, in the words of the sentence a user reads
AREA_WORDS = {
    "posts": "posts",
    "schedule": "the calendar",
    "consent": "the consent register",
    "people": "people",
    "settings": "the team's settings",
}


@dataclass(frozen=True, slots=True)
class Abilities:
    posts: bool = True  # review, approve, reject, repurpose, import, paste, assign a person
    schedule: bool = True  # schedule, move, unschedule, accept a proposed month
    consent: bool = True  # add, edit, revoke consent; attach signed forms
    people: bool = True  # add and edit people and their accounts
    settings: bool = True  # the team's settings (cadence, terms, places, contact, weights)
    login: str = ""  # the server's name for this login ("" for a database file)
    groups: tuple[str, ...] = ()  # the MedShare groups the login is in
    needs: dict[str, str] = field(default_factory=dict)  # area -> the group that may change it

    def may(self, area: str) -> bool:
        if area not in AREAS:
            raise KeyError(area)
        return bool(getattr(self, area))

    @property
    def everything(self) -> bool:
        return all(self.may(area) for area in AREAS)

    @property
    def read_only(self) -> bool:
        return not any(self.may(area) for area in AREAS)

    def refused(self) -> list[str]:
        return [area for area in AREAS if not self.may(area)]

    def why_not(self, area: str) -> str:
        """The tooltip of an action the login may not do ("" when it may)."""
        if self.may(area):
            return ""
        who = f"Your login {self.login}" if self.login else "This login"
        where = (f"is in {' and '.join(self.groups)}" if self.groups else "is in no MedShare group")
        need = self.needs.get(area)
        ask = (f"Ask the team server's administrator for {need}." if need
               else "Ask the team server's administrator if your desk should be allowed to.")
        return f"{who} {where}: it may read but not change {AREA_WORDS[area]}. {ask}"

    def summary(self) -> str:
        """The status bar's note ("" when the login may change everything)."""
        if self.everything:
            return ""
        groups = ", ".join(self.groups) if self.groups else "no MedShare group"
        if self.read_only:
            return f"Read-only login ({groups})"
        return f"Limited login ({groups}): may not change " + ", ".join(AREA_WORDS[a] for a in self.refused())


EVERYTHING = Abilities()
