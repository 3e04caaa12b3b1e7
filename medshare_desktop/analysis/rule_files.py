"""Loading rule data from `resources/rules` (regex TOML, JSONL Matcher patterns, word lists).

JSONL pattern lines may hold a raw spaCy Matcher `pattern`, or a compact `match` string that
`compile_match()` turns into one (see resources/rules/README.md for the shorthand).
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from medshare_desktop.paths import resource_path

_OP_SUFFIX = re.compile(r"^(?P<body>.*?)(?P<op>\{\d*,\d*\}|\?|\+|\*)?$")


def rules_dir() -> Path:
    return resource_path("rules")


@cache
def word_list(name: str) -> tuple[str, ...]:
    """A lexicon from resources/rules/lexicons/<name>.txt (one entry a line, '#' comments)."""
    path = rules_dir() / "lexicons" / f"{name}.txt"
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    return tuple(entries)


@cache
def lower_set(name: str) -> frozenset[str]:
    return frozenset(entry.lower() for entry in word_list(name))


@cache
def toml_file(name: str) -> dict[str, Any]:
    with (rules_dir() / name).open("rb") as handle:
        return tomllib.load(handle)


def word_tuple(table: str, name: str) -> tuple[str, ...]:
    """One list of a component's table in resources/rules/word_lists.toml, in file order, as written."""
    return tuple(toml_file("word_lists.toml")[table][name])


def word_set(table: str, name: str) -> frozenset[str]:
    """One list of a component's table in resources/rules/word_lists.toml, as a set."""
    return frozenset(word_tuple(table, name))


def word_set_table(table: str, name: str) -> dict[str, frozenset[str]]:
    """A sub-table of word lists (key -> set) of a component's table in resources/rules/word_lists.toml."""
    return {key: frozenset(values) for key, values in toml_file("word_lists.toml")[table][name].items()}


_FRAGMENT = re.compile(r"\$\{(\w+)\}")


def cue(table: str, name: str, flags: int = re.IGNORECASE, **fragments: str) -> re.Pattern[str]:
    """A named regex of a component's table in resources/rules/context_cues.toml; `${name}` in it is
    replaced by the fragment the code passes (a regex built from a word list, or another cue's text)."""
    text = toml_file("context_cues.toml")[table][name]
    return re.compile(_FRAGMENT.sub(lambda match: fragments[match.group(1)], text), flags)


@cache
def named_lists() -> dict[str, tuple[str, ...]]:
    """Token lists referenced as `@name` in `match` strings (resources/rules/lists.toml)."""
    data = toml_file("lists.toml")
    return {key: tuple(str(v).lower() for v in values) for key, values in data.items()}


@dataclass(frozen=True, slots=True)
class PatternRule:
    id: str
    category: str
    kind: str
    pattern: list[dict[str, Any]]
    severity: str | None = None
    negatable: bool = True
    hypothetical: bool = False
    education_exempt: bool = False
    requires: tuple[str, ...] = field(default=())
    not_followed_by: frozenset[str] = frozenset()
    not_preceded_by: frozenset[str] = frozenset()
    priority: int = 50


def _token_spec(spec: str, lists: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    match = _OP_SUFFIX.match(spec)
    assert match is not None
    body, op = match.group("body"), match.group("op")
    if body == "" and op == "*":  # a lone "*" is the wildcard, not an operator
        body, op = "*", None
    token: dict[str, Any]
    if body == "*":
        token = {}
    elif body == "#":
        token = {"LIKE_NUM": True}
    elif body == "~Cap":
        token = {"IS_TITLE": True}
    else:
        negate = body.startswith("!")
        words: list[str] = []
        for item in body.lstrip("!").split("|"):
            if item.startswith("@"):
                words.extend(lists[item[1:]])
            elif item:
                words.append(item.lower())
        if negate:
            token = {"LOWER": {"NOT_IN": words}}
        elif len(words) == 1:
            token = {"LOWER": words[0]}
        else:
            token = {"LOWER": {"IN": words}}
    if op:
        token["OP"] = op
    return token


def compile_match(text: str, lists: dict[str, tuple[str, ...]] | None = None) -> list[dict[str, Any]]:
    """Turn `"you should stop|quit taking? your? @medications"` into a spaCy Matcher pattern."""
    lists = named_lists() if lists is None else lists
    return [_token_spec(spec, lists) for spec in text.split()]


@cache
def pattern_rules() -> tuple[PatternRule, ...]:
    """All JSONL pattern rules under resources/rules/patterns/."""
    rules = []
    for path in sorted((rules_dir() / "patterns").glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                data = json.loads(line)
                pattern = data["pattern"] if "pattern" in data else compile_match(data["match"])
            except (ValueError, KeyError) as exc:
                raise ValueError(f"{path.name}:{number}: bad pattern line ({exc})") from exc
            category = data["category"]
            rules.append(
                PatternRule(
                    id=data["id"],
                    category=category,
                    kind=data["kind"],
                    pattern=pattern,
                    severity=data.get("severity"),
                    negatable=data.get("negatable", True),
                    hypothetical=data.get("hypothetical", category == "patient_story"),
                    education_exempt=data.get("education_exempt", False),
                    requires=tuple(data.get("requires", ())),
                    not_followed_by=frozenset(data.get("not_followed_by", ())),
                    not_preceded_by=frozenset(data.get("not_preceded_by", ())),
                    priority=data.get("priority", 50),
                )
            )
    return tuple(rules)
