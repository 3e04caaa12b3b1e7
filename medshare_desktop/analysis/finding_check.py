"""The finding check: the engine's last stage asks of each finding how likely it is to be right, and drops the
ones it judges unlikely.

A logistic regression over the finding's category and rule, eight numbers on its shape and company in the post
(`shape_features`), and the sentence encoder's vector of the sentence it sits in, one block of weights per
category. It is fitted on the findings the engine gives on labelled posts, each right (a labelled span of its
category overlaps it) or wrong, by `tests/benchmarks/study_finding_check.py --write`, which also chooses what it
judges; the weights and settings are `resources/models/finding_check/` (`check.npz`, `check.json`, SHA256SUMS).

What it never touches (`check.json`): categories it does not judge (discoverable statements: plain admissions
must stay), patients' names, places and photos (the public PHI set lost patients' names and towns when they were
judged), rules it rarely dropped out of fold (their findings stay without an encoder run), findings past the
post's first `max_sentences` sentences. A finding is dropped only when its probability is under `threshold`,
chosen as the point where dropping a finding is worth it if a missed risk costs a reviewer three false alarms
(1 / (1 + 3)). No Qt; without the folder or the encoder the engine runs without the check.
"""

from __future__ import annotations

import json
import logging
import math
import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from medshare_desktop.core.models import Finding
from medshare_desktop.paths import resource_path

log = logging.getLogger(__name__)

CHECK_NAME = "finding_check"
SHAPE_FEATURES = 8
_SENTENCE_END = re.compile(r"[.!?](?:\s+|$)|\n")
_BEFORE_END = re.compile(r"[.!?]\s+|\n")
_WORD = re.compile(r"\S+")


def check_dir() -> Path:
    return resource_path("models", CHECK_NAME)


@dataclass(frozen=True)
class ReadSettings:
    """How much of a post the check reads."""

    words_before: int = 8  # a long sentence is read from this many words before the finding...
    max_words: int = 40  # ...for at most this many words
    max_sentences: int = 4  # sentences read per post, in text order; findings in later ones stay


class SentenceBounds:
    """Where the check's sentences begin in one text, found in one pass, so that each finding's sentence is
    looked up (bisect) instead of scanning the text from its start: a long post with many findings stays linear.
    `begin(start)` equals the end of the last sentence break wholly before `start` (0 if none), as a scan of
    `text[:start]` would find it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: list[int] = []
        self._ends: list[int] = []
        for m in _BEFORE_END.finditer(text):
            self._starts.append(m.start())
            self._ends.append(m.end())

    def begin(self, start: int) -> int:
        i = bisect_right(self._ends, start)
        begin = self._ends[i - 1] if i else 0
        # a break of punctuation and spaces that runs past `start` still counts, cut at `start`
        if i < len(self._starts) and self._starts[i] + 1 < start < self._ends[i]:
            begin = start
        return begin


def finding_sentence(bounds: SentenceBounds, start: int, end: int, read: ReadSettings = ReadSettings()) -> str:
    """The sentence (or line) of `bounds.text` holding text[start:end], as the check reads it: lower case, whitespace
    collapsed, and of a long sentence `max_words` words from `words_before` words before the finding."""
    text = bounds.text
    begin = bounds.begin(start)
    after = _SENTENCE_END.search(text, end)
    stop = after.end() if after else len(text)
    words = [(m.start(), m.group()) for m in _WORD.finditer(text, begin, stop)]
    if len(words) > read.max_words:
        first = next((i for i, (at, word) in enumerate(words) if at + len(word) > start), len(words) - 1)
        words = words[max(0, first - read.words_before) :][: read.max_words]
    return " ".join(word for _at, word in words).lower()


def shape_features(finding: Finding, findings: Sequence[Finding], text_length: int) -> list[float]:
    """The finding's shape and company in its post (SHAPE_FEATURES numbers, scaled to about 0–1)."""
    per_category = Counter(f.category for f in findings)
    return [
        math.log1p(finding.end - finding.start) / 5,
        math.log1p(text_length) / 7,
        math.log1p(len(findings)) / 3,
        math.log1p(per_category[finding.category] - 1) / 2,
        len(per_category) / 5,
        float(any(f.category is not finding.category and f.start < finding.end and finding.start < f.end
                  for f in findings)),
        float(any(ch.isdigit() for ch in finding.text)),
        float(finding.text[:1].isupper()),
    ]


