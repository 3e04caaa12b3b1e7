"""The RE2 pre-pass may only skip regexes that cannot match: findings must be exactly those of `re` alone."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from medshare_desktop.analysis import RiskEngine, patient_context
from medshare_desktop.analysis.phi_patterns import load_regex_rules
from medshare_desktop.analysis.regex_prefilter import PatternSet, Unsupported, loosen
from medshare_desktop.analysis.sentence_rules import load_sentence_rules

ROOT = Path(__file__).resolve().parents[2]
TRAINING = ROOT / "resources" / "training"

needs_re2 = pytest.mark.skipif(not PatternSet.available, reason="google-re2 is not installed")


def _texts() -> list[str]:
    """Realistic sentences (training data and the labelled corpus) plus variants with non-ASCII letters,
    no-break spaces, emoji and upper case, where RE2's and Python's character classes differ."""
    texts = []
    for path in sorted(TRAINING.glob("*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines()[::10]  # a tenth keeps the test to a few seconds
        texts += [json.loads(line)["text"] for line in lines if line]
    for line in (ROOT / "tests" / "data" / "risk_corpus.jsonl").read_text(encoding="utf-8").splitlines()[::4]:
        texts.append(json.loads(line)["text"])
    variants = []
    for text in texts[::6]:
        variants += [
            text.replace(" ", "\u00a0"),
            text.replace("e", "é"),
            text.upper(),
            "🙏 " + text.replace(".", " 🎉."),
            text.replace(" ", "\u2028", 3),
        ]
    return texts + variants


def _patterns() -> list[re.Pattern[str]]:
    patterns = [rule.regex for rule in load_regex_rules()]
    patterns += [patient_context.PATIENT_CUES, patient_context.THIRD_PERSON, patient_context.FIRST_PERSON]
    patterns += [patient_context.HYPOTHETICAL, patient_context.EDUCATION]
    for rule in load_sentence_rules():
        patterns += [*rule.required, *rule.excluded, *(p for p, _ in rule.weights)]
    return list({id(p): p for p in patterns}.values())


@needs_re2
def test_pre_pass_never_rules_out_a_regex_that_matches() -> None:
    patterns = _patterns()
    prefilter = PatternSet(patterns)
    assert len(prefilter._always) < len(patterns) / 10, "most rule regexes should go through RE2"
    texts = _texts()
    assert len(texts) > 1000
    missed = []
    skipped = 0
    for text in texts:
        possible = prefilter.candidates(text)
        for index, pattern in enumerate(patterns):
            if index not in possible:
                skipped += 1
                if pattern.search(text):
                    missed.append((pattern.pattern[:60], text[:80]))
    assert not missed, missed[:5]
    assert skipped > len(texts) * len(patterns) * 0.8, "the pre-pass should rule out most regexes"


@pytest.mark.parametrize(
    ("pattern", "flags", "text_it_must_find"),
    [
        (r"(?<!\d)\b\d{3}-\d{4}\b(?!\d)", 0, "call 555-0142"),
        (r"^\s*room\s+\d+$", re.IGNORECASE | re.MULTILINE, "ROOM 12"),
        (r"\bJos\w+\b", 0, "José"),
        (r"[\w.-]+@example\.org", 0, "maría@example.org"),
        (r"a\s+b", 0, "a\u00a0b"),
        (r"x{,2}y", 0, "xxy"),
        (r"(?-i:[A-Z])\w+, you", re.IGNORECASE, "Mike, you"),
        (r"caf\u00e9", 0, "café"),
    ],
)
@needs_re2
def test_loosened_copy_still_finds_what_the_original_finds(pattern: str, flags: int, text_it_must_find: str) -> None:
    assert re.search(pattern, text_it_must_find, flags)
    assert PatternSet([re.compile(pattern, flags)]).candidates(text_it_must_find) == {0}


@needs_re2
def test_copy_rules_out_text_without_the_words() -> None:
    prefilter = PatternSet([re.compile(r"\b(?:tired|exhausted)\b(?!\s+of)"), re.compile(r"\bnurses?\b")])
    assert prefilter.candidates("Great grand rounds today.") == set()
    assert prefilter.candidates("So exhausted of charting") == {0}  # the lookahead is left to `re`


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?P<x>a)(?P=x)", r"(?>ab)", r"a++", r"(?x) a b"])
def test_what_cannot_be_loosened_is_refused(pattern: str) -> None:
    with pytest.raises(Unsupported):
        loosen(pattern, re.VERBOSE if "(?x)" in pattern else 0)


@needs_re2
def test_a_regex_re2_cannot_take_is_always_run() -> None:
    prefilter = PatternSet([re.compile(r"(a)\1"), re.compile(r"zebra")])
    assert prefilter.candidates("nothing here") == {0}
    assert prefilter.candidates("aa zebra") == {0, 1}


def test_engine_without_re2_gives_the_same_findings(engine: RiskEngine) -> None:
    """The fallback (every regex run with `re`) is what a platform without a google-re2 wheel gets."""
    lines = (ROOT / "tests" / "data" / "risk_corpus.jsonl").read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines[::5]]
    code = (
        "import sys, json\n"
        "sys.modules['re2'] = None  # the import fails as if google-re2 were not installed\n"
        "from medshare_desktop.analysis import RiskEngine\n"
        "from medshare_desktop.analysis.regex_prefilter import PatternSet\n"
        "assert not PatternSet.available\n"
        "texts = json.load(sys.stdin)\n"
        "out = [[(f.start, f.end, f.category.value, f.kind, f.rule) for f in fs] for fs in RiskEngine().analyze_many(texts)]\n"
        "print(json.dumps(out))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(texts), capture_output=True, text=True, timeout=300, check=True
    )
    without = json.loads(result.stdout)
    with_re2 = [[[f.start, f.end, f.category.value, f.kind, f.rule] for f in fs] for fs in engine.analyze_many(texts)]
    assert sum(map(len, with_re2)) > 50
    assert without == with_re2
