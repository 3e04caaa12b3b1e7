"""The rule files themselves: every rule id names one rule, so a finding's rule points at one pattern."""

from __future__ import annotations

from collections import Counter

from medshare_desktop.analysis.phi_patterns import load_regex_rules
from medshare_desktop.analysis.rule_files import pattern_rules
from medshare_desktop.analysis.sentence_rules import load_sentence_rules


def test_rule_ids_are_unique_across_rule_files() -> None:
    ids = [rule.id for rule in load_regex_rules()]
    ids += [rule.id for rule in pattern_rules()]
    ids += [rule.id for rule in load_sentence_rules()]
    assert len(ids) > 150
    assert [rule_id for rule_id, count in Counter(ids).items() if count > 1] == []