def read_sentences(
    text: str, findings: Sequence[Finding], judged: Callable[[Finding], bool], read: ReadSettings = ReadSettings()
) -> list[tuple[int, str]]:
    """(finding number, sentence) of the judged findings whose sentence is among the post's first
    `max_sentences` read (findings sorted by start, as the engine gives them)."""
    chosen: list[tuple[int, str]] = []
    seen: set[str] = set()
    bounds: SentenceBounds | None = None  # found at the first judged finding; a post without one skips it
    for i, finding in enumerate(findings):
        if not judged(finding):
            continue
        bounds = bounds or SentenceBounds(text)
        sentence = finding_sentence(bounds, finding.start, finding.end, read)
        if sentence not in seen and len(seen) == read.max_sentences:
            continue
        seen.add(sentence)
        chosen.append((i, sentence))
    return chosen


def feature_row(
    categories: Sequence[str], rules: Sequence[str], finding: Finding, findings: Sequence[Finding], text_length: int,
    vector: np.ndarray,
) -> np.ndarray:
    """One finding's features (its category is one of `categories`): category one-hot, rule one-hot (zeros for a
    rule not in `rules`), SHAPE_FEATURES shape numbers, then the sentence vector in its category's block of
    len(vector) (the others zero). The layout the check is fitted on and read with."""
    fixed = len(categories) + len(rules)
    row = np.zeros(fixed + SHAPE_FEATURES + len(categories) * vector.size)
    c = categories.index(finding.category.value)
    row[c] = 1
    if finding.rule in rules:
        row[len(categories) + rules.index(finding.rule)] = 1
    row[fixed : fixed + SHAPE_FEATURES] = shape_features(finding, findings, text_length)
    at = fixed + SHAPE_FEATURES + c * vector.size
    row[at : at + vector.size] = vector
    return row


