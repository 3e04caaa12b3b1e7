"""The calendar's top bar: previous / today / next, the title, the channel for new re-shares, month/week."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QComboBox, QHBoxLayout, QLabel, QPushButton, QWidget

from medshare_desktop.core.models import Channel


def _button(text: str, name: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


class CalendarToolbar(QWidget):
    step_requested = Signal(int)  # -1 / +1: a month, or a week in the week view
    today_requested = Signal()
    week_mode_requested = Signal(bool)
    propose_requested = Signal()  # "Propose a month": draft the shown month as ghost entries

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("calendarTitle")
        self.title.setStyleSheet("font-size: 16pt; font-weight: bold;")
        self.prev_button = _button("◀ Previous", "calendarPrev", lambda: self.step_requested.emit(-1), "PageUp")
        self.today_button = _button("Today", "calendarToday", self.today_requested.emit, "Home in the grid")
        self.next_button = _button("Next ▶", "calendarNext", lambda: self.step_requested.emit(1), "PageDown")
        self.month_button = _button("Month", "calendarMonthView", lambda: self.week_mode_requested.emit(False))
        self.week_button = _button("Week", "calendarWeekView", lambda: self.week_mode_requested.emit(True))
        modes = QButtonGroup(self)
        for button in (self.month_button, self.week_button):
            button.setCheckable(True)
            modes.addButton(button)
        self.month_button.setChecked(True)
        self.propose_button = _button(
            "Propose a month…", "calendarPropose", self.propose_requested.emit,
            "Draft re-shares for the shown month under every rule; nothing is written until you accept",
        )
        self.channel = QComboBox()
        self.channel.setObjectName("calendarChannel")
        self.channel.setAccessibleName("Channel for new re-shares")
        for ch in Channel:
            self.channel.addItem(ch.label, ch)
        self.channel.setCurrentIndex(list(Channel).index(Channel.PUBLIC_SOCIAL))
        channel_label = QLabel("New re-shares on:")
        channel_label.setBuddy(self.channel)
        bar = QHBoxLayout(self)
        bar.setContentsMargins(0, 0, 0, 0)
        for w in (self.prev_button, self.today_button, self.next_button, self.title):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.propose_button, channel_label, self.channel, self.month_button, self.week_button):
            bar.addWidget(w)

    def selected_channel(self) -> Channel:
        return Channel(self.channel.currentData())

    def show_week_mode(self, on: bool) -> None:
        (self.week_button if on else self.month_button).setChecked(True)
