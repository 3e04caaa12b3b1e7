"""Train the learned sentence head (`sentence_head.py`) on sentence embeddings.

    python -m medshare_desktop.analysis.train_sentence_head
        [--posts tests/data/risk_corpus.jsonl --posts tests/data/risk_dev.jsonl --posts tests/data/risk_dev2.jsonl]
        [--validation tests/data/risk_dev3.jsonl] [--fatigue tests/data/fatigue_validation.jsonl]
        [--encoder resources/models/sentence_encoder] [--out resources/models/sentence_head] [--seed 0]

Training data: every `resources/training/*.jsonl` sentence plus the sentences of the labelled posts
(never a held-out set: refused), embedded by the vendored encoder. The embeddings and labels are cached
in `<out>/training.npz` (so the app can retrain with the team's decisions in seconds, see `learning.py`);
the validation sentences (development set 3, which is not trained on, and our own fatigue phrasings) in
`<out>/validation.npz`. Thresholds are chosen per label by F1 on the validation sentences together with
out-of-fold scores of the training posts' sentences (each fifth of the posts scored by a head trained
without it). Deterministic for a seed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np
import spacy

from medshare_desktop.analysis.evaluation import CorpusItem, load_corpus
from medshare_desktop.analysis.pipeline import sentence_splitter
from medshare_desktop.analysis.sentence_encoder import SentenceEncoder, encoder_dir
from medshare_desktop.analysis.sentence_head import (
    CLASS_LABEL,
    CLASSES,
    LABELS,
    RISK_LABELS,
    SentenceHead,
    TrainSettings,
    class_ids,
    label_ids,
    shipped_head_dir,
    train_head,
)
from medshare_desktop.analysis.sentence_model import (
    GATE_HIGH,
    GATE_LOW,
    TRAINING_LABELS,
    classifier_text,
    load_gates,
    model_dir,
)
from medshare_desktop.analysis.train_sentence_model import labelled_sentences, load_examples
from medshare_desktop.paths import resource_path

THRESHOLD_GRID = tuple(round(0.2 + 0.05 * i, 2) for i in range(16))  # 0.2 .. 0.95
FUSION_GRID = (0.2, 0.3, 0.4, 0.5, 0.6)
TIE = 0.005
DEFAULT_SETTINGS = TrainSettings()


def emit(record: dict[str, object]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def post_rows(items: list[CorpusItem]) -> list[tuple[str, str, int]]:
    """(sentence, label, post number) for labelled posts, cut as the engine cuts them (see
    `train_sentence_model.post_sentences`)."""
    return [(text, label, number) for number, text, label in labelled_sentences(items, sentence_splitter())]


def fine_classes(folder: Path) -> dict[tuple[str, str], str]:
    """(sentence, label) -> its first finer class in the training files (fatigue, error, staffing, safety)."""
    fine: dict[tuple[str, str], str] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                name = str(record["label"])
                label = TRAINING_LABELS.get(name, name)
                fine.setdefault((classifier_text(str(record["text"])), label), name if name in CLASSES else label)
    return fine


def fatigue_rows(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            rows.append((classifier_text(record["text"]), "discoverable" if record["on_duty_fatigue"] else "none"))
    return rows


def refuse_held_out(paths: list[Path]) -> None:
    """Stop with a message if any of `paths` is a held-out set: those are never trained or chosen on."""
    for path in paths:
        if "holdout" in path.name:
            raise SystemExit(f"{path}: a held-out set is never trained or chosen on")


def default_posts() -> list[Path]:
    """The labelled posts whose sentences are trained on: the corpus and development sets 1 and 2."""
    data = Path(__file__).resolve().parents[2] / "tests" / "data"
    return [data / "risk_corpus.jsonl", data / "risk_dev.jsonl", data / "risk_dev2.jsonl"]


def training_examples(
    posts: list[Path], data: Path | None = None, extra: list[Path] | None = None
) -> tuple[list[str], list[str], list[str], list[int]]:
    """(texts, labels, classes, groups) the head trains on: every sentence of `data` (`resources/training`)
    and of the `extra` folders' `*.jsonl`, then the labelled posts' sentences (group = the post's number;
    -1 for a training sentence), each (sentence, label) once. Classes are the finer ones where known."""
    data = data if data is not None else resource_path("training")
    refuse_held_out(posts)
    sentence_rows = load_examples(data)
    fine = fine_classes(data)
    for folder in extra or []:
        sentence_rows += load_examples(folder)
        fine.update({key: value for key, value in fine_classes(folder).items() if key not in fine})
    post_list: list[tuple[str, str, int]] = []
    offset = 0
    for path in posts:
        items = load_corpus(path)
        post_list += [(t, label, n + offset) for t, label, n in post_rows(items)]
        offset += len(items)
    seen: set[tuple[str, str]] = set()
    texts: list[str] = []
    labels: list[str] = []
    classes: list[str] = []
    groups: list[int] = []
    for text, label in sentence_rows:
        if (text, label) not in seen:
            seen.add((text, label))
            texts.append(text), labels.append(label), classes.append(fine.get((text, label), label)), groups.append(-1)
    for text, label, number in post_list:
        if (text, label) not in seen:
            seen.add((text, label))
            texts.append(text), labels.append(label), classes.append(label), groups.append(number)
    return texts, labels, classes, groups


def per_label_f1(gold: np.ndarray, probabilities: np.ndarray, thresholds: dict[str, float]) -> dict[str, float]:
    head = SentenceHead({}, thresholds)
    predicted = label_ids(head.decide(probabilities))
    out = {}
    for index, label in enumerate(RISK_LABELS):
        tp = int(((gold == index) & (predicted == index)).sum())
        fp = int(((gold != index) & (predicted == index)).sum())
        fn = int(((gold == index) & (predicted != index)).sum())
        out[label] = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return out


def choose_thresholds(gold: np.ndarray, probabilities: np.ndarray) -> dict[str, float]:
    """Per label, coordinate ascent over the grid by that label's F1 (lowest within TIE wins)."""
    thresholds = dict.fromkeys(RISK_LABELS, 0.5)
    for _round in range(2):
        for label in RISK_LABELS:
            best, best_t = -1.0, thresholds[label]
            scores = {}
            for t in THRESHOLD_GRID:
                scores[t] = per_label_f1(gold, probabilities, {**thresholds, label: t})[label]
                best = max(best, scores[t])
            best_t = min(t for t, s in scores.items() if s >= best - TIE)
            thresholds[label] = best_t
    return thresholds


