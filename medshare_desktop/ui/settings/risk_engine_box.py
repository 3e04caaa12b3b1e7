"""Settings → Risk engine: the team's own places, and "Learn from our decisions" (retrain in a worker with
progress and Cancel, the outcome in plain words, one-click rollback, which model is in use)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.abilities import Abilities
from medshare_desktop.core.errors import RetrainCancelled
from medshare_desktop.core.ports import RetrainResult
from medshare_desktop.core.rules.team_examples import TeamDecisions
from medshare_desktop.core.services.settings_service import SettingsService
from medshare_desktop.core.services.team_learning_service import ActiveModel, TeamLearningService
from medshare_desktop.ui.shared.abilities import hold
from medshare_desktop.ui.shared.colours import themed_css
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.workers import CancelToken, TaskRunner

DONE_STYLE = "color: #0a6b2d; font-weight: 600;"
PROBLEM_STYLE = "color: #b00020; font-weight: 600;"


def decisions_text(d: TeamDecisions) -> str:
    if not d.used:
        text = ("No decisions to learn from yet. Mark findings as “False positive” or select words and mark a "
                "“Missed risk” in the risk panel; each one teaches the model.")
    else:
        text = (f"{d.used} decision(s) to learn from: {d.false_positives} “not a risk” and {d.missed_risks} missed "
                f"risk(s), giving {len(d.examples)} sentence(s).")
    if d.not_for_sentences:
        text += (f" {d.not_for_sentences} decision(s) about patient identifiers or consent are kept with the posts "
                 "but do not train this model (it judges sentences: stories, admissions, tone, advice).")
    return text


def outcome_text(r: RetrainResult) -> str:
    if "too few" in r.reason:  # learning.py holds none back when each label has one decision only
        team = "too few of your decisions to hold any back"
    else:
        team = f"your team's decisions held out {r.team_after:.3f} against {r.team_before:.3f}"
    figures = (f"Scores (macro F1, higher is better), new model against the one in use before: shipped validation "
               f"set {r.validation_after:.3f} against {r.validation_before:.3f}; {team}.")
    if r.accepted:
        return f"The new model is in use, trained with {r.examples} of your sentence(s).\n{figures}"
    prefix = "Kept the current classifier: the new one "
    if r.reason.startswith(prefix):  # learning.py's wording of a refusal
        return f"Nothing changed: the new model was refused because it {r.reason.removeprefix(prefix)}\n{figures}"
    trained = any((r.validation_before, r.validation_after, r.team_before, r.team_after))
    return f"Nothing changed: {r.reason}" + (f"\n{figures}" if trained else "")


class RiskEngineBox(QGroupBox):
    model_changed = Signal()  # a retrain was accepted or rolled back: new analyses use another model
    _progress = Signal(int, int, str)  # emitted from the worker, delivered on the GUI thread

    def __init__(self, learning: TeamLearningService, settings: SettingsService, read_only: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__("Risk engine", parent)
        self.setObjectName("riskEngineBox")
        self._learning = learning
        self._settings = settings
        self._tasks = TaskRunner(self)
        self._cancel: CancelToken | None = None

        places_title = QLabel("<b>Our places</b>")
        places_help = QLabel(
            "Wards and units (“4 North”), towns of our catchment area. The risk engine flags them as "
            "patient places when a post talks about a patient, not when they name staff or events. Staff names "
            "come from People (consent)."
        )
        places_help.setWordWrap(True)
        self.places = QListWidget()
        self.places.setObjectName("ourPlaces")
        self.places.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.places.setMaximumHeight(120)
        self.new_place = QLineEdit()
        self.new_place.setObjectName("newPlace")
        self.new_place.setPlaceholderText("A unit or town, e.g. 4 North")
        self.new_place.returnPressed.connect(self._on_add_place_clicked)
        add = QPushButton("Add")
        add.clicked.connect(self._on_add_place_clicked)
        remove = QPushButton("Remove selected")
        remove.clicked.connect(self._on_remove_place_clicked)
        self.save_places = QPushButton("Save places")
        self.save_places.setObjectName("savePlaces")
        self.save_places.clicked.connect(self._on_save_places_clicked)
        place_row = QHBoxLayout()
        place_row.addWidget(self.new_place, 1)
        for button in (add, remove, self.save_places):
            place_row.addWidget(button)

        learn_title = QLabel("<b>Learn from our decisions</b>")
        self.decisions = QLabel("Counting the team's decisions…")
        self.decisions.setObjectName("teamDecisions")
        self.decisions.setWordWrap(True)
        self.active = QLabel()
        self.active.setObjectName("activeModel")
        self.active.setWordWrap(True)
        self.learn_button = QPushButton("Learn from our decisions")
        self.learn_button.setObjectName("learnFromDecisions")
        self.learn_button.setToolTip(
            "Retrain the sentence classifier on the team's decisions. The new model is kept only if it is at least "
            "as good on the shipped validation set and on your decisions held out; the previous one stays for "
            "rollback."
        )
        self.learn_button.setEnabled(False)  # until the decisions are counted
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("cancelLearning")
        self.cancel_button.setEnabled(False)
        self.rollback_button = QPushButton("Roll back to the previous model")
        self.rollback_button.setObjectName("rollbackModel")
        self.rollback_button.setEnabled(False)
        self.progress = QProgressBar()
        self.progress.setObjectName("learnProgress")
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.outcome = QLabel()
        self.outcome.setObjectName("learnOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextFormat(Qt.TextFormat.PlainText)
        learn_row = QHBoxLayout()
        learn_row.addWidget(self.learn_button)
        learn_row.addWidget(self.cancel_button)
        learn_row.addStretch(1)
        learn_row.addWidget(self.rollback_button)

        layout = QVBoxLayout(self)
        layout.addWidget(places_title)
        layout.addWidget(places_help)
        layout.addWidget(self.places)
        layout.addLayout(place_row)
        layout.addSpacing(8)
        layout.addWidget(learn_title)
        layout.addWidget(self.active)
        layout.addWidget(self.decisions)
        layout.addLayout(learn_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)

        self._read_only = read_only
        if read_only:
            for button in (self.save_places, self.learn_button, self.rollback_button):
                button.setEnabled(False)
                button.setToolTip("This window is read-only: another MedShare Desktop window has the database open.")
        self.learn_button.clicked.connect(self._on_learn_clicked)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.rollback_button.clicked.connect(self._on_rollback_clicked)
        self._progress.connect(self._on_progress)

    # --- loading ------------------------------------------------------------------------
    def set_abilities(self, abilities: Abilities) -> None:
        """A login that may not change the team's settings sees the places and the team model's actions
        disabled, with the reason (the places list and the model in use stay readable)."""
        hold(abilities, "settings", [self.new_place, self.save_places, self.learn_button, self.rollback_button])

    def refresh(self) -> None:
        learning, settings = self._learning, self._settings
        self._tasks.start(lambda: (settings.our_places(), learning.decisions(), learning.active_model()),
                          key="load", on_done=self._on_loaded, on_error=self._err)

    def _on_loaded(self, result: tuple[list[str], TeamDecisions, ActiveModel]) -> None:
        places, decisions, model = result
        self.places.clear()
        self.places.addItems(places)
        self._show_state(decisions, model)

    def _show_state(self, decisions: TeamDecisions, model: ActiveModel) -> None:
        self.decisions.setText(decisions_text(decisions))
        self.active.setText(f"In use: {model.describe()}")
        busy = self._cancel is not None
        self.learn_button.setEnabled(not self._read_only and not busy and bool(decisions.examples))
        self.rollback_button.setEnabled(not self._read_only and not busy and model.can_roll_back)

    # --- our places ---------------------------------------------------------------------
    def place_list(self) -> list[str]:
        return [self.places.item(i).text() for i in range(self.places.count())]

    def _on_add_place_clicked(self) -> None:
        place = " ".join(self.new_place.text().split())
        if place and place.lower() not in {p.lower() for p in self.place_list()}:
            self.places.addItem(place)
        self.new_place.clear()

    def _on_remove_place_clicked(self) -> None:
        for item in self.places.selectedItems():
            self.places.takeItem(self.places.row(item))

    def _on_save_places_clicked(self) -> None:
        places = self.place_list()
        self._tasks.start(self._settings.set_our_places, places, on_error=self._err, on_done=lambda _r: self._say(
            f"Saved {len(places)} place(s). New analyses flag them near a patient.", DONE_STYLE))

    # --- learning -----------------------------------------------------------------------
    def _on_learn_clicked(self) -> None:
        self._cancel = CancelToken()
        self.learn_button.setEnabled(False)
        self.rollback_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Preparing…")
        self.progress.show()
        self._say("Learning from the team's decisions… The app stays usable meanwhile.", "")
        self._tasks.start(self._learning.retrain, progress=self._progress.emit, cancelled=self._cancel,
                          on_done=self._on_learned, on_error=self._on_learn_failed)

    def _on_progress(self, done: int, total: int, message: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        self.progress.setFormat(f"{message} — %p%" if message and total > 0 else message or "%p%")

    def _on_cancel_clicked(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
            self.cancel_button.setEnabled(False)
            self.progress.setFormat("Cancelling…")

    def _finish(self) -> None:
        self._cancel = None
        self.cancel_button.setEnabled(False)
        self.learn_button.setEnabled(not self._read_only)  # the decisions are still there; refresh() recounts
        self.progress.hide()
        self.refresh()

    def _on_learned(self, result: RetrainResult) -> None:
        self._finish()
        self._say(outcome_text(result), DONE_STYLE if result.accepted else PROBLEM_STYLE)
        if result.accepted:
            self.model_changed.emit()

    def _on_learn_failed(self, exc: BaseException, details: str) -> None:
        self._finish()
        if isinstance(exc, RetrainCancelled):
            self._say("Cancelled: nothing changed, the model in use is the same as before.", "")
            return
        self._err(exc, details)

    def _on_rollback_clicked(self) -> None:
        self.rollback_button.setEnabled(False)
        self._tasks.start(self._learning.rollback, on_done=self._on_rolled_back, on_error=self._err)

    def _on_rolled_back(self, model: ActiveModel) -> None:
        self.active.setText(f"In use: {model.describe()}")
        self.refresh()
        self._say(f"Rolled back. In use now: {model.describe()}", DONE_STYLE)
        self.model_changed.emit()

    def _say(self, text: str, style: str) -> None:
        self.outcome.setText(text)
        self.outcome.setStyleSheet(themed_css(style) if style else "")

    def _err(self, exc: BaseException, details: str) -> None:
        self.refresh()
        show_exception(self, exc, details)
