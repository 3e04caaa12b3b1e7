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
from medshare_desktop.analysis.candidates import Candidate, add_candidate, register_extensions
from medshare_desktop.analysis.explanations import default_severity
from medshare_desktop.analysis.patient_context import sentence_infos
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
    weights: tuple[tuple[re.Pattern[str], int], ...] = ()  # scored rules: cue weights
    threshold: int = 0


def load_sentence_rules(file_name: str = "sentence_cues.toml") -> list[SentenceRule]:
    data = toml_file(file_name)
    cues = {name: re.compile(pattern, re.IGNORECASE | re.MULTILINE) for name, pattern in data["cues"].items()}
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
                required=(re.compile("|".join(f"(?:{cues[name].pattern})" for name in raw["any"]),
                                     re.IGNORECASE | re.MULTILINE),),
                excluded=tuple(cues[name] for name in raw.get("none", ())),
                hypothetical=bool(raw.get("hypothetical", False)),
                weights=tuple((cues[name], int(weight)) for name, weight in raw["weights"].items()),
                threshold=int(raw["threshold"]),
            )
        )
    return rules


def _score(rule: SentenceRule, sentence: str) -> int:
    return sum(weight for pattern, weight in rule.weights if pattern.search(sentence))


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class SentenceRulesComponent:
    def __init__(self, rules: list[SentenceRule]) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        # Rules whose every cue group occurs somewhere in the text; the others cannot fire.
        rules = [r for r in self.rules if all(p.search(text) for p in r.required)]
        if not rules:
            return doc
        for info in sentence_infos(doc):
            start, end = _trimmed(text, info.start, info.end)
            if end - start < 8:
                continue
            sentence = text[start:end]
            for rule in rules:
                anchor = rule.required[0].search(sentence)
                if anchor is None or any(p.search(sentence) is None for p in rule.required[1:]):
                    continue
                if any(p.search(sentence) for p in rule.excluded):
                    continue
                if rule.threshold and _score(rule, sentence) < rule.threshold:
                    continue
                anchor_at = start + anchor.start()
                if negation.is_negated(text, info, anchor_at):
                    continue
                if rule.hypothetical and negation.is_hypothetical(text, info, anchor_at, start + anchor.end()):
                    continue
                add_candidate(doc, Candidate(start, end, rule.category, rule.kind, rule.id, rule.severity, 20))
        return doc


@Language.factory("medshare_sentence_rules", default_config={"rules_file": "sentence_cues.toml"})
def make_sentence_rules(nlp: Language, name: str, rules_file: str) -> SentenceRulesComponent:
    register_extensions()
    return SentenceRulesComponent(load_sentence_rules(rules_file))
