"""The trained sentence classifier: training, loading, thresholds, and the engine without it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.candidates import candidates_of
from medshare_desktop.analysis.evaluation import load_corpus
from medshare_desktop.analysis.pipeline import build_pipeline
from medshare_desktop.analysis.sentence_model import model_dir
from medshare_desktop.analysis.train_sentence_model import load_examples, main, post_sentences, train

TOY = [
    ("worked thirty hours straight and my eyes would not stay open on rounds", "fatigue"),
    ("so tired after the third night in a row that i fell asleep charting", "fatigue"),
    ("we gave him the wrong dose and nobody caught it until morning", "error"),
    ("i missed the fracture on the film and sent her home", "error"),
    ("thanks to everyone who came to the bake sale for the children's ward", "none"),
    ("our hospital is hiring nurses for the new cardiac unit", "none"),
    ("get your flu shot at any of our clinics this month", "none"),
]


def _write(folder: Path, rows: list[tuple[str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "toy.jsonl").open("w", encoding="utf-8") as handle:
        for text, label in rows:
            handle.write(json.dumps({"text": text, "label": label}) + "\n")
    return folder


def test_training_data_errors_name_the_file_and_line(tmp_path: Path) -> None:
    folder = _write(tmp_path / "data", TOY)
    (folder / "bad.jsonl").write_text('{"text": "fine", "label": "none"}\n{"text": "x", "label": "angry"}\n')
    with pytest.raises(SystemExit, match=r"bad\.jsonl:2: unknown label 'angry'"):
        load_examples(folder)


def test_a_trained_model_is_loaded_and_its_labels_become_findings(tmp_path: Path) -> None:
    out = tmp_path / "model"
    assert main(["--data", str(_write(tmp_path / "data", TOY * 3)), "--out", str(out), "--epochs", "20"]) == 0
    (out / "thresholds.json").write_text(json.dumps({"discoverable": 0.3}), encoding="utf-8")
    nlp = build_pipeline(str(out))
    doc = nlp("Honestly worked thirty hours straight and my eyes would not stay open on rounds.")
    # fatigue and error sentences train the "discoverable" label; the finding's kind stays generic
    assert [(c.category.value, c.kind) for c in candidates_of(doc) if c.rule == "model.sentence.discoverable"] == [
        ("discoverable", "possible_admission")
    ]
    clean = nlp("Thanks to everyone who came to the bake sale for the children's ward.")
    assert not [c for c in candidates_of(clean) if c.rule.startswith("model.")]
    found = RiskEngine(nlp=nlp).analyze(doc.text)
    assert {f.category.value for f in found} == {"discoverable"}
    assert {f.kind for f in found} == {"fatigue"}  # a rule fired on the same sentence: its specific kind wins


def test_training_is_deterministic_for_a_seed() -> None:
    rows = TOY * 2
    first, second = train(rows, 3, seed=7), train(rows, 3, seed=7)
    text = "we gave the wrong dose"
    assert first(text).cats == second(text).cats


def test_without_a_model_folder_the_engine_runs_on_its_rules(tmp_path: Path) -> None:
    engine = RiskEngine(nlp=build_pipeline(str(tmp_path / "no-model-here")))
    found = engine.analyze("Barely slept, 30 hours on call and still going.")
    assert found and not [f for f in found if f.rule.startswith("model.")]


def test_the_shipped_model_is_present_and_used() -> None:
    assert (model_dir() / "config.cfg").is_file(), "resources/models/sentence_risk is missing"
    engine = RiskEngine()
    assert engine.nlp.get_pipe("medshare_sentence_model").model is not None


def test_joined_spans_keep_a_rules_kind_over_the_classifiers_and_otherwise_the_longest() -> None:
    from medshare_desktop.analysis.candidates import Candidate
    from medshare_desktop.analysis.merge import resolve
    from medshare_desktop.core.models import RiskCategory, Severity

    story = RiskCategory.PATIENT_STORY
    model = Candidate(0, 60, story, "encounter", "model.sentence.story", Severity.HIGH, 15)
    rare = Candidate(10, 20, story, "rare_condition", "story.rare_condition_demographic", Severity.HIGH, 45)
    scene = Candidate(0, 40, story, "encounter", "story.scene.time_and_person", Severity.HIGH, 45)
    assert [(c.start, c.end, c.rule) for c in resolve([model, rare])] == [(0, 60, rare.rule)]
    # between two rules the longer match names the span, whatever its kind
    assert [(c.start, c.end, c.rule) for c in resolve([scene, rare])] == [(0, 40, scene.rule)]


def test_labelled_posts_become_sentences_with_their_span_s_label(tmp_path: Path) -> None:
    text = "Lovely week on the ward. We were short three nurses again last night. Thanks all!"
    start = text.index("We were")
    end = text.index("night.") + len("night.")
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        json.dumps({"id": "x1", "text": text, "spans": [{"start": start, "end": end, "category": "discoverable"}]})
        + "\n",
        encoding="utf-8",
    )
    assert post_sentences(load_corpus(posts)) == [
        ("lovely week on the ward.", "none"),
        ("we were short three nurses again last night.", "discoverable"),
    ]  # "Thanks all!" is too short to classify


def test_a_held_out_set_is_never_trained_on(tmp_path: Path) -> None:
    held_out = tmp_path / "risk_holdout9.jsonl"
    held_out.write_text(json.dumps({"id": "h", "text": "Worked 30 hours straight.", "spans": []}) + "\n")
    with pytest.raises(SystemExit, match="held-out set is never trained on"):
        main(["--data", str(_write(tmp_path / "data", TOY)), "--posts", str(held_out), "--out", str(tmp_path / "m")])
