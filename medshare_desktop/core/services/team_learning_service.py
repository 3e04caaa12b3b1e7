"""Settings → Risk engine → "Learn from our decisions": retrain the sentence classifier on the team's
decisions, keep or refuse the new model, roll back; every retrain, refusal and rollback is audited.

The training itself is behind the ModelTrainer port (team_trainer.py): it evaluates the new
model on the shipped validation set and on the team's decisions held out and refuses one that is worse
on either. Which model is in use (shipped, or trained on a date from N decisions) is kept in the
database settings so every screen can say it, and so is the model itself (its weights, settings and the
salted hashes of what it was taught; no sentence): every desk of a team on one database runs the model the
team trained last (`sync_from_team`, before the engine loads), not only the desk that trained it.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from medshare_desktop.core.errors import MedshareError, RetrainCancelled, ValidationError
from medshare_desktop.core.ports import ModelTrainer, RetrainResult, UnitOfWorkFactory
from medshare_desktop.core.rules import team_examples
from medshare_desktop.core.rules.team_examples import TeamDecisions
from medshare_desktop.core.services.audit_service import AuditService, Clock, utc_now
from medshare_desktop.core.services.settings_service import SettingKey

log = logging.getLogger(__name__)


def _bundle(files: dict[str, bytes] | None) -> str:
    """The setting's value for a head's files ("" for the shipped head)."""
    if files is None:
        return ""
    return json.dumps({"files": {name: base64.b64encode(data).decode("ascii") for name, data in sorted(files.items())}})


def _files(value: str) -> dict[str, bytes] | None:
    if not value:
        return None
    return {name: base64.b64decode(data) for name, data in json.loads(value)["files"].items()}


@dataclass(frozen=True, slots=True)
class ActiveModel:
    team: bool  # False: the model shipped with the app
    trained_at: datetime | None = None
    decisions: int = 0
    can_roll_back: bool = False

    def describe(self) -> str:
        if not self.team:
            return "The model shipped with MedShare Desktop."
        when = f" on {self.trained_at.astimezone():%d %b %Y %H:%M}" if self.trained_at else ""
        return f"Trained{when} on {self.decisions} of the team's decisions."


def _figures(result: RetrainResult) -> dict[str, object]:
    return {
        "accepted": result.accepted,
        "reason": result.reason,
        "validation_before": round(result.validation_before, 4),
        "validation_after": round(result.validation_after, 4),
        "team_before": round(result.team_before, 4),
        "team_after": round(result.team_after, 4),
        "examples": result.examples,
    }


class TeamLearningService:
    def __init__(
        self, uow: UnitOfWorkFactory, audit: AuditService, trainer: ModelTrainer, clock: Clock = utc_now
    ) -> None:
        self._uow = uow
        self._audit = audit
        self._trainer = trainer
        self._clock = clock

    # --- reading ------------------------------------------------------------------------
    def decisions(self) -> TeamDecisions:
        """The team's decisions as training sentences (see core/rules/team_examples.py)."""
        with self._uow() as tx:
            return team_examples.collect(tx.missed_risks.false_positives(), tx.missed_risks.all_active())

    def _history(self) -> dict[str, dict[str, object] | None]:
        with self._uow() as tx:
            raw = tx.settings.get(SettingKey.TEAM_MODEL)
        return json.loads(raw) if raw else {"current": None, "previous": None}

    def active_model(self) -> ActiveModel:
        history = self._history()
        # the team's history decides, not this desk's folder: a desk that installed the team's rollback keeps the
        # model it replaced as its own "previous", but the team has nothing to roll back to
        can_roll_back = self._trainer.has_previous() and history.get("current") is not None
        if not self._trainer.has_team_model():
            return ActiveModel(False, can_roll_back=can_roll_back)
        current = history.get("current") or {}
        at = current.get("trained_at")
        return ActiveModel(
            True,
            datetime.fromisoformat(str(at)) if at else None,
            int(current.get("decisions", 0) or 0),  # type: ignore[call-overload]
            can_roll_back,
        )

    # --- changing -----------------------------------------------------------------------
    def retrain(
        self,
        progress: Callable[[int, int, str], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> RetrainResult:
        """Retrain on the team's decisions (slow: call it from a worker). An accepted model is in use when
        this returns; a refused one changed nothing. Raises RetrainCancelled when cancelled."""
        decisions = self.decisions()
        if not decisions.examples:
            raise ValidationError(
                "There are no decisions to learn from yet: mark findings as false positives, or mark missed "
                "risks in the risk panel, then try again."
            )
        try:
            result = self._trainer.retrain(decisions.examples, progress=progress, cancelled=cancelled)
        except RetrainCancelled:
            with self._uow() as tx:
                self._audit.record(tx, "risk_model.retrain_cancelled", "risk_model", None,
                                   after={"decisions": decisions.used, "examples": len(decisions.examples)})
            raise
        with self._uow() as tx:
            after = {**_figures(result), "decisions": decisions.used}
            if not result.accepted:
                self._audit.record(tx, "risk_model.retrain_refused", "risk_model", None, after=after)
                return result
            raw = tx.settings.get(SettingKey.TEAM_MODEL)
            history = json.loads(raw) if raw else {"current": None, "previous": None}
            current = {"trained_at": self._clock().isoformat(), "decisions": decisions.used,
                       "examples": result.examples, "by": self._audit.actor}
            tx.settings.set(SettingKey.TEAM_MODEL, json.dumps({"current": current, "previous": history.get("current")}))
            tx.settings.set(SettingKey.TEAM_HEAD, _bundle(self._trainer.export_active()))  # for the other desks
            self._audit.record(tx, "risk_model.retrained", "risk_model", None,
                               before={"model": history.get("current") or "shipped"}, after=after)
        return result

    def rollback(self) -> ActiveModel:
        """Back to the model in use before the last retrain (audited). Raises ValidationError when there is none."""
        before = self.active_model()
        if not before.can_roll_back or not self._trainer.rollback():
            raise ValidationError("There is no previous model to roll back to.")
        with self._uow() as tx:
            raw = tx.settings.get(SettingKey.TEAM_MODEL)
            history = json.loads(raw) if raw else {"current": None, "previous": None}
            tx.settings.set(SettingKey.TEAM_MODEL, json.dumps({"current": history.get("previous"), "previous": None}))
            tx.settings.set(SettingKey.TEAM_HEAD, _bundle(self._trainer.export_active()))  # for the other desks
            self._audit.record(
                tx, "risk_model.rolled_back", "risk_model", None,
                before={"model": history.get("current") or before.describe()},
                after={"model": history.get("previous") or "shipped"},
            )
        return self.active_model()

    # --- the team's other desks -----------------------------------------------------------
    def sync_from_team(self) -> bool:
        """Run the model the team trained (or rolled back to) last on any desk: True when this desk's model
        changed. Nothing to do before the team first retrains. A model that cannot be read is logged and
        this desk keeps its own (the engine must start)."""
        with self._uow() as tx:
            value = tx.settings.get(SettingKey.TEAM_HEAD)
        if value is None:
            return False  # no desk has retrained since models are shared: each keeps what it has
        try:
            return self._trainer.install(_files(value))
        except (MedshareError, ValueError, KeyError, OSError):
            log.exception("the team's shared risk model could not be installed on this desk")
            return False
