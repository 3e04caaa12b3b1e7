"""Sentence-level rules from resources/rules/sentence_cues.toml.

A sentence is flagged when all of a rule's cue groups match in it and none of its excluding
groups do. This catches statements the token patterns miss ("She held my hand in bay 4 and
thanked me"), at the price of a sentence-wide span for the reviewer to read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from medshare_desktop.analysis import negation
from medshare_desktop.analysis.candidates import (
    Candidate,
    add_candidate,
    doc_text,
    paragraph_bounds,
    register_extensions,
    set_aside,
    trimmed,
)
from medshare_desktop.analysis.explanations import default_severity
from medshare_desktop.analysis.patient_context import sentence_infos
from medshare_desktop.analysis.regex_prefilter import PatternSet
from medshare_desktop.analysis.rule_files import toml_file
from medshare_desktop.core.models import RiskCategory, Severity


@dataclass(frozen=True, slots=True)
class SentenceRule:
    id: str
    category: RiskCategory
    kind: str
    severity: Severity
    required: tuple[re.Pattern[str], ...]
    excluded: tuple[re.Pattern[str], ...]
    hypothetical: bool
    negatable: bool = True
    # Required cues that may also be found earlier in the same paragraph (e.g. "@name" opening a reply
    # makes every sentence after it addressed to that person).
    in_paragraph: frozenset[re.Pattern[str]] = frozenset()
    weights: tuple[tuple[re.Pattern[str], int], ...] = ()  # scored rules: cue weights
    threshold: int = 0


def _compile_cue(pattern: str) -> re.Pattern[str]:
    """Cues are matched against lower-cased text without IGNORECASE (several times faster in `re`),
    except cues that test capitals ("[A-Z]", "(?-i:"), which see the original text case-insensitively.
    Cue words are English: ASCII word boundaries are enough and about a fifth faster than Unicode ones."""
    if "[A-Z]" in pattern or "(?-i:" in pattern:
        return re.compile(pattern, re.IGNORECASE | re.MULTILINE | re.ASCII)
    return re.compile(pattern, re.MULTILINE | re.ASCII)


def load_sentence_rules(file_name: str = "sentence_cues.toml") -> list[SentenceRule]:
    data = toml_file(file_name)
    cues = {name: _compile_cue(pattern) for name, pattern in data["cues"].items()}
    rules = []
    for raw in data["rule"]:
        category = RiskCategory(raw["category"])
        rules.append(
            SentenceRule(
                id=raw["id"],
                category=category,
                kind=raw["kind"],
                severity=Severity(raw.get("severity", default_severity(category, raw["kind"]).value)),
                required=tuple(cues[name] for name in raw["all"]),
                excluded=tuple(cues[name] for name in raw.get("none", ())),
                hypothetical=bool(raw.get("hypothetical", False)),
                negatable=bool(raw.get("negatable", True)),
                in_paragraph=frozenset(cues[name] for name in raw.get("in_paragraph", ())),
            )
        )
    for raw in data.get("scored", ()):
        category = RiskCategory(raw["category"])
        rules.append(
            SentenceRule(
                id=raw["id"],
                category=category,
                kind=raw["kind"],
                severity=Severity(raw.get("severity", default_severity(category, raw["kind"]).value)),
                required=(_compile_cue("|".join(f"(?:{data['cues'][name]})" for name in raw["any"])),),
                excluded=tuple(cues[name] for name in raw.get("none", ())),
                hypothetical=bool(raw.get("hypothetical", False)),
                weights=tuple((cues[name], int(weight)) for name, weight in raw["weights"].items()),
                threshold=int(raw["threshold"]),
            )
        )
    return rules


class _CueIndex:
    """Every cue pattern of the rules, with one RE2 pass per text telling which of them can match
    (cues that test capitals see the original text, the others the lower-cased text, as in `_Memo`)."""

    def __init__(self, rules: list[SentenceRule]) -> None:
        patterns: dict[re.Pattern[str], None] = {}
        for rule in rules:
            for pattern in (*rule.required, *rule.excluded, *(p for p, _ in rule.weights)):
                patterns[pattern] = None
        self.cased = [p for p in patterns if p.flags & re.IGNORECASE]
        self.lowered = [p for p in patterns if not p.flags & re.IGNORECASE]
        self.cased_ids = frozenset(id(p) for p in self.cased)
        self._cased_set = PatternSet(self.cased)
        self._lowered_set = PatternSet(self.lowered)

    def candidates(self, text: str, lower: str | None) -> set[int]:
        """ids (`id()`) of the cue patterns that may match: hashing a compiled pattern hashes its whole
        program, so patterns are looked up by identity."""
        found = {id(self.cased[i]) for i in self._cased_set.candidates(text)}
        if lower is None:  # lower-casing changed the length: these cues are searched case-insensitively
            lowered = self._lowered_set.candidates(text.lower())
            lowered |= self._lowered_set.candidates(text)
        else:
            lowered = self._lowered_set.candidates(lower)
        found.update(id(self.lowered[i]) for i in lowered)
        return found


class _Memo:
    """Search results of each cue pattern on one string, computed at most once (cues are shared by rules).
    A cue the RE2 pass rules out is not searched at all."""

    def __init__(self, text: str, cues: _CueIndex) -> None:
        self.text = text
        self.cased_ids = cues.cased_ids
        lower = text.lower()
        self.lower = lower if len(lower) == len(text) else None  # offsets must stay valid
        self.found: dict[int, re.Match[str] | None] = {}  # by id(pattern)
        self.possible = cues.candidates(text, self.lower)

    def search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        key = id(pattern)
        if key in self.found:
            return self.found[key]
        if key not in self.possible:
            found = None
        elif key in self.cased_ids:
            found = pattern.search(self.text)
        elif self.lower is not None:
            found = pattern.search(self.lower)
        else:
            found = re.compile(pattern.pattern, pattern.flags | re.IGNORECASE).search(self.text)
        self.found[key] = found
        return found


def _score(rule: SentenceRule, memo: _Memo) -> int:
    return sum(weight for pattern, weight in rule.weights if memo.search(pattern))


class SentenceRulesComponent:
    def __init__(self, rules: list[SentenceRule]) -> None:
        self.rules = rules
        self.cues = _CueIndex(rules)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        # Rules whose every cue group may occur somewhere in the text (by the RE2 pass); the others cannot fire.
        whole = _Memo(text, self.cues)
        rules = [r for r in self.rules if all(id(p) in whole.possible for p in r.required)]
        if not rules:
            return doc
        for info in sentence_infos(doc):
            start, end = trimmed(text, info.start, info.end)
            if end - start < 8:
                continue
            memo = _Memo(text[start:end], self.cues)
            paragraph: _Memo | None = None
            for rule in rules:
                anchor = memo.search(rule.required[0])
                if anchor is None:
                    continue
                missing = [p for p in rule.required[1:] if memo.search(p) is None]
                if missing:
                    if not all(p in rule.in_paragraph for p in missing):
                        continue
                    if paragraph is None:
                        paragraph = _Memo(text[paragraph_bounds(text, start)[0] : end], self.cues)
                    if any(paragraph.search(p) is None for p in missing):
                        continue
                if any(memo.search(p) for p in rule.excluded):
                    continue
                if rule.threshold and _score(rule, memo) < rule.threshold:
                    continue
                anchor_at = start + anchor.start()
                if rule.negatable and (
                    negation.is_negated_nearby(text, info, anchor_at)
                    if rule.category is RiskCategory.UNPROFESSIONAL
                    else negation.is_negated(text, info, anchor_at)
                ):
                    set_aside(doc, anchor_at, start + anchor.end(), rule.category)
                    continue
                if rule.hypothetical and negation.is_hypothetical(text, info, anchor_at, start + anchor.end()):
                    continue
                if rule.category is RiskCategory.UNPROFESSIONAL and negation.is_quoted_example(text, anchor_at):
                    set_aside(doc, anchor_at, start + anchor.end(), rule.category)
                    continue
                add_candidate(doc, Candidate(start, end, rule.category, rule.kind, rule.id, rule.severity, 20))
        return doc


@Language.factory("medshare_sentence_rules", default_config={"rules_file": "sentence_cues.toml"})
def make_sentence_rules(nlp: Language, name: str, rules_file: str) -> SentenceRulesComponent:
    register_extensions()
    return SentenceRulesComponent(load_sentence_rules(rules_file))
