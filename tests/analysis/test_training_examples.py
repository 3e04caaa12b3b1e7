"""The sentences the head and the encoder's fine-tuning train on (`train_sentence_head.training_examples`):
the held-back folders come in only when asked for, each sentence once, with its finer class, and a held-out
set is never accepted as training posts."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from medshare_desktop.analysis.train_sentence_head import default_posts, training_examples


def _write(folder: Path, name: str, rows: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"text": text, "label": label, "post": "z-001"}) for text, label in rows]
    (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_held_back_sentences_are_added_only_when_asked_each_once_with_their_finer_class(tmp_path: Path) -> None:
    data = tmp_path / "training"
    _write(data, "round1.jsonl", [("Thirty hours awake and still on the ward.", "fatigue"),
                                  ("Our canteen has a new salad bar.", "none")])
    _write(data / "held_back", "round12_a.jsonl", [("Ran the whole night list on two hours of sleep.", "fatigue"),
                                                   ("Our canteen has a NEW salad bar.", "none"),  # the same sentence
                                                   ("Told my cousin to double her inhaler.", "advice")])

    texts, labels, classes, groups = training_examples([], data)
    assert len(texts) == 2  # the held-back folder is not read by default
    assert classes[texts.index("thirty hours awake and still on the ward.")] == "fatigue"
    assert labels[texts.index("thirty hours awake and still on the ward.")] == "discoverable"

    texts, labels, classes, groups = training_examples([], data, extra=[data / "held_back"])
    assert sorted(texts) == sorted([
        "thirty hours awake and still on the ward.",
        "our canteen has a new salad bar.",
        "ran the whole night list on two hours of sleep.",
        "told my cousin to double her inhaler.",
    ])
    added = texts.index("ran the whole night list on two hours of sleep.")
    assert (labels[added], classes[added]) == ("discoverable", "fatigue")
    assert groups == [-1] * 4  # none of them comes from a labelled post


def test_a_held_out_set_is_refused_as_training_posts(tmp_path: Path) -> None:
    held_out = tmp_path / "risk_holdout9.jsonl"
    held_out.write_text("", encoding="utf-8")
    with pytest.raises(SystemExit, match="held-out"):
        training_examples([*default_posts(), held_out], tmp_path)


def _runs(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def test_the_written_training_posts_and_sentences_share_no_eight_word_run_with_an_evaluation_set() -> None:
    """`resources/training/posts`, `multi_label` and `plain_sentences` (2026-12-07) were written blind; none of their
    text may reach a development set 3+ or a held-out set (the labelled posts trained on are not evaluation sets)."""
    training = Path(__file__).resolve().parents[2] / "resources" / "training"
    written = [path for folder in ("posts", "multi_label", "plain_sentences")
               for path in sorted((training / folder).glob("*.jsonl"))]
    assert len(written) >= 8
    evaluation = [
        p for p in (Path(__file__).resolve().parents[1] / "data").glob("risk_*.jsonl")
        if p.stem not in {"risk_corpus", "risk_dev", "risk_dev2"}
    ]
    assert any("holdout10" in p.name for p in evaluation)
    evaluated: set[tuple[str, ...]] = set()
    for path in evaluation:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                evaluated |= _runs(str(json.loads(line).get("text", "")))
    shared = [
        (path.name, record.get("id") or record.get("post"))
        for path in written
        for record in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if _runs(record["text"]) & evaluated
    ]
    assert shared == []
