"""The page's two lists: planned re-shares that lost their consent (banner) and consents about to expire."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.services.consent_register import AffectedShare, ExpiringConsent
from medshare_desktop.ui.shared.abilities import hold_disabled
from medshare_desktop.ui.shared.colours import themed_css

BANNER_STYLE = "#affectedBanner { background: #fdecea; border: 2px solid #b00020; border-radius: 4px; }"
MAX_BANNER_ROWS = 8


class AffectedBanner(QFrame):
    """'⚠ These planned re-shares need consent that is no longer valid', one Unschedule button each."""

    unschedule_requested = Signal(int)  # share id

    def __init__(self, can_unschedule: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("affectedBanner")
        self.setStyleSheet(themed_css(BANNER_STYLE))
        self._can_unschedule = can_unschedule
        self._refused = ""  # refuse_unschedule: why this login may not change the calendar
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(10, 6, 10, 6)
        self._layout.setSpacing(2)
        self.buttons: dict[int, QPushButton] = {}
        self.set_items([])

    def set_items(self, items: list[AffectedShare]) -> None:
        while self._layout.count():
            widget = self._layout.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.buttons = {}
        self.setVisible(bool(items))
        if not items:
            return
        title = QLabel(
            f"<b>⚠ {len(items)} planned re-share(s) need consent that is no longer valid.</b> "
            "Unschedule them, or record new consent before their day.",
            objectName="affectedTitle",
        )
        title.setWordWrap(True)
        self._layout.addWidget(title)
        for item in items[:MAX_BANNER_ROWS]:
            row = QWidget()
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            reason = item.reason.removeprefix(f"{item.person_name}: ")
            text = QLabel(
                f"{item.day:%a %d %b %Y} · {item.channel.label} · {item.person_name}: “{item.excerpt[:60]}” — {reason}"
            )
            text.setToolTip(item.excerpt)
            line.addWidget(text, 1)
            button = QPushButton("Unschedule", objectName=f"unschedule_{item.share_id}")
            button.setEnabled(self._can_unschedule)
            if not self._can_unschedule:
                button.setToolTip("Unschedule it from the calendar.")
            button.clicked.connect(lambda _=False, sid=item.share_id: self._on_unschedule_clicked(sid))
            hold_disabled([button], self._refused)
            self.buttons[item.share_id] = button
            line.addWidget(button)
            self._layout.addWidget(row)
        if len(items) > MAX_BANNER_ROWS:
            self._layout.addWidget(QLabel(f"… and {len(items) - MAX_BANNER_ROWS} more in the calendar."))

    def refuse_unschedule(self, reason: str) -> None:
        """This login may not change the calendar: the Unschedule buttons are shown disabled, with `reason`."""
        self._refused = reason
        hold_disabled(self.buttons.values(), reason)

    def _on_unschedule_clicked(self, share_id: int) -> None:
        self.buttons[share_id].setEnabled(False)
        self.unschedule_requested.emit(share_id)


class ExpiryPanel(QWidget):
    """Consents ending in the next 30/60/90 days."""

    window_changed = Signal(int)  # days
    person_activated = Signal(int)  # person id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("expiryPanel")
        self.window = QComboBox(objectName="expiryWindow")
        for days in (30, 60, 90):
            self.window.addItem(f"next {days} days", days)
        self.window.currentIndexChanged.connect(lambda _i: self.window_changed.emit(self.days()))
        self.list = QListWidget(objectName="expiryList")
        self.list.itemActivated.connect(self._on_list_item_activated)
        header = QHBoxLayout()
        header.addWidget(QLabel("<b>Expiring in the</b>"))
        header.addWidget(self.window)
        header.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.list)

    def days(self) -> int:
        return int(self.window.currentData())

    def set_items(self, items: list[ExpiringConsent]) -> None:
        self.list.clear()
        for item in items:
            record = item.record
            scopes = ", ".join(sorted(s.value for s in record.scopes))
            when = "today" if item.days_left == 0 else f"in {item.days_left} day(s)"
            self.list.addItem(f"⚠ {item.person.name} — {scopes} — ends {record.expires_on:%d %b %Y} ({when})")
            self.list.item(self.list.count() - 1).setData(Qt.ItemDataRole.UserRole, item.person.id)
        if not items:
            self.list.addItem(f"✔ No consent ends in the next {self.days()} days.")
            self.list.item(0).setData(Qt.ItemDataRole.UserRole, 0)

    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        person_id = int(item.data(Qt.ItemDataRole.UserRole))
        if person_id:
            self.person_activated.emit(person_id)
