"""Free-text reasons for rejection put into a few groups named in general words.

A reviewer's reason may quote the post (and so a patient); reports show only the group's label. The
groups are data: resources/editorial/rejection_reasons.toml (first group with a matching word wins).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from medshare_desktop.paths import resource_path

GROUPS_FILE = ("editorial", "rejection_reasons.toml")


@dataclass(frozen=True, slots=True)
class ReasonGroup:
    label: str
    pattern: re.Pattern[str]  # any of the group's words at the start of a word


@dataclass(frozen=True, slots=True)
class ReasonGroups:
    groups: tuple[ReasonGroup, ...]
    other: str

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label a reason can get, in the file's order, "other" last."""
        return (*(g.label for g in self.groups), self.other)

    def label_for(self, reason: str) -> str:
        text = " ".join(reason.lower().split())
        for group in self.groups:
            if group.pattern.search(text):
                return group.label
        return self.other


def parse_groups(data: Mapping[str, object]) -> ReasonGroups:
    """The groups from the TOML file's table (`other` and `[[group]]` entries with `label` and `words`)."""
    groups: list[ReasonGroup] = []
    entries = data.get("group", [])
    assert isinstance(entries, Sequence)
    for entry in entries:
        assert isinstance(entry, Mapping)
        words = [str(w).lower() for w in entry.get("words", [])]
        if not words:
            continue
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        groups.append(ReasonGroup(str(entry["label"]), re.compile(rf"(?<![\w-])(?:{alternatives})")))
    return ReasonGroups(tuple(groups), str(data.get("other", "Other reasons")))


@lru_cache(maxsize=1)
def default_groups() -> ReasonGroups:
    with open(resource_path(*GROUPS_FILE), "rb") as handle:
        return parse_groups(tomllib.load(handle))


def general_reason(reason: str) -> str:
    """The reason in general words (its group's label), never the reviewer's own text."""
    return default_groups().label_for(reason)
