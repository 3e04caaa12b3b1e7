"""Learning from the team's decisions: retrain the sentence head, keep it only when it is no worse.

No Qt: the UI calls `retrain` in a worker thread, with `progress` and `cancelled` callbacks.

`models_root` (the app's data folder, e.g. `<data_dir>/risk_models`) holds at most:
- `current/`: the team's active head (`head.npz`, `head.json`); absent = the shipped head;
- `previous/`: the head that was active before the last accepted retrain (one-click rollback);
- `candidate-*` folders while a retrain runs (removed when it ends, whatever the outcome).

A retrain trains a candidate head on the shipped training sentences (their embeddings are cached in
`resources/models/sentence_head/training.npz`, so only the team's examples are encoded) plus the
team's examples, a seeded fifth of which is kept aside. The active head and the candidate are both
scored (macro F1 of the likeliest label) on the shipped validation sentences
(`resources/models/sentence_head/validation.npz`: development set 3 and our fatigue phrasings, never
trained on) and on the team's kept-aside examples. A candidate worse on either is refused and nothing
changes; otherwise `current` becomes `previous` and the candidate becomes `current` (renames).
Beside the weights, the head folder holds `taught.npz` (`taught_index.py`: each taught sentence's label
and its content-word stems as salted hashes, no text), so that sentences resembling one reach this head.
"""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from medshare_desktop.analysis.sentence_encoder import SentenceEncoder
from medshare_desktop.analysis.sentence_head import (
    CLASSES,
    LABELS,
    SentenceHead,
    TrainSettings,
    class_ids,
    is_head_dir,
    macro_f1,
    shipped_head_dir,
    train_head,
)
from medshare_desktop.analysis.sentence_model import classifier_text
from medshare_desktop.analysis.taught_index import TaughtIndex

CURRENT = "current"
PREVIOUS = "previous"
TEAM_HELD_OUT_SHARE = 0.2  # of the team's examples, kept aside to judge the candidate
TEAM_WEIGHT = 5.0  # a team example weighs as much as five shipped training sentences
# The validation set has about 1,400 sentences; one sentence more or less right moves macro F1 by about
# this much, so a candidate within it is "no worse" (the team's own kept-aside examples must not drop).
VALIDATION_TOLERANCE = 0.005
MIN_EXAMPLES = 1
WARM_EPOCHS = 10  # passes when starting from the active head (40 from scratch)


@dataclass(frozen=True)
class TeamExample:
    text: str  # the sentence (or selected text) the team decided about
    label: str  # "story" | "discoverable" | "unprofessional" | "advice" | "none"
    post_id: int | None = None


@dataclass(frozen=True)
class RetrainReport:
    accepted: bool
    reason: str  # one sentence for the user
    validation_before: float
    validation_after: float
    team_before: float
    team_after: float
    examples: int
    model_dir: Path | None


class Cancelled(Exception):
    """The retrain was cancelled; nothing changed."""


def active_head_dir(models_root: Path) -> Path | None:
    """The team's active head, or None for the shipped head."""
    current = models_root / CURRENT
    return current if is_head_dir(current) else None


def discard(folder: Path) -> None:
    """Remove a head folder: renamed out of the way first, so no half-deleted head is ever read as one."""
    trash = folder.parent / f"discarded-{time.time_ns()}"
    folder.rename(trash)
    shutil.rmtree(trash, ignore_errors=True)


def promote(models_root: Path, staging: Path | None) -> None:
    """Make the head in `staging` the active one (None: the shipped head): the active one becomes the previous,
    the previous is discarded."""
    current, previous = models_root / CURRENT, models_root / PREVIOUS
    if previous.exists():
        discard(previous)
    if current.exists():
        current.rename(previous)
    if staging is not None:
        staging.rename(current)


def rollback(models_root: Path) -> bool:
    """Make the previous head active again (the current one is discarded). False when there is none."""
    previous = models_root / PREVIOUS
    if not is_head_dir(previous):
        return False
    current = models_root / CURRENT
    trash = None
    if current.exists():
        trash = models_root / f"discarded-{time.time_ns()}"
        current.rename(trash)
    previous.rename(current)
    if trash is not None:
        shutil.rmtree(trash, ignore_errors=True)
    return True


def _split(examples: list[TeamExample], seed: int) -> tuple[list[TeamExample], list[TeamExample]]:
    """(train, kept aside): per label, a seeded fifth (at least one when a label has 2+ examples)."""
    train: list[TeamExample] = []
    aside: list[TeamExample] = []
    rng = random.Random(seed)
    for label in LABELS:
        group = [e for e in examples if e.label == label]
        rng.shuffle(group)
        keep = int(round(len(group) * TEAM_HELD_OUT_SHARE))
        if keep == 0 and len(group) >= 2:
            keep = 1
        aside += group[:keep]
        train += group[keep:]
    return train, aside


def _score(head: SentenceHead, x: np.ndarray, gold: list[str]) -> float:
    if len(gold) == 0:
        return 0.0
    predicted = [LABELS[i] for i in head.probabilities(x).argmax(axis=1)]
    return macro_f1(gold, predicted)