def _rounded(values: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 3) for k, v in values.items()}


def textcat_probabilities(texts: list[str]) -> np.ndarray:
    model = spacy.load(model_dir())
    return np.array([[doc.cats.get(label, 0.0) for label in LABELS] for doc in model.pipe(texts)], dtype=np.float32)


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_sums(folder: Path) -> None:
    """SHA256SUMS of every file in the folder (tests/analysis/test_model_files.py checks it)."""
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != "SHA256SUMS")
    (folder / "SHA256SUMS").write_text("".join(f"{sha256_of(folder / n)}  {n}\n" for n in names), encoding="utf-8")


def update_shipped_head(change: Callable[[SentenceHead], None], folder: Path | None = None) -> Path:
    """Load the shipped head, let `change` set its thresholds or settings, save it with fresh SHA256SUMS (the
    choosers' --write); returns the head.json written."""
    folder = folder if folder is not None else shipped_head_dir()
    head = SentenceHead.load(folder)
    change(head)
    head.save(folder)
    write_sums(folder)
    return folder / "head.json"


def main(argv: list[str] | None = None) -> int:
    data = Path(__file__).resolve().parents[2] / "tests" / "data"
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=resource_path("training"))
    parser.add_argument("--posts", type=Path, action="append", default=[])
    parser.add_argument("--validation", type=Path, default=data / "risk_dev3.jsonl")
    parser.add_argument("--fatigue", type=Path, default=data / "fatigue_validation.jsonl")
    parser.add_argument("--encoder", type=Path, default=encoder_dir())
    parser.add_argument("--out", type=Path, default=shipped_head_dir())
    parser.add_argument("--hidden", type=int, default=DEFAULT_SETTINGS.hidden)
    parser.add_argument("--epochs", type=int, default=DEFAULT_SETTINGS.epochs)
    parser.add_argument("--l2", type=float, default=DEFAULT_SETTINGS.l2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--gate-low", type=float, default=GATE_LOW)
    parser.add_argument("--gate-high", type=float, default=GATE_HIGH)
    parser.add_argument("--reuse-cache", action="store_true", help="read the embeddings from <out>/*.npz")
    args = parser.parse_args(argv)
    posts = args.posts or default_posts()
    refuse_held_out([*posts, args.validation])
    settings = TrainSettings(hidden=args.hidden, epochs=args.epochs, l2=args.l2, seed=args.seed)
    args.out.mkdir(parents=True, exist_ok=True)

    texts, labels, classes, groups = training_examples(posts, args.data)
    offset = len({g for g in groups if g >= 0})  # posts that gave a sentence
    validation = [(t, label) for t, label, _ in post_rows(load_corpus(args.validation))]
    if args.fatigue.is_file():
        validation += fatigue_rows(args.fatigue)
    emit({"name": "head.examples", "train": len(texts), "validation": len(validation), "posts": offset})

    cache = args.out / "training.npz"
    vcache = args.out / "validation.npz"
    encoder_sha = sha256_of(args.encoder / "model.onnx")
    if args.reuse_cache and cache.is_file():
        with np.load(cache) as z:
            x = z["x"].astype(np.float32)
            assert len(x) == len(texts), "training data changed: run without --reuse-cache"
        with np.load(vcache) as z:
            vx = z["x"].astype(np.float32)
            assert len(vx) == len(validation), "validation data changed: run without --reuse-cache"
        np.savez(
            cache, x=x.astype(np.float16), y=label_ids(labels).astype(np.int8), cls=class_ids(classes).astype(np.int8),
            group=np.array(groups, dtype=np.int32),
        )
    else:
        encoder = SentenceEncoder(args.encoder)
        x = encoder.encode(texts, batch_size=32)
        vx = encoder.encode([t for t, _ in validation], batch_size=32)
        np.savez(
            cache, x=x.astype(np.float16), y=label_ids(labels).astype(np.int8), cls=class_ids(classes).astype(np.int8),
            group=np.array(groups, dtype=np.int32),
        )
        np.savez(vcache, x=vx.astype(np.float16), y=label_ids([label for _, label in validation]).astype(np.int8))
        x = x.astype(np.float16).astype(np.float32)  # train on exactly what the cache holds
        vx = vx.astype(np.float16).astype(np.float32)
    y = label_ids(labels)
    cls = class_ids(classes)
    vy = label_ids([label for _, label in validation])
    group = np.array(groups)

    # out-of-fold probabilities of the posts' sentences
    post_numbers = sorted({g for g in groups if g >= 0})
    random.Random(args.seed).shuffle(post_numbers)
    fold_of = {n: i % max(args.folds, 1) for i, n in enumerate(post_numbers)}
    oof = np.zeros((len(texts), len(LABELS)), dtype=np.float32)
    in_posts = group >= 0
    for fold in range(args.folds if args.folds >= 2 else 0):
        held = np.array([g >= 0 and fold_of[g] == fold for g in groups])
        weights = train_head(x[~held], cls[~held], settings)
        oof[held] = SentenceHead(weights).probabilities(x[held])
    final = SentenceHead(train_head(x, cls, settings))
    vprob = final.probabilities(vx)
    if args.folds >= 2:
        gold = np.concatenate([vy, y[in_posts]])
        probabilities = np.concatenate([vprob, oof[in_posts]])
        alone = choose_thresholds(gold, probabilities)
        emit({"name": "head.alone.thresholds", **alone})
        emit({"name": "head.alone.f1.validation", **_rounded(per_label_f1(vy, vprob, alone))})
        emit({"name": "head.alone.f1.oof_posts", **_rounded(per_label_f1(y[in_posts], oof[in_posts], alone))})
    # the cascade mixes the head's probabilities with the textcat's: the mix and its thresholds are chosen
    # on the validation sentences (the textcat was trained on the posts, so it has no out-of-fold scores)
    bow = textcat_probabilities([t for t, _ in validation])
    best = (-1.0, FUSION_GRID[0], {})
    for weight in FUSION_GRID:
        mixed = weight * vprob + (1 - weight) * bow
        chosen = choose_thresholds(vy, mixed)
        f1 = per_label_f1(vy, mixed, chosen)
        score = float(np.mean(list(f1.values())))
        emit({"name": "head.fusion", "weight": weight, "mean_f1": round(score, 3), **_rounded(f1)})
        if score > best[0] + TIE:
            best = (score, weight, chosen)
    _, fusion_weight, thresholds = best
    final.thresholds = thresholds
    emit({"name": "head.thresholds", "fusion_weight": fusion_weight, **thresholds})
    # a sentence that matches a cue gate with a class (fatigue words next to duty words) is also flagged when
    # the head alone gives that class at least its threshold
    mixed = fusion_weight * vprob + (1 - fusion_weight) * bow
    base = final.decide(mixed)
    class_probability = final.class_probabilities(vx)
    class_thresholds: dict[str, float] = {}
    for gate in load_gates():
        if not gate.cls:
            continue
        matched = np.array([gate.matches(t) for t, _ in validation])
        column = class_probability[:, CLASSES.index(gate.cls)]
        target = CLASS_LABEL.get(gate.cls, gate.cls)
        scores = {}
        for t in (*THRESHOLD_GRID, 1.01):
            predicted = [target if m and p >= t else b for b, m, p in zip(base, matched, column, strict=True)]
            gold = [LABELS[i] for i in vy]
            tp = sum(g == target and p == target for g, p in zip(gold, predicted, strict=True))
            fp = sum(g != target and p == target for g, p in zip(gold, predicted, strict=True))
            fn = sum(g == target and p != target for g, p in zip(gold, predicted, strict=True))
            scores[t] = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        top = max(scores.values())
        class_thresholds[gate.cls] = min(t for t, v in scores.items() if v >= top - TIE)
        emit({"name": f"head.gate.{gate.id}", "threshold": class_thresholds[gate.cls], "f1": round(top, 3),
              "without": round(scores[1.01], 3), "matched": int(matched.sum())})
    # the gate settings this trainer does not choose (the whole-post read's thresholds, the second look,
    # chosen by their own scripts) are kept from the head it replaces
    kept_gate = {}
    if (args.out / "head.json").is_file():
        previous_gate = json.loads((args.out / "head.json").read_text("utf-8")).get("gate", {})
        kept_gate = {k: v for k, v in previous_gate.items() if k not in ("low", "high", "class_thresholds")}
    final.meta = {
        "fusion_weight": fusion_weight,
        "gate": {"low": args.gate_low, "high": args.gate_high, "class_thresholds": class_thresholds, **kept_gate},
        "encoder_sha256": encoder_sha,
        "trained_on": {"sentences": len(texts), "team_examples": 0},
        "settings": settings.__dict__,
        "cache_sha256": {"training.npz": sha256_of(cache), "validation.npz": sha256_of(vcache)},
    }
    final.save(args.out)
    write_sums(args.out)
    emit({"name": "head.written", "value": str(args.out)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
