"""Whose post is this? Link an imported post to a person by its account handle, else by the name.

Pure functions over the people and accounts the team keeps: the import, the People screen and the
scheduler all use the same rule, so a post is linked the same way whichever way it came in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from medshare_desktop.core.models import ImportedPost, Person, Platform, SourceAccount

_NOT_NAME = re.compile(r"[^\w\s]")


def handle_key(handle: str) -> str:
    """The form handles are compared in: lower-case, no leading "@", no spaces ("@DrPatel" → "drpatel")."""
    return handle.strip().lstrip("@").strip().lower()


def name_key(name: str) -> str:
    """The form names are compared in: case and punctuation ignored ("Dr. Ana  Silva" → "dr ana silva")."""
    return " ".join(_NOT_NAME.sub(" ", name).casefold().split())


@dataclass(frozen=True, slots=True)
class Owner:
    """Who a post belongs to: the account it came from (when known) and the person."""

    account_id: int | None = None
    person_id: int | None = None
    how: str = ""  # "account" | "name" | "chosen" | "" (not linked)


NOBODY = Owner()


@dataclass(slots=True)
class OwnerIndex:
    """The team's accounts and people, indexed for linking many posts quickly."""

    by_handle: dict[tuple[Platform, str], tuple[int, int]] = field(default_factory=dict)
    by_name: dict[str, int | None] = field(default_factory=dict)  # None: two people share the name
    platforms_of: dict[int, set[Platform]] = field(default_factory=dict)  # person → platforms with an account

    @classmethod
    def build(cls, people: Iterable[Person], accounts: Iterable[SourceAccount]) -> OwnerIndex:
        index = cls()
        for account in accounts:
            if account.id is not None:
                index.by_handle[(account.platform, handle_key(account.handle))] = (account.id, account.person_id)
                index.platforms_of.setdefault(account.person_id, set()).add(account.platform)
        for person in people:
            if person.id is None:
                continue
            for spelling in {name_key(person.name), *(name_key(a) for a in person.aliases)}:
                if not spelling:
                    continue
                known = index.by_name.get(spelling, person.id)
                index.by_name[spelling] = person.id if known == person.id else None
        return index

    def owner(self, post: ImportedPost) -> Owner:
        """The account with the post's platform and handle (watched or not) wins; else a person whose
        name or other spelling is the post's author, when exactly one person has it — unless the post
        comes from a handle the team does not know and that person has another account on the same
        platform (someone else using the name); else nobody."""
        key = handle_key(post.handle)
        if key:
            found = self.by_handle.get((post.platform, key))
            if found is not None:
                return Owner(found[0], found[1], "account")
        for candidate in (post.author, post.handle):
            person_id = self.by_name.get(name_key(candidate)) if candidate.strip() else None
            if person_id is None:
                continue
            if key and post.platform in self.platforms_of.get(person_id, set()):
                return NOBODY
            return Owner(None, person_id, "name")
        return NOBODY


def describe_source(post: ImportedPost) -> str:
    """How a post names its author, for "whose posts are these?": "Ana Silva (@ana, X)"."""
    author = post.author.strip()
    handle = post.handle.strip()
    if handle and not handle.startswith("@") and post.platform in (Platform.X, Platform.MASTODON):
        handle = "@" + handle
    if author and handle and name_key(author) != name_key(handle):
        return f"{author} ({handle}, {post.platform.label})"
    return f"{author or handle} ({post.platform.label})" if author or handle else ""
