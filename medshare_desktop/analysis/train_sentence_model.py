"""Train the sentence classifier used by `sentence_model.py`.

    python -m medshare_desktop.analysis.train_sentence_model [--data resources/training]
        [--posts tests/data/risk_corpus.jsonl --posts tests/data/risk_dev.jsonl --posts tests/data/risk_dev2.jsonl]
        [--out resources/models/sentence_risk] [--epochs 12] [--seed 0]

Reads every `*.jsonl` under --data: one {"text": "...", "label": "..."} per line, labels from
`sentence_model.LABELS` plus "none" (the finer discoverable kinds of TRAINING_LABELS count as their
category). --posts adds the sentences of labelled posts (the corpus and the development set: real posts,
with the long stretches of harmless text around a risky sentence that sentence lists lack); a held-out set
is refused. Holds out every tenth example (after a seeded shuffle) to print per-label precision/recall,
then trains on everything and writes the model. The thresholds file beside the model is kept if it exists
(`tests/benchmarks/choose_thresholds.py` chooses it out of fold, never on a held-out set). Deterministic
for a given seed and data. The training sentences were written apart from every evaluation set.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from medshare_desktop.analysis.evaluation import CorpusItem, load_corpus
from medshare_desktop.analysis.sentence_model import (
    LABELS,
    MIN_CHARS,
    NONE_LABEL,
    TRAINING_LABELS,
    classifier_text,
    model_dir,
)
from medshare_desktop.paths import resource_path

ALL_LABELS = (*LABELS, NONE_LABEL)
HASH_WIDTH = 2**16  # bag-of-words feature slots: small model (~2 MB), few collisions at this data size


def emit(record: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")


# Categories of labelled post spans -> classifier labels
CATEGORY_LABELS = {
    "patient_story": "story",
    "discoverable": "discoverable",
    "unprofessional": "unprofessional",
    "medical_advice": "advice",
}


def post_sentences(items: Iterable[CorpusItem]) -> list[tuple[str, str]]:
    """The sentences of labelled posts, each labelled with the narrative category whose span it overlaps,
    or "none" (PHI-only sentences are "none": the classifier does not look for identifiers). A sentence
    overlapping spans of two categories is left out. Sentences are cut as the engine cuts them."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return [(text, label) for _, text, label in labelled_sentences(items, nlp)]


def labelled_sentences(items: Iterable[CorpusItem], nlp: Language) -> Iterator[tuple[int, str, str]]:
    """(post number, classifier text, label) for each sentence `nlp` cuts from the labelled posts: the
    narrative category whose span it overlaps, or "none"; a sentence overlapping two categories, or
    shorter than MIN_CHARS, is left out."""
    for number, item in enumerate(items):
        for sent in nlp(item.text).sents:
            text = sent.text.strip()
            if len(text) < MIN_CHARS:
                continue
            labels = {
                CATEGORY_LABELS[span.category]
                for span in item.spans
                if span.category in CATEGORY_LABELS and span.start < sent.end_char and sent.start_char < span.end
            }
            if len(labels) <= 1:
                yield number, classifier_text(text), labels.pop() if labels else NONE_LABEL


def load_examples(folder: Path) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                text, label = str(record["text"]), str(record["label"])
            except (ValueError, KeyError, TypeError) as exc:
                raise SystemExit(f"{path}:{number}: not a {{'text', 'label'}} object ({exc})") from None
            label = TRAINING_LABELS.get(label, label)
            if label not in ALL_LABELS:
                known = ", ".join((*ALL_LABELS, *TRAINING_LABELS))
                raise SystemExit(f"{path}:{number}: unknown label {label!r} (expected one of {known})")
            rows.append((classifier_text(text), label))
    unique = dict.fromkeys(rows)  # the same sentence twice would only weigh it double
    return list(unique)


BOW = {
    "@architectures": "spacy.TextCatBOW.v3",
    "exclusive_classes": True,
    "ngram_size": 2,
    "no_output_layer": False,
    "length": HASH_WIDTH,
}


def new_pipeline() -> Language:
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": BOW})
    for label in ALL_LABELS:
        textcat.add_label(label)
    return nlp


def train(rows: list[tuple[str, str]], epochs: int = 12, seed: int = 0) -> Language:
    fix_random_seed(seed)
    nlp = new_pipeline()
    examples = [
        Example.from_dict(nlp.make_doc(text), {"cats": {label: float(label == gold) for label in ALL_LABELS}})
        for text, gold in rows
    ]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    for _epoch in range(epochs):
        rng.shuffle(examples)
        for batch in minibatch(examples, size=16):
            nlp.update(batch, sgd=optimizer, drop=0.1)
    return nlp


def report(nlp: Language, rows: list[tuple[str, str]]) -> None:
    tp: Counter[str] = Counter()
    predicted: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    for (_, label), doc in zip(rows, nlp.pipe(text for text, _ in rows), strict=True):
        guess = max(doc.cats.items(), key=lambda item: item[1])[0]
        predicted[guess] += 1
        gold[label] += 1
        tp[label] += guess == label
    for label in ALL_LABELS:
        p = tp[label] / predicted[label] if predicted[label] else 0.0
        r = tp[label] / gold[label] if gold[label] else 0.0
        emit({"name": f"sentence_model.dev.{label}", "precision": round(p, 3), "recall": round(r, 3), "n": gold[label]})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=resource_path("training"))
    parser.add_argument("--out", type=Path, default=model_dir())
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--posts", type=Path, action="append", default=[],
        help="labelled posts (corpus JSONL) whose sentences join the training data; never a held-out set",
    )
    args = parser.parse_args(argv)
    rows = load_examples(args.data)
    if not rows:
        raise SystemExit(f"{args.data}: no training examples (*.jsonl)")
    for path in args.posts:
        if "holdout" in path.name:
            raise SystemExit(f"{path}: a held-out set is never trained on")
        rows += post_sentences(load_corpus(path))
    rows = list(dict.fromkeys(rows))
    emit({"name": "sentence_model.examples", "value": len(rows), "per_label": dict(Counter(label for _, label in rows))})
    shuffled = list(rows)
    random.Random(args.seed).shuffle(shuffled)
    dev, rest = shuffled[::10], [row for i, row in enumerate(shuffled) if i % 10]
    report(train(rest, args.epochs, args.seed), dev)
    final = train(rows, args.epochs, args.seed)
    thresholds = args.out / "thresholds.json"
    kept = thresholds.read_bytes() if thresholds.is_file() else None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    final.to_disk(args.out)
    if kept is not None:
        thresholds.write_bytes(kept)
    emit({"name": "sentence_model.written", "value": str(args.out)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
