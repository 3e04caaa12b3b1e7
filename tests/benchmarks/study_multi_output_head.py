"""Study (measuring only): one sigmoid output per category against the softmax head, sentence by sentence.

    python tests/benchmarks/study_multi_output_head.py

The shipped head gives each sentence one label (a softmax over nine classes), so a sentence that is a patient story
and a put-down, or a story and an admitted error, can come out as only one of them; the training sentences with two
categories are left out altogether. This study trains, on the shipped encoder's vectors of the same sentences:

- a head with one sigmoid output per category (story, discoverable, unprofessional, advice). A sentence's
  categories are its targets. In the single-label training files only the labelled category is known, so the
  other outputs are masked for those rows; "none" rows are negatives for all four.
- a softmax head (the shipped trainer's settings) on the same rows, leaving out those with two categories.

The training rows are the corpus, development sets 1 and 2, `resources/training/posts/`,
`resources/training/multi_label/`, and `resources/training/*.jsonl` plus `held_back/`.

For each category, it prints the F1 of the sentences of development sets 3 + 4 at the threshold chosen on them,
and of sets 5 + 6 at that same threshold. This is the head alone: no textcat, no rules, and not the engine. Never
a held-out set. Prints JSON lines.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from medshare_desktop.analysis.evaluation import load_corpus  # noqa: E402
from medshare_desktop.analysis.pipeline import sentence_splitter  # noqa: E402
from medshare_desktop.analysis.sentence_encoder import SentenceEncoder  # noqa: E402
from medshare_desktop.analysis.sentence_head import LABELS, RISK_LABELS, SentenceHead, TrainSettings, train_head  # noqa: E402
from medshare_desktop.analysis.sentence_model import MIN_CHARS, TRAINING_LABELS, classifier_text  # noqa: E402

DATA = ROOT / "tests" / "data"
TRAINING = ROOT / "resources" / "training"
CATS = RISK_LABELS  # story, discoverable, unprofessional, advice: LABELS without "none"
SPAN_CATS = {"patient_story": "story", "discoverable": "discoverable", "unprofessional": "unprofessional",
             "medical_advice": "advice"}
GRID = np.arange(0.05, 0.96, 0.05)


def emit(record: dict[str, object]) -> None:
    print(json.dumps(record), flush=True)


def post_rows(path: Path) -> list[tuple[str, set[str]]]:
    nlp = sentence_splitter()
    rows = []
    for item in load_corpus(path):
        for sent in nlp(item.text).sents:
            text = sent.text.strip()
            if len(text) >= MIN_CHARS:
                labels = {SPAN_CATS[s.category] for s in item.spans
                          if s.category in SPAN_CATS and s.start < sent.end_char and sent.start_char < s.end}
                rows.append((classifier_text(text), labels))
    return rows


def training_rows() -> tuple[list[str], np.ndarray, np.ndarray]:
    """(texts, targets, mask): each sentence once, the first source wins (posts, multi-label, single-label)."""
    rows: list[tuple[str, set[str], str | None]] = []
    for path in [DATA / "risk_corpus.jsonl", DATA / "risk_dev.jsonl", DATA / "risk_dev2.jsonl",
                 *sorted((TRAINING / "posts").glob("*.jsonl"))]:
        rows += [(text, labels, None) for text, labels in post_rows(path)]
    for path in sorted((TRAINING / "multi_label").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            record = json.loads(line)
            rows.append((classifier_text(record["text"]), {TRAINING_LABELS.get(x, x) for x in record["labels"]}, None))
    for path in sorted(TRAINING.glob("*.jsonl")) + sorted((TRAINING / "held_back").glob("*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                label = TRAINING_LABELS.get(record["label"], record["label"])
                rows.append((classifier_text(record["text"]), set(), None) if label == "none"
                            else (classifier_text(record["text"]), {label}, label))
    seen: dict[str, tuple[set[str], str | None]] = {}
    for text, labels, only in rows:
        if len(text) >= MIN_CHARS:
            seen.setdefault(text, (labels, only))
    texts = list(seen)
    targets = np.array([[c in seen[t][0] for c in CATS] for t in texts], dtype=np.float32)
    mask = np.array([[seen[t][1] is None or c == seen[t][1] for c in CATS] for t in texts], dtype=np.float32)
    return texts, targets, mask


def train_sigmoid(x: np.ndarray, y: np.ndarray, mask: np.ndarray, epochs: int = 40, seed: int = 0) -> list[np.ndarray]:
    """A 256-unit hidden layer and four sigmoid outputs; masked binary cross-entropy, Adam, L2 1e-4."""
    rng = np.random.default_rng(seed)
    d, h = x.shape[1], 256
    params = [(rng.standard_normal((d, h)) * np.sqrt(2 / d)).astype(np.float32), np.zeros(h, np.float32),
              (rng.standard_normal((h, len(CATS))) * np.sqrt(1 / h)).astype(np.float32), np.zeros(len(CATS), np.float32)]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    step = 0
    for _ in range(epochs):
        order = rng.permutation(len(x))
        for first in range(0, len(x), 128):
            idx = order[first : first + 128]
            w1, b1, w2, b2 = params
            pre = x[idx] @ w1 + b1
            hidden = np.maximum(pre, 0)
            p = 1 / (1 + np.exp(-(hidden @ w2 + b2)))
            g = (p - y[idx]) * mask[idx] / max(float(mask[idx].sum()), 1.0)
            dh = (g @ w2.T) * (pre > 0)
            grads = [x[idx].T @ dh + 1e-4 * w1, dh.sum(0), hidden.T @ g + 1e-4 * w2, g.sum(0)]
            step += 1
            for k, grad in enumerate(grads):
                m[k] = 0.9 * m[k] + 0.1 * grad
                v[k] = 0.999 * v[k] + 0.001 * grad * grad
                params[k] -= 0.003 * (m[k] / (1 - 0.9**step)) / (np.sqrt(v[k] / (1 - 0.999**step)) + 1e-8)
    return params


def f1(gold: np.ndarray, predicted: np.ndarray) -> float:
    return float(2 * (gold & predicted).sum() / max(gold.sum() + predicted.sum(), 1))


def main() -> int:
    encoder = SentenceEncoder()
    texts, targets, mask = training_rows()
    x = encoder.encode(texts, batch_size=64)
    emit({"name": "study.training", "sentences": len(texts), "two_or_more": int((targets.sum(1) >= 2).sum())})
    w1, b1, w2, b2 = train_sigmoid(x, targets, mask)
    single = targets.sum(1) <= 1
    classes = np.where(targets[single].sum(1) == 1, targets[single].argmax(1), len(CATS))  # the LABELS order
    soft = SentenceHead(train_head(x[single], classes, TrainSettings(), classes=len(LABELS)), classes=LABELS)

    def sigmoid_out(v: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-(np.maximum(v @ w1 + b1, 0) @ w2 + b2)))

    def softmax_out(v: np.ndarray) -> np.ndarray:
        return soft.probabilities(v)[:, : len(CATS)]

    sets = {name: post_rows(DATA / f"risk_{name}.jsonl") for name in ("dev3", "dev4", "dev5", "dev6")}
    vectors = {name: encoder.encode([t for t, _ in rows], batch_size=64) for name, rows in sets.items()}
    gold = {name: np.array([[c in labels for c in CATS] for _, labels in rows]) for name, rows in sets.items()}
    choose_gold = np.concatenate([gold[n] for n in ("dev3", "dev4")])
    check_gold = np.concatenate([gold[n] for n in ("dev5", "dev6")])
    for model, out in (("softmax", softmax_out), ("sigmoid_per_category", sigmoid_out)):
        row: dict[str, object] = {"name": f"study.{model}"}
        chosen_on = np.concatenate([out(vectors[n]) for n in ("dev3", "dev4")])  # each set's outputs computed once
        checked_on = np.concatenate([out(vectors[n]) for n in ("dev5", "dev6")])
        for j, cat in enumerate(CATS):
            choose, check = chosen_on[:, j], checked_on[:, j]
            threshold = max(GRID, key=lambda t: f1(choose_gold[:, j], choose >= t))
            row[cat] = {"threshold": round(float(threshold), 2),
                        "dev3_4_f1": round(f1(choose_gold[:, j], choose >= threshold), 3),
                        "dev5_6_f1": round(f1(check_gold[:, j], check >= threshold), 3)}
        emit(row)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
