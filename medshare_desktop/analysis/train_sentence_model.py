"""Train the sentence classifier used by `sentence_model.py`.

    python -m medshare_desktop.analysis.train_sentence_model [--data resources/training]
        [--out resources/models/sentence_risk] [--epochs 12] [--seed 0]

Reads every `*.jsonl` under --data: one {"text": "...", "label": "..."} per line, labels from
`sentence_model.LABELS` plus "none" (the finer discoverable kinds of TRAINING_LABELS count as their category). Holds out every tenth example (after a seeded shuffle) to print
per-label precision/recall, then trains on everything and writes the model. The thresholds file
beside the model is kept if it exists (it is chosen on the labelled corpus, never on the held-out
set). Deterministic for a given seed and data. The training sentences were written apart from both
evaluation sets: never add evaluation posts to them.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from medshare_desktop.analysis.sentence_model import LABELS, NONE_LABEL, TRAINING_LABELS, classifier_text, model_dir
from medshare_desktop.paths import resource_path

ALL_LABELS = (*LABELS, NONE_LABEL)
HASH_WIDTH = 2**16  # bag-of-words feature slots: small model (~2 MB), few collisions at this data size


def emit(record: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")


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
# Bag of words plus a small CNN over hashed word, prefix and suffix embeddings: the CNN sees words it
# never saw in training through their affixes and neighbours ("exhaustedddd", "short-staffed-ish").
ENSEMBLE = {
    "@architectures": "spacy.TextCatEnsemble.v2",
    "nO": None,
    "linear_model": BOW,
    "tok2vec": {
        "@architectures": "spacy.Tok2Vec.v2",
        "embed": {
            "@architectures": "spacy.MultiHashEmbed.v2",
            "width": 64,
            "rows": [4000, 1000, 2000],
            "attrs": ["NORM", "PREFIX", "SUFFIX"],
            "include_static_vectors": False,
        },
        "encode": {
            "@architectures": "spacy.MaxoutWindowEncoder.v2",
            "width": 64,
            "window_size": 1,
            "maxout_pieces": 3,
            "depth": 2,
        },
    },
}
ARCHITECTURES = {"bow": BOW, "ensemble": ENSEMBLE}


def new_pipeline(arch: str = "bow") -> Language:
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat", config={"model": ARCHITECTURES[arch]})
    for label in ALL_LABELS:
        textcat.add_label(label)
    return nlp


def train(rows: list[tuple[str, str]], epochs: int, seed: int, arch: str = "bow") -> Language:
    fix_random_seed(seed)
    nlp = new_pipeline(arch)
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
    parser.add_argument("--arch", choices=sorted(ARCHITECTURES), default="bow")
    args = parser.parse_args(argv)
    rows = load_examples(args.data)
    if not rows:
        raise SystemExit(f"{args.data}: no training examples (*.jsonl)")
    emit({"name": "sentence_model.examples", "value": len(rows), "per_label": dict(Counter(label for _, label in rows))})
    shuffled = list(rows)
    random.Random(args.seed).shuffle(shuffled)
    dev, rest = shuffled[::10], [row for i, row in enumerate(shuffled) if i % 10]
    report(train(rest, args.epochs, args.seed, args.arch), dev)
    final = train(rows, args.epochs, args.seed, args.arch)
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
