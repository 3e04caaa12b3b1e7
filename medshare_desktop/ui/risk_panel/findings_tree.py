"""Findings grouped by category with counts; each row says severity, kind, the text and its status."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from medshare_desktop.core.models import Finding, Resolution, ReviewFinding, RiskCategory
from medshare_desktop.ui.risk_panel.highlight import SYMBOLS, kind_label

ROLE = Qt.ItemDataRole.UserRole


RESOLVED_MARK = "✓"


def is_resolved(review: ReviewFinding | None) -> bool:
    """Dealt with by the reviewer. A "fixed" mark on a finding the text still contains (left by an
    older version) is not: fixed means gone from the text, and such findings are open again."""
    return review is not None and review.resolution in (Resolution.ACCEPTED, Resolution.FALSE_POSITIVE)


def status_text(review: ReviewFinding | None) -> str:
    if review is None:
        return "unsaved edit"
    if not is_resolved(review):
        return "open"
    assert review.resolution is not None
    text = review.resolution.value.replace("_", " ")
    by = f" by {review.resolved_by}" if review.resolved_by else ""
    return f"{text}{by} — {review.resolution_reason}" if review.resolution_reason else text + by


class FindingsTree(QTreeWidget):
    """Rows carry (Finding, ReviewFinding | None): stored findings can be resolved, live ones not."""

    finding_selected = Signal(object)  # Finding | None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsTree")
        self.setHeaderHidden(True)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.currentItemChanged.connect(self._on_current_item_changed)

    def show_findings(self, findings: Sequence[Finding], reviews: Sequence[ReviewFinding | None]) -> None:
        self.blockSignals(True)
        self.clear()
        groups: dict[RiskCategory, QTreeWidgetItem] = {}
        for category in RiskCategory:
            members = [(f, r) for f, r in zip(findings, reviews, strict=True) if f.category is category]
            if not members:
                continue
            open_count = sum(1 for _f, r in members if not is_resolved(r))
            group = QTreeWidgetItem([f"{category.label} ({len(members)}, {open_count} open)"])
            group.setData(0, ROLE, None)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.addTopLevelItem(group)
            groups[category] = group
            for finding, review in sorted(members, key=lambda m: (-m[0].severity.rank, m[0].start)):
                label = f"{SYMBOLS[finding.severity]} · {kind_label(finding.kind)}: “{finding.text}” — {status_text(review)}"
                if is_resolved(review):
                    label = f"{RESOLVED_MARK} {label}"
                item = QTreeWidgetItem([label])
                if is_resolved(review):
                    item.setForeground(0, self.palette().brush(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
                item.setData(0, ROLE, (finding, review))
                item.setToolTip(0, f"{finding.message}\n\nWhat to do: {finding.suggestion}".strip())
                group.addChild(item)
        self.expandAll()
        self.blockSignals(False)

    def current_entry(self) -> tuple[Finding, ReviewFinding | None] | None:
        item = self.currentItem()
        return item.data(0, ROLE) if item is not None else None

    def select_finding(self, finding: Finding | None) -> None:
        """Select the row of a finding (from a click in the text) without echoing the signal back."""
        self.blockSignals(True)
        try:
            if finding is None:
                self.setCurrentItem(None)  # type: ignore[arg-type]
                return
            for g in range(self.topLevelItemCount()):
                group = self.topLevelItem(g)
                for c in range(group.childCount()):
                    entry = group.child(c).data(0, ROLE)
                    if entry is not None and entry[0] == finding:
                        self.setCurrentItem(group.child(c))
                        return
        finally:
            self.blockSignals(False)

    def _on_current_item_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        entry = current.data(0, ROLE) if current is not None else None
        self.finding_selected.emit(entry[0] if entry else None)
