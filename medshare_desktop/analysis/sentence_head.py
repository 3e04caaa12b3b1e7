"""The learned head on sentence embeddings: a small numpy classifier (no scikit-learn or torch).

A head folder holds `head.npz` (weights: a multinomial logistic regression, or one hidden ReLU layer
then a softmax) and `head.json` (labels, thresholds, the encoder it was trained with, how it was
trained). The shipped head is `resources/models/sentence_head/`; a team's retrained head lives in the
app's data folder (see `learning.py`). Training is deterministic for a seed.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from medshare_desktop.paths import resource_path

HEAD_NAME = "sentence_head"
LABELS = ("story", "discoverable", "unprofessional", "advice", "none")
RISK_LABELS = LABELS[:-1]
NONE_INDEX = LABELS.index("none")
DEFAULT_THRESHOLD = 0.5
# The head is trained on finer classes where the training sentences have them (fatigue, error, staffing and
# safety are tight clusters of "discoverable"); its probabilities are summed back to LABELS.
CLASSES = ("story", "fatigue", "error", "staffing", "safety", "discoverable", "unprofessional", "advice", "none")
CLASS_LABEL = {"fatigue": "discoverable", "error": "discoverable", "staffing": "discoverable", "safety": "discoverable"}


def shipped_head_dir() -> Path:
    return resource_path("models", HEAD_NAME)


@dataclass
class TrainSettings:
    hidden: int = 256  # 0: logistic regression
    epochs: int = 40
    batch: int = 128
    learning_rate: float = 0.003
    l2: float = 1e-4
    seed: int = 0


@dataclass
class SentenceHead:
    weights: dict[str, np.ndarray]
    thresholds: dict[str, float] = field(default_factory=dict)
    meta: dict[str, object] = field(default_factory=dict)
    classes: tuple[str, ...] = CLASSES

    # ------------------------------------------------------------------ use
    def probabilities(self, x: np.ndarray) -> np.ndarray:
        """(n, len(LABELS)) probabilities: the classes summed into their labels."""
        return self.to_labels(self.class_probabilities(x))

    def to_labels(self, fine: np.ndarray) -> np.ndarray:
        """Class probabilities summed into LABELS."""
        if self.classes == LABELS:
            return fine
        out = np.zeros((fine.shape[0], len(LABELS)), dtype=np.float32)
        for index, name in enumerate(self.classes):
            out[:, LABELS.index(CLASS_LABEL.get(name, name))] += fine[:, index]
        return out

    def class_probabilities(self, x: np.ndarray) -> np.ndarray:
        """(n, len(self.classes)) probabilities."""
        x = np.asarray(x, dtype=np.float32)
        if "w1" in self.weights:
            x = np.maximum(x @ self.weights["w1"] + self.weights["b1"], 0.0)
        logits = x @ self.weights["w"] + self.weights["b"]
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def decide(self, probabilities: np.ndarray) -> list[str]:
        """Per row: the likeliest risk label when it reaches its threshold, else "none"."""
        out = []
        for row in probabilities:
            best = max(range(len(RISK_LABELS)), key=lambda i: row[i])
            label = RISK_LABELS[best]
            out.append(label if row[best] >= self.thresholds.get(label, DEFAULT_THRESHOLD) else "none")
        return out

    # ------------------------------------------------------------------ files
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        _atomic_write(folder / "head.npz", lambda f: np.savez(f, **self.weights))
        text = json.dumps(
            {"labels": list(LABELS), "classes": list(self.classes), "thresholds": self.thresholds, **self.meta},
            indent=1, sort_keys=True,
        )
        _atomic_write(folder / "head.json", lambda f: f.write(text.encode("utf-8")))

    @classmethod
    def load(cls, folder: Path) -> SentenceHead:
        with np.load(folder / "head.npz") as data:
            weights = {k: data[k].astype(np.float32) for k in data.files}
        info = json.loads((folder / "head.json").read_text("utf-8"))
        if tuple(info.get("labels", ())) != LABELS:
            raise ValueError(f"{folder}: head labels {info.get('labels')} are not {LABELS}")
        thresholds = {k: float(v) for k, v in info.pop("thresholds", {}).items()}
        info.pop("labels", None)
        classes = tuple(info.pop("classes", LABELS))
        if any(CLASS_LABEL.get(c, c) not in LABELS for c in classes) or weights["w"].shape[1] != len(classes):
            raise ValueError(f"{folder}: head classes {classes} do not match its weights")
        return cls(weights, thresholds, info, classes)


def _atomic_write(path: Path, write: Callable[[object], object]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def is_head_dir(folder: Path | None) -> bool:
    return folder is not None and (folder / "head.npz").is_file() and (folder / "head.json").is_file()


# ---------------------------------------------------------------------- training
def label_ids(labels: list[str]) -> np.ndarray:
    return np.array([LABELS.index(label) for label in labels], dtype=np.int64)


def class_ids(classes: list[str]) -> np.ndarray:
    return np.array([CLASSES.index(name) for name in classes], dtype=np.int64)


def train_head(
    x: np.ndarray,
    y: np.ndarray,
    settings: TrainSettings = TrainSettings(),  # noqa: B008 - frozen use only
    sample_weight: np.ndarray | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
    cancelled: Callable[[], bool] = lambda: False,
    classes: int = len(CLASSES),
    initial: dict[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Weights of a softmax classifier (Adam on minibatches, L2, a fixed seed), from `initial` weights when
    given (warm start). `cancelled()` is checked between minibatches; when true, training stops and
    `InterruptedError` is raised."""
    rng = np.random.default_rng(settings.seed)
    x = np.asarray(x, dtype=np.float32)
    n, d = x.shape
    k = classes
    weight = np.ones(n, dtype=np.float32) if sample_weight is None else np.asarray(sample_weight, dtype=np.float32)
    params: dict[str, np.ndarray] = {}
    if settings.hidden:
        params["w1"] = (rng.standard_normal((d, settings.hidden)) * np.sqrt(2.0 / d)).astype(np.float32)
        params["b1"] = np.zeros(settings.hidden, dtype=np.float32)
        params["w"] = (rng.standard_normal((settings.hidden, k)) * np.sqrt(1.0 / settings.hidden)).astype(np.float32)
    else:
        params["w"] = np.zeros((d, k), dtype=np.float32)
    params["b"] = np.zeros(k, dtype=np.float32)
    if initial is not None and all(name in initial and initial[name].shape == p.shape for name, p in params.items()):
        params = {name: initial[name].astype(np.float32).copy() for name in params}  # warm start
    m = {name: np.zeros_like(p) for name, p in params.items()}
    v = {name: np.zeros_like(p) for name, p in params.items()}
    onehot = np.eye(k, dtype=np.float32)[y]
    step = 0
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    for epoch in range(settings.epochs):
        order = rng.permutation(n)
        for first in range(0, n, settings.batch):
            if cancelled():
                raise InterruptedError("training cancelled")
            idx = order[first : first + settings.batch]
            xb, tb, wb = x[idx], onehot[idx], weight[idx]
            hidden = None
            if settings.hidden:
                pre = xb @ params["w1"] + params["b1"]
                hidden = np.maximum(pre, 0.0)
                logits = hidden @ params["w"] + params["b"]
            else:
                logits = xb @ params["w"] + params["b"]
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            dlogits = (p - tb) * (wb / wb.sum())[:, None]
            grads = {"b": dlogits.sum(axis=0)}
            if settings.hidden:
                assert hidden is not None
                grads["w"] = hidden.T @ dlogits + settings.l2 * params["w"]
                dhidden = (dlogits @ params["w"].T) * (pre > 0)
                grads["w1"] = xb.T @ dhidden + settings.l2 * params["w1"]
                grads["b1"] = dhidden.sum(axis=0)
            else:
                grads["w"] = xb.T @ dlogits + settings.l2 * params["w"]
            step += 1
            for name, g in grads.items():
                m[name] = beta1 * m[name] + (1 - beta1) * g
                v[name] = beta2 * v[name] + (1 - beta2) * g * g
                mhat = m[name] / (1 - beta1**step)
                vhat = v[name] / (1 - beta2**step)
                params[name] -= (settings.learning_rate * mhat / (np.sqrt(vhat) + eps)).astype(np.float32)
        progress(epoch + 1, settings.epochs)
    return params


# ---------------------------------------------------------------------- scoring
def macro_f1(gold: list[str], predicted: list[str]) -> float:
    """Macro F1 over the labels present in `gold` or `predicted` (none included)."""
    scores = []
    for label in LABELS:
        tp = sum(g == label and p == label for g, p in zip(gold, predicted, strict=True))
        fp = sum(g != label and p == label for g, p in zip(gold, predicted, strict=True))
        fn = sum(g == label and p != label for g, p in zip(gold, predicted, strict=True))
        if tp + fp + fn == 0:
            continue
        scores.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(scores)) if scores else 0.0