def retrain(
    examples: Sequence[TeamExample],
    models_root: Path,
    *,
    progress: Callable[[int, int, str], None] = lambda d, t, m: None,
    cancelled: Callable[[], bool] = lambda: False,
    shipped_dir: Path | None = None,
    encoder: SentenceEncoder | None = None,
    settings: TrainSettings | None = None,
    seed: int = 0,
    warm_start: bool = False,
) -> RetrainReport:
    """Train, judge and (when no worse) install a head with the team's examples; see the module doc.
    The candidate is trained from scratch like the shipped head (about 10 s on a quiet machine here);
    `warm_start=True` starts from the active head's weights for WARM_EPOCHS passes (4x faster, but it
    learned the team's examples less well in a trial: their kept-aside score fell and it was refused)."""
    shipped = shipped_dir if shipped_dir is not None else shipped_head_dir()
    settings = settings or TrainSettings(seed=seed, epochs=WARM_EPOCHS if warm_start else TrainSettings.epochs)
    # one decision per sentence and label (the same sentence on both sides of the split would judge nothing)
    examples = list({(classifier_text(e.text), e.label): e for e in examples if e.text and e.text.strip()}.values())
    unknown = sorted({e.label for e in examples if e.label not in LABELS})
    if unknown:
        raise ValueError(f"unknown labels {unknown}; expected one of {LABELS}")
    total = settings.epochs + 6
    done = 0

    def step(message: str, amount: int = 1) -> None:
        nonlocal done
        if cancelled():
            raise Cancelled()
        done = min(total, done + amount)
        progress(done, total, message)

    def refuse(reason: str, vb: float = 0.0, va: float = 0.0, tb: float = 0.0, ta: float = 0.0) -> RetrainReport:
        return RetrainReport(False, reason, vb, va, tb, ta, len(examples), None)

    progress(0, total, "Reading the shipped training data")
    if len(examples) < MIN_EXAMPLES:
        return refuse("There are no team decisions to learn from yet.")
    if not (shipped / "training.npz").is_file() or not (shipped / "validation.npz").is_file():
        return refuse("The shipped training data is missing, so the classifier cannot be retrained.")
    encoder = encoder or SentenceEncoder()
    if not encoder.available():
        return refuse("The sentence encoder is missing, so the classifier cannot be retrained.")
    with np.load(shipped / "training.npz") as data:
        base_x = data["x"].astype(np.float32)
        base_y = data["cls"].astype(np.int64)  # the head's finer classes (CLASSES)
    with np.load(shipped / "validation.npz") as data:
        val_x = data["x"].astype(np.float32)
        val_gold = [LABELS[i] for i in data["y"].astype(np.int64)]
    step("Reading the shipped training data")

    team_train, team_aside = _split(list(examples), seed)
    step("Encoding the team's decisions")
    texts = [classifier_text(e.text) for e in (*team_train, *team_aside)]
    vectors = encoder.encode(texts) if texts else np.zeros((0, base_x.shape[1]), dtype=np.float32)
    train_x, aside_x = vectors[: len(team_train)], vectors[len(team_train) :]
    aside_gold = [e.label for e in team_aside]
    step("Encoding the team's decisions")

    active_dir = active_head_dir(models_root) or shipped
    active = SentenceHead.load(active_dir)

    x = np.concatenate([base_x, train_x])
    y = np.concatenate([base_y, class_ids([e.label for e in team_train])])
    weight = np.concatenate([np.ones(len(base_x), np.float32), np.full(len(team_train), TEAM_WEIGHT, np.float32)])
    try:
        weights = train_head(
            x, y, settings, weight, progress=lambda epoch, _n: step(f"Training (pass {epoch} of {settings.epochs})", 1),
            cancelled=cancelled, classes=len(CLASSES), initial=active.weights if warm_start else None,
        )
    except InterruptedError:
        raise Cancelled() from None
    candidate = SentenceHead(weights, dict(active.thresholds), dict(active.meta), CLASSES)
    step("Comparing the new classifier with the active one")
    validation_before = _score(active, val_x, val_gold)
    validation_after = _score(candidate, val_x, val_gold)
    team_before = _score(active, aside_x, aside_gold)
    team_after = _score(candidate, aside_x, aside_gold)
    step("Comparing the new classifier with the active one")
    figures = (validation_before, validation_after, team_before, team_after)
    if validation_after < validation_before - VALIDATION_TOLERANCE:
        return refuse(
            f"Kept the current classifier: the new one is worse on the shipped validation set "
            f"({validation_after:.3f} against {validation_before:.3f}).",
            *figures,
        )
    if aside_gold and team_after < team_before:
        return refuse(
            f"Kept the current classifier: the new one is worse on your own held-back decisions "
            f"({team_after:.3f} against {team_before:.3f}).",
            *figures,
        )

    if cancelled():
        raise Cancelled()
    models_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="candidate-", dir=models_root))
    try:
        candidate.meta = {
            **candidate.meta,
            "trained_on": {"sentences": int(len(base_x)), "team_examples": len(team_train), "team_kept_aside": len(team_aside)},
            "settings": settings.__dict__,
            "retrained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "validation_macro_f1": round(validation_after, 4),
        }
        candidate.save(staging)  # weights and counts only: the team's sentences stay in the (encrypted) database
        # every taught sentence (kept-aside ones too), as salted hashes of its content-word stems: the cascade
        # sends sentences resembling one to this head even where the textcat is sure (taught_index.py)
        TaughtIndex.build((classifier_text(e.text), e.label) for e in examples).save(staging)
        if cancelled():
            raise Cancelled()
        promote(models_root, staging)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    progress(total, total, "Done")
    if aside_gold:
        reason = (
            f"Now using the retrained classifier: {validation_after:.3f} on the shipped validation set "
            f"(was {validation_before:.3f}) and {team_after:.3f} on your held-back decisions (was {team_before:.3f})."
        )
    else:
        reason = (
            f"Now using the retrained classifier: {validation_after:.3f} on the shipped validation set "
            f"(was {validation_before:.3f}); too few decisions to hold any back."
        )
    return RetrainReport(True, reason, *figures, len(examples), models_root / CURRENT)
