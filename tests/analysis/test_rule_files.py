"""The rule files themselves: every rule id names one rule, so a finding's rule points at one pattern."""

from __future__ import annotations

import re
from collections import Counter

from medshare_desktop.analysis.phi_patterns import load_regex_rules
from medshare_desktop.analysis.rule_files import pattern_rules, rules_dir, toml_file
from medshare_desktop.analysis.sentence_rules import load_sentence_rules


def test_rule_ids_are_unique_across_rule_files() -> None:
    ids = [rule.id for rule in load_regex_rules()]
    ids += [rule.id for rule in pattern_rules()]
    ids += [rule.id for rule in load_sentence_rules()]
    assert len(ids) > 150
    assert [rule_id for rule_id, count in Counter(ids).items() if count > 1] == []


def _entries(file_name: str) -> list[tuple[str, object]]:
    """(name, value) of every list or cue in a per-component TOML file; a sub-table's entries as "table.key"."""
    entries: list[tuple[str, object]] = []
    for table in toml_file(file_name).values():
        for name, value in table.items():
            if isinstance(value, dict):
                entries += [(f"{name}.{key}", inner) for key, inner in value.items()]
            else:
                entries.append((name, value))
    return entries


def test_every_word_list_and_context_cue_is_documented_in_the_rules_readme() -> None:
    readme = (rules_dir() / "README.md").read_text(encoding="utf-8")
    names = [name for name, _ in _entries("word_lists.toml") + _entries("context_cues.toml")]
    assert len(names) > 80
    assert [name for name in names if f"`{name}`" not in readme] == []


def test_word_lists_hold_distinct_words_and_cues_are_valid_regexes() -> None:
    for name, words in _entries("word_lists.toml"):
        assert isinstance(words, list) and words and all(isinstance(w, str) and w for w in words), name
        assert len(set(words)) == len(words), f"{name} repeats a word"
    for name, text in _entries("context_cues.toml"):
        assert isinstance(text, str), name
        re.compile(re.sub(r"\$\{\w+\}", "(?:)", text))  # a fragment the code fills in stands for any regex
