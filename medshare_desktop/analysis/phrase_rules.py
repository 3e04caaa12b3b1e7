"""Token-pattern rules (spaCy Matcher over resources/rules/patterns/*.jsonl) and word lists
(PhraseMatcher over resources/rules/lexicons.toml) for patient stories, discoverable,
unprofessional and medical-advice statements, plus patient photos.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from medshare_desktop.analysis import negation
from medshare_desktop.analysis.candidates import (
    Candidate,
    add_candidate,
    doc_text,
    paragraph_bounds,
    register_extensions,
    set_aside,
)
from medshare_desktop.analysis.explanations import default_severity
from medshare_desktop.analysis.patient_context import sentence_index, sentence_infos, sentence_meets
from medshare_desktop.analysis.rule_files import PatternRule, cue, pattern_rules, toml_file, word_list, word_set
from medshare_desktop.core.models import RiskCategory, Severity

_CUES = "phrases"  # its tables in resources/rules/word_lists.toml and context_cues.toml

# Words too common to look a rule up by (a rule whose every required token is common is looked up by one anyway)
COMMON_WORDS = word_set(_CUES, "common_words")


def required_words(pattern: list[dict[str, Any]]) -> list[frozenset[str]]:
    """For each token the pattern cannot skip and that is given by its lower-case form: the words it
    accepts. A sentence must hold one word of every set for the pattern to match there."""
    needs = []
    for token in pattern:
        op = token.get("OP", "")
        if op in {"?", "*"} or op.startswith("{0"):
            continue
        lower = token.get("LOWER")
        if isinstance(lower, str):
            needs.append(frozenset({lower}))
        elif isinstance(lower, dict) and "IN" in lower:
            needs.append(frozenset(lower["IN"]))
    return needs


@dataclass(frozen=True, slots=True)
class _KeyedRule:
    """One pattern rule with its own Matcher, run only on sentences that hold its required words
    (spaCy evaluates set predicates in Python, token by token: running every pattern on every
    sentence cost most of the component's time)."""

    needs: tuple[frozenset[int], ...]  # lower-case word hashes; one of each set must occur
    matcher: Matcher


@dataclass(frozen=True, slots=True)
class RuleMeta:
    id: str
    category: RiskCategory
    kind: str
    severity: Severity
    negatable: bool
    hypothetical: bool
    education_exempt: bool
    requires: tuple[str, ...]
    not_followed_by: frozenset[str]
    not_preceded_by: frozenset[str]
    priority: int
    mention_exempt: bool = False  # a quoted term talked about ("stop calling patients "frequent flyers"")


QUOTES = frozenset("\"“”‘’'«»")
MENTION_CUES = word_set(_CUES, "mention_cues")


GENERAL_STATEMENT = cue(_CUES, "general_statement")


ABOUT_WORDS = cue(_CUES, "about_words")
CALLED_BEFORE = cue(_CUES, "called_before")


def _is_mention(doc: Doc, start: int, end: int) -> bool:
    """The term is mentioned, not used: named as a label ("the people we call frequent flyers"), or
    in quotes after a word about words, or in quotes in a paragraph about words."""
    span_start = doc[start].idx
    text = doc_text(doc)
    if CALLED_BEFORE.search(text, max(0, span_start - 40), span_start):
        return True
    if start == 0 or doc[start - 1].text not in QUOTES:
        return False
    if ABOUT_WORDS.search(text, *paragraph_bounds(text, span_start)):
        return True  # quoted in a paragraph about words
    if not (
        end < len(doc)
        and (
            doc[end].text in QUOTES
            or doc[end].text[:1] in QUOTES
            or (doc[end].is_punct and end + 1 < len(doc) and doc[end + 1].text in QUOTES)
        )
    ):
        return False
    return any(doc[k].lower_ in MENTION_CUES for k in range(max(0, start - 7), start - 1))


def _meta_from_rule(rule: PatternRule) -> RuleMeta:
    category = RiskCategory(rule.category)
    return RuleMeta(
        id=rule.id,
        category=category,
        kind=rule.kind,
        severity=Severity(rule.severity) if rule.severity else default_severity(category, rule.kind),
        negatable=rule.negatable,
        hypothetical=rule.hypothetical,
        education_exempt=rule.education_exempt,
        requires=rule.requires,
        not_followed_by=rule.not_followed_by,
        not_preceded_by=rule.not_preceded_by,
        priority=rule.priority,
    )


class PhraseRulesComponent:
    """Runs the Matcher and PhraseMatchers, filters matches by context, adds candidates."""

    def __init__(self, nlp: Language) -> None:
        self.vocab = nlp.vocab
        self.matcher = Matcher(nlp.vocab, validate=True)  # rules without a cheap sentence filter
        self.keyed: list[_KeyedRule] = []
        self.by_word: dict[int, list[int]] = {}  # word hash -> keyed rules whose trigger need it meets
        self.lower_phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact_phrases = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.meta: dict[str, RuleMeta] = {}
        self._load_patterns()
        self._load_lexicons(nlp)

    def _load_patterns(self) -> None:
        for rule in pattern_rules():
            self.meta[rule.id] = _meta_from_rule(rule)
            needs = required_words(rule.pattern)
            if not needs:
                self.matcher.add(rule.id, [rule.pattern], greedy="LONGEST")
                continue
            matcher = Matcher(self.vocab, validate=True)
            matcher.add(rule.id, [rule.pattern], greedy="LONGEST")
            strings = self.vocab.strings
            keyed = _KeyedRule(tuple(frozenset(strings.add(w) for w in words) for words in needs), matcher)
            # The rule is looked up by its most selective need (no common words, fewest words); the others
            # are checked only for the sentences that meet it.
            trigger = min(needs, key=lambda words: (bool(words & COMMON_WORDS), len(words)))
            for word in trigger:
                self.by_word.setdefault(strings.add(word), []).append(len(self.keyed))
            self.keyed.append(keyed)

    def _load_lexicons(self, nlp: Language) -> None:
        for entry in toml_file("lexicons.toml")["lexicon"]:
            category = RiskCategory(entry["category"])
            rule_id = entry["id"]
            self.meta[rule_id] = RuleMeta(
                id=rule_id,
                category=category,
                kind=entry["kind"],
                severity=Severity(entry.get("severity", default_severity(category, entry["kind"]).value)),
                negatable=entry.get("negatable", False),
                hypothetical=False,
                education_exempt=False,
                requires=tuple(entry.get("requires", ())),
                not_followed_by=frozenset(entry.get("not_followed_by", ())),
                not_preceded_by=frozenset(entry.get("not_preceded_by", ())),
                priority=entry.get("priority", 40),
                mention_exempt=bool(entry.get("mention_exempt", False)),
            )
            self.add_terms(nlp, rule_id, word_list(entry["file"].removesuffix(".txt")))

    def add_terms(self, nlp: Language, rule_id: str, terms: tuple[str, ...] | list[str]) -> None:
        lower = [nlp.make_doc(t) for t in terms if not (t.isupper() and len(t) > 1)]
        exact = [nlp.make_doc(t) for t in terms if t.isupper() and len(t) > 1]
        if lower:
            self.lower_phrases.add(rule_id, lower)
        if exact:
            self.exact_phrases.add(rule_id, exact)

    def __call__(self, doc: Doc) -> Doc:
        matches = list(self.matcher(doc))
        lowers = doc.to_array(LOWER).tolist()
        by_word = self.by_word
        for sent in doc.sents:
            words = set(lowers[sent.start : sent.end])
            triggered = {index for word in words if word in by_word for index in by_word[word]}
            for rule_index in sorted(triggered):
                rule = self.keyed[rule_index]
                if all(not need.isdisjoint(words) for need in rule.needs):
                    offset = sent.start
                    matches.extend((m, s + offset, e + offset) for m, s, e in rule.matcher(sent))
        matches += self.lower_phrases(doc)
        matches += self.exact_phrases(doc)
        if not matches:
            return doc
        text = doc_text(doc)
        infos = sentence_infos(doc)
        starts = [info.start for info in infos]
        strings = self.vocab.strings
        for match_id, start, end in matches:
            meta = self.meta.get(strings[match_id])
            if meta is None:
                continue
            span = doc[start:end]
            if not self._context_ok(doc, meta, start, end):
                continue
            if meta.mention_exempt and _is_mention(doc, start, end):
                set_aside(doc, span.start_char, span.end_char, meta.category)
                continue
            if meta.category is RiskCategory.UNPROFESSIONAL and negation.is_quoted_example(text, span.start_char):
                set_aside(doc, span.start_char, span.end_char, meta.category)
                continue
            info = infos[sentence_index(infos, starts, span.start_char)]
            if span.end_char > info.end:
                continue  # a match may not run across sentences
            if meta.category is RiskCategory.DISCOVERABLE and GENERAL_STATEMENT.search(text, info.start, info.end):
                continue
            if meta.negatable and negation.is_negated(text, info, span.start_char):
                set_aside(doc, span.start_char, span.end_char, meta.category)
                continue
            if meta.category is RiskCategory.DISCOVERABLE and negation.is_someone_elses(text, info, span.start_char):
                continue
            if meta.hypothetical and negation.is_hypothetical(text, info, span.start_char, span.end_char):
                continue
            if meta.education_exempt and info.education:
                continue
            if any(not sentence_meets(text, info, need) for need in meta.requires):
                continue
            add_candidate(
                doc,
                Candidate(
                    span.start_char, span.end_char, meta.category, meta.kind, meta.id, meta.severity, meta.priority
                ),
            )
        return doc

    @staticmethod
    def _context_ok(doc: Doc, meta: RuleMeta, start: int, end: int) -> bool:
        if meta.not_followed_by and end < len(doc) and doc[end].lower_ in meta.not_followed_by:
            return False
        if meta.not_preceded_by and start > 0 and doc[start - 1].lower_ in meta.not_preceded_by:
            return False
        return True


@Language.factory("medshare_phrase_rules")
def make_phrase_rules(nlp: Language, name: str) -> PhraseRulesComponent:
    register_extensions()
    return PhraseRulesComponent(nlp)