@dataclass
class FindingCheck:
    """The fitted check: `weights` is one vector over [category one-hot, rule one-hot, shape, one encoder block
    per category]; `judged_rules` empty means every rule of a judged category and kind is read."""

    categories: tuple[str, ...]
    rules: tuple[str, ...]
    weights: np.ndarray
    bias: float
    threshold: float
    never_judged: frozenset[str] = frozenset()
    judged_rules: frozenset[str] = frozenset()
    read: ReadSettings = ReadSettings()
    meta: dict[str, object] | None = None

    @property
    def dimensions(self) -> int:
        fixed = len(self.categories) + len(self.rules) + SHAPE_FEATURES
        return (self.weights.size - fixed) // len(self.categories)

    def in_scope(self, finding: Finding) -> bool:
        """Whether the check may judge this finding's category and kind (every rule)."""
        category = finding.category.value
        return category in self.categories and f"{category}/{finding.kind}" not in self.never_judged

    def judges(self, finding: Finding) -> bool:
        """Whether the check reads this finding in use."""
        return self.in_scope(finding) and (not self.judged_rules or finding.rule in self.judged_rules)

    def row(self, finding: Finding, findings: Sequence[Finding], text_length: int, vector: np.ndarray) -> np.ndarray:
        """The finding's features, laid out as `weights`."""
        return feature_row(self.categories, self.rules, finding, findings, text_length, vector)

    def probabilities(
        self, text: str, findings: Sequence[Finding], encode: Callable[[list[str]], np.ndarray],
        judged: Callable[[Finding], bool] | None = None,
    ) -> dict[int, float]:
        """{finding number: probability it is right} for the findings read (`judged`, default `judges`)."""
        return self.probabilities_many([(text, findings)], encode, judged)[0]

    def probabilities_many(
        self, posts: Sequence[tuple[str, Sequence[Finding]]], encode: Callable[[list[str]], np.ndarray],
        judged: Callable[[Finding], bool] | None = None,
    ) -> list[dict[int, float]]:
        """`probabilities` of many posts, their sentences encoded in one call (the encoder batches them)."""
        chosen = [read_sentences(text, findings, judged or self.judges, self.read) for text, findings in posts]
        sentences = sorted({sentence for post in chosen for _i, sentence in post})
        vectors = dict(zip(sentences, encode(sentences), strict=True)) if sentences else {}
        out: list[dict[int, float]] = []
        for (text, findings), post in zip(posts, chosen, strict=True):
            found = {}
            for i, sentence in post:
                z = float(self.row(findings[i], findings, len(text), vectors[sentence]) @ self.weights) + self.bias
                found[i] = 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))
            out.append(found)
        return out

    def keep(self, text: str, findings: Sequence[Finding], encode: Callable[[list[str]], np.ndarray]) -> list[Finding]:
        """The findings without those the check judges unlikely (under `threshold`), in their order."""
        return self.keep_many([(text, findings)], encode)[0]

    def keep_many(
        self, posts: Sequence[tuple[str, Sequence[Finding]]], encode: Callable[[list[str]], np.ndarray],
        judged: Callable[[Finding], bool] | None = None,
    ) -> list[list[Finding]]:
        """`keep` for many posts at once; `judged` narrows what is read (default `judges`)."""
        probabilities = self.probabilities_many(posts, encode, judged)
        return [
            [f for i, f in enumerate(findings) if probability.get(i, 1.0) >= self.threshold]
            for (_text, findings), probability in zip(posts, probabilities, strict=True)
        ]

    # ------------------------------------------------------------------ files
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez(folder / "check.npz", weights=self.weights.astype(np.float32), bias=np.float32(self.bias))
        settings = {
            "categories": list(self.categories), "rules": list(self.rules), "threshold": self.threshold,
            "never_judged": sorted(self.never_judged), "judged_rules": sorted(self.judged_rules),
            "read": {"words_before": self.read.words_before, "max_words": self.read.max_words,
                     "max_sentences": self.read.max_sentences},
            **(self.meta or {}),
        }
        (folder / "check.json").write_text(json.dumps(settings, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_finding_check(folder: Path | None = None) -> FindingCheck | None:
    """The check in `folder` (the shipped one by default), or None when there is none or it is unreadable."""
    folder = folder if folder is not None else check_dir()
    if not (folder / "check.json").is_file() or not (folder / "check.npz").is_file():
        return None
    try:
        settings = json.loads((folder / "check.json").read_text(encoding="utf-8"))
        with np.load(folder / "check.npz") as data:
            weights, bias = data["weights"].astype(np.float64), float(data["bias"])
        read = settings.get("read", {})
        known = {"categories", "rules", "threshold", "never_judged", "judged_rules", "read"}
        check = FindingCheck(
            categories=tuple(settings["categories"]), rules=tuple(settings["rules"]), weights=weights, bias=bias,
            threshold=float(settings["threshold"]), never_judged=frozenset(settings.get("never_judged", ())),
            judged_rules=frozenset(settings.get("judged_rules", ())), read=ReadSettings(**read),
            meta={k: v for k, v in settings.items() if k not in known},
        )
        if check.dimensions <= 0 or (check.weights.size - len(check.categories) - len(check.rules)
                                     - SHAPE_FEATURES) % len(check.categories):
            raise ValueError("weights do not match the categories and rules")
        return check
    except (OSError, KeyError, TypeError, ValueError) as exc:
        log.error("finding check at %s could not be loaded: %s", folder, exc)
        return None
