"""What the team taught, in a form cheap to compare: the cascade's "resembles a taught sentence" gate.

A team head (`learning.retrain`) only decides where the encoder runs, and the encoder runs only where
the bag-of-words textcat is unsure; a sentence the textcat is sure about would never reach the team's
head. So a team head folder also holds `taught.npz`: per taught sentence its label and its content
words (stop words out, `rules/lexicons/taught_stop_words.txt`; crude suffix stems, so "beds" and
"bed" or "discovering" and "discovered" meet), each stored as a salted 64-bit hash, never as text.
A sentence reaches the encoder when it shares at least `min_shared` stems and a Jaccard overlap of at
least `min_jaccard` with one taught sentence (`[taught]` of `rules/encoder_gate.toml`): one set
intersection per sentence through an inverted index, no encoder run for sentences sharing nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from medshare_desktop.analysis.rule_files import lower_set, toml_file

FILE_NAME = "taught.npz"
STOP_WORDS = "taught_stop_words"
GATE_FILE = "encoder_gate.toml"
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# longest first; a stem keeps at least MIN_STEM characters
_SUFFIXES = ("ing", "ies", "ied", "ed", "es", "ly", "s")
MIN_STEM = 3


def stems(text: str) -> frozenset[str]:
    """Content-word stems of a sentence (lower-cased, apostrophes and stop words out)."""
    stop = lower_set(STOP_WORDS)
    out = set()
    for word in _WORD.findall(text.lower()):
        word = word.replace("'", "")
        if word in stop or len(word) < 2:
            continue
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                word = word[: -len(suffix)]
                break
        if word.endswith("e") and len(word) > MIN_STEM:
            word = word[:-1]  # "strike", "strikes" and "striking" meet
        out.add(word)
    return frozenset(out)


def _hash(salt: bytes, stem: str) -> int:
    return int.from_bytes(hashlib.blake2b(stem.encode("utf-8"), digest_size=8, key=salt).digest(), "little")


@dataclass(frozen=True)
class TaughtSettings:
    """`[taught]` of rules/encoder_gate.toml (see the comments there)."""

    min_jaccard: float = 0.4
    min_shared: int = 3
    flag: float = 0.5
    silence: float = 0.9


def load_settings() -> TaughtSettings:
    try:
        data = toml_file(GATE_FILE).get("taught", {})
    except FileNotFoundError:
        data = {}
    default = TaughtSettings()
    return TaughtSettings(
        float(data.get("min_jaccard", default.min_jaccard)),
        int(data.get("min_shared", default.min_shared)),
        float(data.get("flag", default.flag)),
        float(data.get("silence", default.silence)),
    )


@dataclass(frozen=True)
class Match:
    labels: frozenset[str]  # the labels of every taught sentence it resembles
    jaccard: float  # the best overlap


class TaughtIndex:
    """The taught sentences' stem hashes with an inverted index (hash -> taught sentence numbers)."""

    def __init__(self, salt: bytes, labels: list[str], sets: list[frozenset[int]], settings: TaughtSettings | None = None) -> None:
        self.salt = salt
        self.labels = labels
        self.sets = sets
        self.settings = settings or load_settings()
        self._postings: dict[int, list[int]] = {}
        for number, hashes in enumerate(sets):
            for h in hashes:
                self._postings.setdefault(h, []).append(number)

    def __len__(self) -> int:
        return len(self.labels)

    @classmethod
    def build(cls, examples: Iterable[tuple[str, str]], salt: bytes | None = None) -> TaughtIndex:
        """From (sentence, label) pairs; sentences with fewer than `min_shared` stems cannot match and are left out."""
        salt = salt if salt is not None else os.urandom(16)
        settings = load_settings()
        labels, sets = [], []
        for text, label in examples:
            words = stems(text)
            if len(words) >= settings.min_shared:
                labels.append(label)
                sets.append(frozenset(_hash(salt, w) for w in words))
        return cls(salt, labels, sets, settings)

    def match(self, text: str) -> Match | None:
        """The taught sentences `text` resembles enough, or None (the usual case, after one dict look-up per stem)."""
        if not self.labels:
            return None
        shared: dict[int, int] = {}
        words = {_hash(self.salt, w) for w in stems(text)}
        for h in words:
            for number in self._postings.get(h, ()):
                shared[number] = shared.get(number, 0) + 1
        labels, best = set(), 0.0
        for number, count in shared.items():
            if count < self.settings.min_shared:
                continue
            jaccard = count / (len(words) + len(self.sets[number]) - count)
            if jaccard >= self.settings.min_jaccard:
                labels.add(self.labels[number])
                best = max(best, jaccard)
        return Match(frozenset(labels), best) if labels else None

    # ------------------------------------------------------------------ files
    def save(self, folder: Path) -> None:
        """Hashes, lengths and labels only: no word of the team's sentences is written."""
        lengths = np.array([len(s) for s in self.sets], dtype=np.int64)
        hashes = np.array([h for s in self.sets for h in sorted(s)], dtype=np.uint64)
        np.savez(folder / FILE_NAME, salt=np.frombuffer(self.salt, dtype=np.uint8), lengths=lengths, hashes=hashes,
                 labels=np.array(self.labels, dtype=np.str_))

    @classmethod
    def load(cls, folder: Path) -> TaughtIndex | None:
        path = folder / FILE_NAME
        if not path.is_file():
            return None
        with np.load(path) as data:
            salt = data["salt"].astype(np.uint8).tobytes()
            lengths = data["lengths"].astype(np.int64)
            hashes = [int(h) for h in data["hashes"].astype(np.uint64)]
            labels = [str(label) for label in data["labels"]]
        sets, start = [], 0
        for length in lengths:
            sets.append(frozenset(hashes[start : start + int(length)]))
            start += int(length)
        return cls(salt, labels, sets)
