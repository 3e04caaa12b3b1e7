"""The core's ModelTrainer port over analysis/learning.py: retrain the sentence head on the team's
decisions in the app's data folder (<data>/models), roll back, and point the running engine at the
head now in use. Imported lazily: nothing here loads until the team retrains or the engine starts.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from medshare_desktop.core.errors import MedshareError, RetrainCancelled
from medshare_desktop.core.models import TeamExample
from medshare_desktop.core.ports import RetrainResult

log = logging.getLogger(__name__)
# what a team head folder holds (learning.retrain writes them; taught.npz: salted hashes, no text)
HEAD_FILES = ("head.json", "head.npz", "taught.npz", "SHA256SUMS")


def _learning():  # type: ignore[no-untyped-def]
    try:
        from medshare_desktop.analysis import learning
    except ImportError as error:  # a build without the learning module
        raise MedshareError("Learning from the team's decisions is not available in this build.") from error
    return learning


class TeamModelTrainer:
    def __init__(self, models_folder: Path, train_settings: object | None = None) -> None:
        # learning.py keeps current/ and previous/ heads in the folder it is given
        self.models_root = Path(models_folder) / "sentence_head"
        self._settings = train_settings  # a sentence_head.TrainSettings; None: learning.py's own

    # --- the port -----------------------------------------------------------------------
    def retrain(
        self,
        examples: Sequence[TeamExample],
        progress: Callable[[int, int, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> RetrainResult:
        learning = _learning()
        self.models_root.mkdir(parents=True, exist_ok=True)
        extra = {} if self._settings is None else {"settings": self._settings}
        try:
            report = learning.retrain(
                [learning.TeamExample(e.text, e.label, e.post_id) for e in examples],
                self.models_root,
                progress=progress or (lambda _done, _total, _message: None),
                cancelled=cancelled or (lambda: False),
                **extra,
            )
        except learning.Cancelled:
            raise RetrainCancelled("Retraining was cancelled; the model in use is unchanged.") from None
        if report.accepted:
            self.apply_to_engine()
        log.info("team retrain: accepted=%s examples=%s", report.accepted, report.examples)
        return RetrainResult(
            accepted=bool(report.accepted),
            reason=str(report.reason),
            validation_before=float(report.validation_before),
            validation_after=float(report.validation_after),
            team_before=float(report.team_before),
            team_after=float(report.team_after),
            examples=int(report.examples),
        )

    def rollback(self) -> bool:
        """Back to the previous head; from the team's first head, back to the shipped one."""
        learning = _learning()
        done = bool(learning.rollback(self.models_root))
        current = self.models_root / learning.CURRENT
        if not done and current.is_dir():  # the model before the team's first one is the shipped head
            learning.discard(current)
            done = True
        if done:
            self.apply_to_engine()
        return done

    def has_team_model(self) -> bool:
        return self.head_dir() is not None

    def has_previous(self) -> bool:
        try:
            learning = _learning()
        except MedshareError:
            return False
        # a previous team head, or the shipped head before the team's first one
        return self.head_dir() is not None or (self.models_root / learning.PREVIOUS / "head.npz").is_file()

    # --- sharing with the team's other desks ----------------------------------------------
    def export_active(self) -> dict[str, bytes] | None:
        """The active team head's files (weights, settings, taught hashes, checksums; no sentence), or None."""
        folder = self.head_dir()
        if folder is None:
            return None
        return {name: (folder / name).read_bytes() for name in HEAD_FILES if (folder / name).is_file()}

    def install(self, files: dict[str, bytes] | None) -> bool:
        """Make another desk's team head (None: the shipped head) the one in use here, the active one becoming
        the previous; the running engine switches to it. False when it is already in use. Files that do not
        load as a head are refused (MedshareError) and nothing changes."""
        if files == self.export_active():
            return False
        learning = _learning()
        self.models_root.mkdir(parents=True, exist_ok=True)
        staging = self.models_root / f"staging-{time.time_ns()}"
        try:
            if files is not None:
                staging.mkdir()
                for name, data in files.items():
                    if name in HEAD_FILES:
                        (staging / name).write_bytes(data)
                try:
                    from medshare_desktop.analysis.sentence_head import SentenceHead

                    SentenceHead.load(staging)
                except (OSError, ValueError, KeyError) as error:
                    raise MedshareError("The team's shared risk model could not be read; this desk keeps its own.") from error
            learning.promote(self.models_root, staging if files is not None else None)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
        self.apply_to_engine()
        log.info("the team's %s head is now in use on this desk", "shipped" if files is None else "retrained")
        return True

    # --- the engine ---------------------------------------------------------------------
    def head_dir(self) -> Path | None:
        """The team's head in use, or None for the shipped one."""
        if not self.models_root.is_dir():
            return None
        try:
            return _learning().active_head_dir(self.models_root)
        except MedshareError:
            return None

    def apply_to_engine(self, build: bool = False) -> None:
        """Point the app's shared engine at the head now in use: the running one, or (`build`) the one
        built now for the app (slow: from a worker)."""
        from medshare_desktop.analysis import engine

        running = engine.default_engine() if build else engine._default_engine  # noqa: SLF001
        if running is None:
            return  # not built yet: the app builds it with build=True (bootstrap._DefaultAnalyzer)
        reload_head = getattr(running, "reload_head", None)
        if reload_head is None:
            log.warning("this risk engine cannot change its sentence head; the new one is used after a restart")
            return
        reload_head(self.head_dir())
