"""Inbox rows over PostSummary objects, fetched a page at a time as the user scrolls."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QMetaMethod, QModelIndex, QPersistentModelIndex, Qt, Signal

from medshare_desktop.core.models import RiskCategory
from medshare_desktop.core.ports import PostFilter, PostSummary
from medshare_desktop.core.rules.suggestion import Suggestion
from medshare_desktop.ui.inbox.risk_badge import SEVERITY_ROLE, badge_text

PAGE_SIZE = 200
COLUMNS = ("Author", "Platform", "Posted", "Excerpt", "State", "Risk", "Suggested")
RISK_COLUMN = 5
SUGGESTED_COLUMN = 6  # the suggestion score (0-100), computed in a read on the shared pool, never per paint
SUGGESTED = "suggested"  # PostFilter.sort of the Suggested column: the page orders the rows by score
SORT_KEYS = {0: "author", 1: "platform", 2: "posted_at", 4: "state", RISK_COLUMN: "risk", SUGGESTED_COLUMN: SUGGESTED}

SHORT_LABELS = {
    RiskCategory.PHI.value: "PHI",
    RiskCategory.PATIENT_STORY.value: "Story",
    RiskCategory.DISCOVERABLE.value: "Discoverable",
    RiskCategory.UNPROFESSIONAL.value: "Unprofessional",
    RiskCategory.MEDICAL_ADVICE.value: "Advice",
    RiskCategory.CONSENT.value: "Consent",
}

Fetch = Callable[[PostFilter, int, int], list[PostSummary]]
Index = QModelIndex | QPersistentModelIndex


def risk_cell(row: PostSummary) -> str:
    """The risk column's words: the highest open severity with the open count, or what is known."""
    if row.open_risk is not None and row.open_findings:
        return badge_text(row.open_risk, row.open_findings)
    if row.risk_summary and row.risk_summary != "clean":
        return "✓ all resolved"
    return risk_label(row.risk_summary)


def risk_tooltip(row: PostSummary) -> str:
    found = "\n".join(
        f"{RiskCategory(c).label}: {n}" for c, _, n in (i.partition(":") for i in row.risk_summary.split())
        if c in SHORT_LABELS
    )
    if not row.risk_summary:
        return "Not checked by the risk engine yet."
    if row.risk_summary == "clean":
        return "The risk engine found nothing."
    open_line = (
        f"{row.open_findings} finding(s) still open; the highest is {row.open_risk.value}."
        if row.open_risk is not None and row.open_findings else "Every finding has been resolved."
    )
    return f"{open_line}\nFound:\n{found}"


def risk_label(summary: str) -> str:
    if not summary:
        return "—"
    if summary == "clean":
        return "✓ clean"
    parts = []
    for item in summary.split():
        category, _, count = item.partition(":")
        parts.append(f"{SHORT_LABELS.get(category, category)} {count}")
    return " · ".join(parts)


class PostTableModel(QAbstractTableModel):
    sort_requested = Signal(object)  # PostFilter in the new order: a page connected to it loads the rows itself
    rows_fetched = Signal(list)  # ids of rows fetched on scroll: a page connected to it scores them

    def __init__(self, fetch: Fetch, parent: Any = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._filter = PostFilter()
        self._rows: list[PostSummary] = []
        self._exhausted = True
        self._scores: dict[int, Suggestion] = {}

    # --- data ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                row.author,
                row.platform.label,
                row.posted_at.astimezone().strftime("%Y-%m-%d %H:%M"),
                row.excerpt,
                row.state.label,
                risk_cell(row),
                self._score_cell(row.id),
            )[column]
        if role == Qt.ItemDataRole.ToolTipRole and column in (3, RISK_COLUMN):
            return row.excerpt if column == 3 else risk_tooltip(row)
        if role == Qt.ItemDataRole.ToolTipRole and column == SUGGESTED_COLUMN and row.id in self._scores:
            return "\n".join(self._scores[row.id].reasons)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == SUGGESTED_COLUMN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == SEVERITY_ROLE and column == RISK_COLUMN:
            return row.open_risk.value if row.open_risk is not None and row.open_findings else None
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    # --- lazy fetching -------------------------------------------------------------------
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008, N802
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008, N802
        if parent.isValid() or self._exhausted:
            return
        batch = self._fetch(self._filter, len(self._rows), PAGE_SIZE)
        self._exhausted = len(batch) < PAGE_SIZE
        if batch:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(batch) - 1)
            self._rows.extend(batch)
            self.endInsertRows()
            self.rows_fetched.emit([r.id for r in batch])

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        flt = replace(self._filter, sort=key, descending=order == Qt.SortOrder.DescendingOrder)
        if self.isSignalConnected(QMetaMethod.fromSignal(self.sort_requested)):
            self.set_rows(flt, [])  # the order is kept at once; the page reloads in a worker (and recounts)
            self.sort_requested.emit(flt)
        else:
            self.set_filter(flt)

    # --- suggestion scores -----------------------------------------------------------------
    def _score_cell(self, post_id: int) -> str:
        found = self._scores.get(post_id)
        return "" if found is None else str(found.score)

    def set_scores(self, suggestions: Iterable[Suggestion]) -> None:
        """Scores read elsewhere (in a worker) for some rows: their Suggested cells repaint."""
        for suggestion in suggestions:
            self._scores[suggestion.post_id] = suggestion
        if self._rows:
            self.dataChanged.emit(self.index(0, SUGGESTED_COLUMN), self.index(len(self._rows) - 1, SUGGESTED_COLUMN))

    def suggestion(self, post_id: int) -> Suggestion | None:
        return self._scores.get(post_id)

    # --- control -------------------------------------------------------------------------
    @property
    def filter(self) -> PostFilter:
        return self._filter

    def set_filter(self, flt: PostFilter) -> None:
        self.beginResetModel()
        self._filter = flt
        self._rows = []
        self._exhausted = False
        self._scores = {}
        self.endResetModel()
        self.fetchMore()

    def set_rows(self, flt: PostFilter, first_page: list[PostSummary]) -> None:
        """Show a first page fetched elsewhere (in a worker); later pages are fetched on scroll."""
        self.beginResetModel()
        self._filter = flt
        self._rows = list(first_page)
        self._exhausted = len(first_page) < PAGE_SIZE
        self._scores = {}
        self.endResetModel()

    def post_id(self, row: int) -> int | None:
        return self._rows[row].id if 0 <= row < len(self._rows) else None

    def author_of(self, post_id: int) -> str:
        """The Author column of a loaded post ("" when it is not loaded)."""
        return next((summary.author for summary in self._rows if summary.id == post_id), "")

    def row_of(self, post_id: int) -> int | None:
        for row, summary in enumerate(self._rows):
            if summary.id == post_id:
                return row
        return None

    def loaded_rows(self) -> int:
        return len(self._rows)
