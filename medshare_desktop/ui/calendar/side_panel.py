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

from medshare_desktop.core.models import Post
from medshare_desktop.core.services.schedule_service import PersonCount
from medshare_desktop.ui.calendar.month_grid import POST_MIME, id_mime
from medshare_desktop.ui.printing.labels import LEGEND

POST_ROLE = Qt.ItemDataRole.UserRole


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

    def set_posts(self, posts: Sequence[Post]) -> None:
        keep = self.current_post_id()
        self.clear()
        for post in posts:
            excerpt = " ".join(post.text_for_share.split())
            item = QListWidgetItem(f"{post.author} · {post.platform.label}\n{excerpt[:60]}…")
            item.setData(POST_ROLE, post.id)
            item.setToolTip(excerpt[:400])
            self.addItem(item)
            if post.id == keep:
                self.setCurrentItem(item)

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

    def set_counts(self, counts: Sequence[PersonCount]) -> None:
        self.counts.clear()
        if not counts:
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
        self.counts.resizeColumnToContents(1)

    def set_approved(self, posts: Sequence[Post]) -> None:
        self.approved.set_posts(posts)
        self.approved_title.setText(f"<b>Approved, unscheduled</b> ({len(posts)})")
