"""Settings → Suggested re-shares: how much each part of the suggestion score counts (0-100 each)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from medshare_desktop.core.abilities import Abilities
from medshare_desktop.core.rules.suggestion import WEIGHT_LABELS, WEIGHT_NAMES, SuggestionWeights
from medshare_desktop.core.services.suggestion_service import MAX_WEIGHT, SuggestionService
from medshare_desktop.ui.shared.abilities import hold
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.workers import TaskRunner

HINT = ("Only the proportions matter. A post with an open high-risk finding always ranks below one without, "
        "whatever the weights. The defaults put the content first, then voices not yet heard; "
        "Defaults brings them back.")


class SuggestionWeightsBox(QGroupBox):
    """One spin box per part of the score, "Save weights" and "Defaults"; read and written off the GUI thread."""

    def __init__(self, suggestions: SuggestionService, ops: Operations, read_only: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__("Suggested re-shares: weights", parent)
        self.setObjectName("suggestionWeightsBox")
        self._suggestions = suggestions
        self._ops = ops
        self._tasks = TaskRunner(self)
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout(self)
        for name in WEIGHT_NAMES:
            spin = QSpinBox()
            spin.setObjectName(f"weight_{name}")
            spin.setRange(0, MAX_WEIGHT)
            spin.setMaximumWidth(100)
            self.spins[name] = spin
            form.addRow(WEIGHT_LABELS[name], spin)
        self.save_button = QPushButton("Save weights")
        self.save_button.setObjectName("saveWeights")
        self.save_button.setEnabled(not read_only)
        self.save_button.clicked.connect(self._on_save_clicked)
        defaults = QPushButton("Defaults")
        defaults.setObjectName("defaultWeights")
        defaults.clicked.connect(lambda: self.show_weights(SuggestionWeights()))
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addWidget(defaults)
        row.addStretch(1)
        form.addRow("", row)
        self.status = QLabel(HINT)
        self.status.setObjectName("weightsStatus")
        self.status.setWordWrap(True)
        form.addRow(self.status)

    def set_abilities(self, abilities: Abilities) -> None:
        """A login that may not change the team's settings sees this box disabled, with the reason."""
        hold(abilities, "settings", [self])

    def refresh(self) -> None:
        self._tasks.start(self._suggestions.weights, key="load", on_done=self.show_weights,
                          on_error=lambda exc, details: show_exception(self, exc, details))

    def show_weights(self, weights: SuggestionWeights) -> None:
        for name, value in weights.as_dict().items():
            self.spins[name].setValue(value)

    def weights(self) -> SuggestionWeights:
        return SuggestionWeights(**{name: spin.value() for name, spin in self.spins.items()})

    def _on_save_clicked(self) -> None:
        self._ops.write(self._suggestions.set_weights, self.weights(), initiator=self,
                        on_done=lambda _changes: self.status.setText("Saved: the inbox's Suggested column follows."),
                        on_error=lambda exc, details: show_exception(self, exc, details))
