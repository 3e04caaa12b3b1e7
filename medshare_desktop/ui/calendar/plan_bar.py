"""The bar over the calendar while a proposed month is shown: what the draft holds, the legend for its ghost
entries, and Accept all / Accept selected / Discard selected / Discard all."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from medshare_desktop.core.rules.planner import MonthPlan
from medshare_desktop.ui.calendar.grid_painter import GHOST

LEGEND = f"{GHOST} dashed, italic: proposed, not yet scheduled — nothing is written until you accept"


class PlanBar(QFrame):
    accept_all_requested = Signal()
    accept_selected_requested = Signal()
    discard_selected_requested = Signal()
    discard_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.summary = QLabel()
        self.summary.setObjectName("planSummary")
        self.summary.setWordWrap(True)
        self.legend = QLabel(LEGEND)
        self.legend.setObjectName("planLegend")
        font = self.legend.font()
        font.setItalic(True)
        self.legend.setFont(font)
        self.notes = QLabel()
        self.notes.setObjectName("planNotes")
        self.notes.setWordWrap(True)
        self.accept_all = self._button("Accept all", "planAcceptAll", self.accept_all_requested)
        self.accept_selected = self._button("Accept selected", "planAcceptSelected", self.accept_selected_requested)
        self.discard_selected = self._button("Discard selected", "planDiscardSelected",
                                             self.discard_selected_requested)
        self.discard_all = self._button("Discard draft", "planDiscardAll", self.discard_all_requested)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.summary, 1)
        for button in (self.accept_all, self.accept_selected, self.discard_selected, self.discard_all):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.legend)
        layout.addWidget(self.notes)
        self.hide()

    def _button(self, text: str, name: str, signal: Signal) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(signal.emit)
        return button

    def show_plan(self, plan: MonthPlan) -> None:
        count = len(plan.ghosts)
        people = len({g.person_id for g in plan.ghosts})
        departments = len({g.department.strip().casefold() for g in plan.ghosts if g.department.strip()})
        month = f"{plan.inputs.first:%B %Y}"
        if count:
            self.summary.setText(
                f"<b>Proposed for {month}:</b> {count} re-share{'' if count == 1 else 's'} of {people} "
                f"{'person' if people == 1 else 'people'} in {departments} department{'' if departments == 1 else 's'}"
                f" on {plan.inputs.channel.label.lower()}. Drag a proposed re-share to another day to move it."
            )
        else:
            self.summary.setText(f"<b>Proposed for {month}:</b> nothing more fits the rules this month.")
        notes = list(plan.left_out)
        self.notes.setText(
            "Not proposed: " + " · ".join(notes[:4]) + (f" · and {len(notes) - 4} more" if len(notes) > 4 else "")
            if notes else ""
        )
        self.notes.setToolTip("\n".join(notes))
        self.notes.setVisible(bool(notes))
        for button in (self.accept_all, self.accept_selected, self.discard_selected):
            button.setEnabled(bool(count))
        self.show()
