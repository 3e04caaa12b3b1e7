"""Beside the grid: approved posts waiting for a day, per-person counts against limits, and the legend."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.services.schedule_service import PersonCount, WaitingPost
from medshare_desktop.ui.calendar.month_grid import POST_MIME, id_mime
from medshare_desktop.ui.printing.labels import ATTENTION, LEGEND

POST_ROLE = Qt.ItemDataRole.UserRole
BLOCKER_ROLE = Qt.ItemDataRole.UserRole + 1  # why the post cannot be scheduled ("" when it can)


class ApprovedList(QListWidget):
    """Approved posts; dragging one carries its id for the grid."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvedList")
        self.setAccessibleName("Approved, unscheduled posts")
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.setSpacing(1)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:  # noqa: N802 - Qt override
        return id_mime(POST_MIME, int(items[0].data(POST_ROLE))) if items else QMimeData()

    def mimeTypes(self) -> list[str]:  # noqa: N802 - Qt override
        return [POST_MIME]

    def set_posts(self, waiting: Sequence[WaitingPost]) -> None:
        """Posts that can be scheduled first; those that cannot say why, in words, under a ⚠ (those linked
        to no person first: one click in the inbox fixes them)."""
        keep = self.current_post_id()
        self.clear()
        for entry in sorted(waiting, key=lambda w: (not w.schedulable, bool(w.person_name))):  # then no person
            post = entry.post
            excerpt = " ".join(post.text_for_share.split())
            who = entry.person_name or f"{post.author or 'Unknown author'} (no person)"
            text = f"{who} · {post.platform.label}\n{excerpt[:60]}…"
            tip = excerpt[:400]
            if not entry.schedulable:
                text = f"{ATTENTION} {text}\nCannot be scheduled: {entry.blocker}"
                tip = f"Cannot be scheduled: {entry.blocker}\n\n{tip}"
                item = QListWidgetItem(text)
                item.setForeground(self.palette().placeholderText())
            else:
                item = QListWidgetItem(text)
            item.setData(POST_ROLE, post.id)
            item.setData(BLOCKER_ROLE, entry.blocker)
            item.setToolTip(tip)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text.replace("\n", ". "))
            self.addItem(item)
            if post.id == keep:
                self.setCurrentItem(item)

    def blocker_of(self, post_id: int) -> str:
        for row in range(self.count()):
            if self.item(row).data(POST_ROLE) == post_id:
                return str(self.item(row).data(BLOCKER_ROLE) or "")
        return ""

    def current_post_id(self) -> int | None:
        item = self.currentItem()
        return None if item is None else int(item.data(POST_ROLE))

    def select_post(self, post_id: int) -> None:
        for row in range(self.count()):
            if self.item(row).data(POST_ROLE) == post_id:
                self.setCurrentRow(row)
                return


class SidePanel(QWidget):
    schedule_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.approved = ApprovedList()
        self.approved_title = QLabel("<b>Approved, unscheduled</b>")
        self.approved_title.setBuddy(self.approved)
        self.schedule_button = QPushButton("Schedule on selected day")
        self.schedule_button.setObjectName("scheduleOnDay")
        self.schedule_button.setToolTip("Schedule the selected post on the day with the cursor (Enter in the grid)")
        self.schedule_button.clicked.connect(self.schedule_clicked)
        self.counts = QTreeWidget()
        self.counts.setObjectName("personCounts")
        self.counts.setHeaderLabels(["Person", "Re-shares / limit"])
        self.counts.setRootIsDecorated(False)
        self.counts.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts.header().setStretchLastSection(False)
        self.counts.setAccessibleName("Re-shares per person this month, against their limit")
        self.counts.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        legend = QLabel("<br>".join(f"<b>{symbol}</b> {meaning}" for symbol, meaning in LEGEND))
        legend.setObjectName("calendarLegend")
        legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.approved_title)
        layout.addWidget(self.approved, 3)
        layout.addWidget(self.schedule_button)
        self.counts_title = QLabel("<b>This month per person</b> (re-shares / limit)")
        layout.addWidget(self.counts_title)
        layout.addWidget(self.counts, 2)
        layout.addWidget(legend)

    def set_counts(self, counts: Sequence[PersonCount], unassigned: int = 0) -> None:
        """One row per person, plus the re-shares linked to no person: the rows add up to the month's total."""
        self.counts.clear()
        if not counts and not unassigned:
            self.counts.addTopLevelItem(QTreeWidgetItem(["No re-shares this month.", ""]))
        for count in counts:
            item = QTreeWidgetItem([count.person.name, count.label])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, f"{count.person.name}: {count.count} re-share(s) this month, limit {count.limit}")
            if count.over_limit:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
                item.setFont(1, font)
            self.counts.addTopLevelItem(item)
        if unassigned:
            item = QTreeWidgetItem([f"{ATTENTION} No person linked", str(unassigned)])
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, f"{unassigned} re-share(s) of posts linked to no person: their consent and "
                               "monthly limit were not checked. Assign a person in the inbox.")
            self.counts.addTopLevelItem(item)
        self.counts.resizeColumnToContents(1)

    def set_approved(self, waiting: Sequence[WaitingPost]) -> None:
        self.approved.set_posts(waiting)
        blocked = sum(1 for w in waiting if not w.schedulable)
        extra = f", {blocked} cannot be scheduled" if blocked else ""
        self.approved_title.setText(f"<b>Approved, unscheduled</b> ({len(waiting)}{extra})")
