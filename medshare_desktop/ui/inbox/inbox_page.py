"""The inbox screen: filter and search the possible re-shares, read one, review it. The filter row is
filter_bar.py; importing (files, paste, feeds, "Whose posts are these?") is import_controller.py."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.abilities import Abilities
from medshare_desktop.core.changes import Changes
from medshare_desktop.core.models import AuditEvent, Post, ReviewFinding
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.search import search_terms
from medshare_desktop.core.services.audit_service import AuditService
from medshare_desktop.core.services.evidence_service import EvidenceService
from medshare_desktop.core.services.import_service import ImportService
from medshare_desktop.core.services.people_service import PeopleService
from medshare_desktop.core.services.photo_tag_service import PhotoTagService
from medshare_desktop.core.services.post_service import PostService
from medshare_desktop.core.services.refresh_service import RefreshService
from medshare_desktop.core.services.risk_service import RiskService
from medshare_desktop.core.services.suggestion_service import WEIGHTS_KEY, SuggestionService
from medshare_desktop.ui.inbox.assign_person_dialog import PersonAssigner
from medshare_desktop.ui.inbox.filter_bar import FilterBar
from medshare_desktop.ui.inbox.history_view import HistoryView
from medshare_desktop.ui.inbox.import_controller import ImportController
from medshare_desktop.ui.inbox.photo_people_dialog import PhotoPeopleDialog
from medshare_desktop.ui.inbox.post_table_model import (
    PAGE_SIZE,
    RISK_COLUMN,
    SUGGESTED,
    SUGGESTED_COLUMN,
    PostTableModel,
)
from medshare_desktop.ui.inbox.post_view import PostView
from medshare_desktop.ui.inbox.risk_badge import RiskBadgeDelegate
from medshare_desktop.ui.inbox.suggestion_view import SuggestionView
from medshare_desktop.ui.risk_panel.risk_panel import RiskPanel
from medshare_desktop.ui.shared.abilities import hold
from medshare_desktop.ui.shared.dialogs import ReasonDialog, ask_reason, show_exception
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.page import ScreenPage
from medshare_desktop.ui.shared.workers import TaskRunner

log = logging.getLogger(__name__)

SEARCH_DEBOUNCE_MS = 250
SEARCH_MIN_WIDTH = 260  # px: room for a few words and the clear button
COUNT_CAP = 10_000  # beyond this the inbox says "10,000+ posts" instead of counting every match


class InboxPage(QWidget, ScreenPage):
    title = "Inbox"
    import_finished = Signal(object)  # ImportReport
    refresh_finished = Signal(object)  # RefreshReport
    post_changed = Signal(int)  # a post's state or text changed

    def __init__(
        self,
        posts: PostService,
        people: PeopleService,
        imports: ImportService,
        risk: RiskService,
        audit: AuditService,
        photo_tags: PhotoTagService | None = None,
        refresher: RefreshService | None = None,
        parent: QWidget | None = None,
        ops: Operations | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("inboxPage")
        self._ops = ops or Operations(parent=self)
        self.setAcceptDrops(True)
        self._posts = posts
        self._people = people
        self._risk = risk
        self._audit = audit
        self._photo_tags = photo_tags
        self._tasks = TaskRunner(self)
        self.reason_dialog: ReasonDialog | None = None  # the open reject / mark-shared question

        self.search = QLineEdit()
        self.search.setObjectName("inboxSearch")
        self.search.setPlaceholderText("Search posts (all words, prefixes)…")
        self.search.setClearButtonEnabled(True)
        self.filters = FilterBar()
        self.import_button = QPushButton("&Import…")
        self.import_button.clicked.connect(self.import_file)
        self.paste_button = QPushButton("Paste…")
        self.paste_button.clicked.connect(self.paste_post)
        self.refresh_button = QPushButton("Refresh feeds")
        self.refresh_button.setObjectName("refreshFeeds")
        self.refresh_button.setToolTip("Fetch new posts of watched accounts with an open feed (needs the internet)")
        self.refresh_button.clicked.connect(self.refresh_feeds)
        self.refresh_button.setVisible(refresher is not None)
        self.count_label = QLabel()
        self.count_label.setObjectName("inboxCount")

        # Two rows, so that the search box is never squeezed: search and the import actions, then the filters.
        self.search.setMinimumWidth(max(SEARCH_MIN_WIDTH, self.search.fontMetrics().horizontalAdvance(
            self.search.placeholderText()) + 48))
        actions = QHBoxLayout()
        actions.addWidget(self.search, 1)
        actions.addWidget(self.import_button)
        actions.addWidget(self.paste_button)
        actions.addWidget(self.refresh_button)
        self.assign_button = QPushButton("Assign &person…")
        self.assign_button.setObjectName("assignPerson")
        self.assign_button.setToolTip("Link the selected posts to a person (their consent and monthly limit then apply)")
        self.assign_button.clicked.connect(self.assign_person_to_selected)
        actions.addWidget(self.assign_button)
        self.assigner = PersonAssigner(people, self, ops=self._ops)
        self.assigner.assigned.connect(self._on_people_assigned)
        self.assigner.left_unassigned.connect(
            lambda n: self.count_label.setText(f"{n} post(s) left without a person: they cannot be scheduled.")
        )

        self._built = False  # the first sort (below) only sets the order: refresh() loads the rows
        self._suggestions: SuggestionService | None = None  # set_suggestions: the Suggested column
        self._ranked: list[int] | None = None  # post ids best first, while the inbox is sorted by Suggested
        self.model = PostTableModel(self._fetch, self)
        self.model.sort_requested.connect(self._on_sort_requested)
        self.table = QTableView()
        self.table.setObjectName("inboxTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)  # several: assign a person
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.assign_action = QAction("Assign person…", self.table)
        self.assign_action.triggered.connect(self.assign_person_to_selected)
        self.table.addAction(self.assign_action)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 140), (1, 72), (2, 126), (4, 74), (5, 120)):
            self.table.setColumnWidth(column, width)
        self.table.setItemDelegateForColumn(RISK_COLUMN, RiskBadgeDelegate(self.table))
        self.table.setColumnWidth(SUGGESTED_COLUMN, 84)
        self.table.setColumnHidden(SUGGESTED_COLUMN, True)  # shown once the page has the suggestion service
        header.moveSection(RISK_COLUMN, 0)  # shown first, so the risk is seen at a glance however narrow the list
        self.table.selectionModel().currentRowChanged.connect(self._on_table_current_changed)

        self.view = PostView()
        self.risk_panel = RiskPanel(posts, risk, ops=self._ops)
        self.risk_panel.post_saved.connect(self._on_post_changed)
        self.risk_panel.finding_resolved.connect(lambda review: self.post_changed.emit(review.post_id))
        # what the risk panel, the importer and the person dialog changed reaches the other screens
        for changed in (self.risk_panel.post_saved, self.risk_panel.finding_resolved, self.import_finished):
            changed.connect(lambda result: self._ops.announce(Changes.of(result), self))
        self.refresh_finished.connect(lambda report: self._ops.announce(Changes(posts_added=report.new > 0), self))
        self.history = HistoryView()
        self.reading_tabs = QTabWidget()
        self.reading_tabs.setObjectName("readingTabs")
        self.reading_tabs.addTab(self.risk_panel, "Risk review")
        self.reading_tabs.addTab(self.history, "History")
        reading = QWidget()
        reading_layout = QVBoxLayout(reading)
        reading_layout.setContentsMargins(0, 0, 0, 0)
        reading_layout.addWidget(self.view)
        self.suggestion_view = SuggestionView()  # the post's score and reasons (set_suggestions)
        self.suggestion_view.evergreen_toggled.connect(self._on_evergreen_toggled)
        reading_layout.addWidget(self.suggestion_view)
        reading_layout.addWidget(self.reading_tabs, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(reading)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([840, 520])

        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.count_label)

        self.importer = ImportController(imports, risk, self.assigner, self._tasks, refresher, self)
        self.importer.status.connect(self.count_label.setText)
        self.importer.posts_arrived.connect(self.apply_filter)
        self.importer.import_running.connect(lambda running: self.import_button.setEnabled(not running))
        self.importer.refresh_running.connect(lambda running: self.refresh_button.setEnabled(not running))
        self.importer.import_finished.connect(self.import_finished)
        self.importer.refresh_finished.connect(self.refresh_finished)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.filters.changed.connect(self.apply_filter)
        self._connect_actions()
        self._loaded = False
        self._built = True

    # --- building blocks ------------------------------------------------------------------
    def _connect_actions(self) -> None:
        self.view.review_requested.connect(lambda: self._change(self._posts.start_review))
        self.view.approve_requested.connect(lambda: self._change(self._posts.approve))
        self.view.reopen_requested.connect(lambda: self._change(self._posts.reopen))
        self.view.reject_requested.connect(self._on_reject_requested)
        self.view.repurpose_requested.connect(self._on_repurpose_requested)
        self.view.shared_requested.connect(self._on_shared_requested)
        self.view.tag_people_requested.connect(self._on_tag_people_requested)

    # --- loading --------------------------------------------------------------------------
    def set_abilities(self, abilities: Abilities) -> None:
        """A login that may not change posts sees their actions disabled, with the reason (the server still
        refuses them: this is only a courtesy)."""
        view, panel = self.view, self.risk_panel
        hold(abilities, "posts", [
            self.import_button, self.paste_button, self.refresh_button, self.assign_button, self.assign_action,
            view.review_button, view.approve_button, view.reject_button, view.repurpose_button, view.shared_button,
            view.reopen_button, view.tag_people_button, self.suggestion_view.evergreen,
            panel.fixed_button, panel.accept_button, panel.false_button, panel.reopen_button, panel.missed_button,
            panel.remove_mark_button, panel.save_button, panel.revert_button,
        ])
        if not abilities.posts:
            self.setAcceptDrops(False)  # no import by dropping a file either

    def concerns(self, changes: Changes) -> bool:
        return changes.posts or (self._suggestions is not None and WEIGHTS_KEY in changes.settings)

    def reload(self, changes: Changes) -> None:
        if changes.unknown or changes.people:
            self.refresh()  # the person filter too
        else:
            self.apply_filter()  # the rows only (the open post's unsaved edit is kept)

    def refresh(self) -> None:
        """Reload people for the filter and the visible rows (keeps the current filter), both in workers."""
        self._tasks.start(self._people.list_people, on_done=self.filters.set_people, on_error=self._on_error,
                          key="people")
        self.apply_filter()

    def current_filter(self) -> PostFilter:
        return replace(self.filters.narrow(self.model.filter), search=self.search.text())

    def _on_sort_requested(self, _flt: PostFilter) -> None:
        if self._built:
            self.apply_filter()

    def apply_filter(self) -> None:
        flt = self.current_filter()
        selected = self.view.post.id if self.view.post else None
        self._tasks.start(
            self._load_first_page, flt, key="filter",
            on_done=lambda result: self._on_first_page_loaded(flt, result, selected),
            on_error=self._on_error,
        )

    def _load_first_page(self, flt: PostFilter) -> tuple[list[Any], int, list[Any]]:
        suggestions = self._suggestions
        if suggestions is not None and flt.sort == SUGGESTED:
            ranked = suggestions.ranked(flt, reasons=False)  # every post scored once per change, best first
            if not flt.descending:
                ranked.reverse()
            page = [s.post_id for s in ranked[:PAGE_SIZE]]
            return suggestions.rows(page), len(ranked), ranked + suggestions.score(page)  # the page's with reasons
        rows = self._posts.query(flt, 0, PAGE_SIZE)
        scores = suggestions.score([r.id for r in rows]) if suggestions is not None and rows else []
        return rows, self._posts.count(flt, COUNT_CAP + 1), scores

    def _fetch(self, flt: PostFilter, offset: int, limit: int) -> list[Any]:
        """The model's later pages: by score when sorted by Suggested (the order read with the first page)."""
        if flt.sort == SUGGESTED and self._ranked is not None and self._suggestions is not None:
            return self._suggestions.rows(self._ranked[offset : offset + limit])
        return self._posts.query(flt, offset, limit)

    def _on_rows_fetched(self, post_ids: list[int]) -> None:
        if self._suggestions is not None:
            self._ops.read(self._suggestions.score, post_ids, on_done=self.model.set_scores, on_error=self._on_error)

    def _on_first_page_loaded(
        self, flt: PostFilter, result: tuple[list[Any], int, list[Any]], selected: int | None
    ) -> None:
        rows, total, scores = result
        self._ranked = [s.post_id for s in scores[:total]] if flt.sort == SUGGESTED and self._suggestions else None
        self.model.set_rows(flt, rows)
        self.model.set_scores(scores)
        counted = f"{COUNT_CAP:,}+ posts" if total > COUNT_CAP else f"{total} post(s)"
        note = search_terms(flt.search).note()  # words left out of a long search, said out loud
        self.count_label.setText(f"{counted} — {note}" if note else counted)
        row = self.model.row_of(selected) if selected is not None else None
        if row is None and selected is None and self.model.rowCount():
            row = 0  # open the newest post so the reading pane is never empty
        if row is not None:
            self.table.selectRow(row)
        elif selected is not None:
            self.view.show_post(None)
            self.risk_panel.show_post(None, [])
        self._loaded = True

    def _on_table_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        post_id = self.model.post_id(current.row()) if current.isValid() else None
        if post_id is None:
            self.view.show_post(None)
            self.risk_panel.show_post(None, [])
            self.history.clear()
            self.suggestion_view.show_suggestion(None)
            return
        if self._suggestions is not None:
            self._ops.read(self._suggestions.for_post, post_id, key="suggestion",
                           on_done=self.suggestion_view.show_suggestion, on_error=self._on_error)
        self._tasks.start(
            lambda: (self._posts.get(post_id), self._posts.findings(post_id),
                     self._audit.history("post", post_id), self._tagged_names(post_id)),
            key="open",
            on_done=self._on_post_loaded,
            on_error=self._on_error,
        )

    def _tagged_names(self, post_id: int) -> list[str]:
        return [t.person_name for t in self._photo_tags.tags(post_id)] if self._photo_tags else []

    def _on_post_loaded(self, result: tuple[Post, list[ReviewFinding], list[AuditEvent], list[str]]) -> None:
        post, findings, events, shown = result
        self.history.show_events(events)
        if self.risk_panel.dirty and self.risk_panel.post is not None and self.risk_panel.post.id == post.id:
            self.view.show_post(post, self.model.author_of(post.id))  # keep the reviewer's unsaved edit
            self.risk_panel.recheck()
            return
        self.view.show_post(post, self.model.author_of(post.id))
        self.view.set_people_shown(shown)
        self.risk_panel.show_post(post, findings)

    def select_post(self, post_id: int) -> bool:
        row = self.model.row_of(post_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    # --- review actions -------------------------------------------------------------------
    def _change(self, action: Callable[..., Post], *args: Any) -> None:
        post = self.view.post
        if post is None:
            return
        self._ops.write(action, post, *args, on_done=self._on_post_changed, on_error=self._on_error, initiator=self)

    def _on_post_changed(self, post: Post) -> None:
        assert post.id is not None
        self.post_changed.emit(post.id)
        self.apply_filter()

    def _on_reject_requested(self) -> None:
        self.reason_dialog = ask_reason(
            self, "Reject post", "Why is this post rejected?", lambda reason: self._change(self._posts.reject, reason),
            ok_text="Reject", placeholder="e.g. off-topic for our channels",
        )

    def _on_repurpose_requested(self) -> None:
        self.reading_tabs.setCurrentWidget(self.risk_panel)
        self.risk_panel.begin_repurpose()

    def _on_shared_requested(self) -> None:
        self.reason_dialog = ask_reason(
            self, "Mark as shared", "Web address of the re-share:",
            lambda url: self._change(self._posts.mark_shared, url),
            ok_text="Mark shared", placeholder="https://…", missing="Give the web address of the re-share.",
            check=lambda url: None if url.startswith(("http://", "https://")) else "Give a web address that starts with https:// (or http://).",
        )

    def _on_tag_people_requested(self) -> None:
        post = self.view.post
        if post is None or post.id is None or self._photo_tags is None:
            return
        post_id = post.id
        self._tasks.start(
            lambda: (self._people.list_people(include_inactive=False), self._photo_tags.tags(post_id)),
            on_done=lambda result: self._open_photo_dialog(post, *result), on_error=self._on_error,
        )

    def _open_photo_dialog(self, post: Post, people: list[Any], tags: list[Any]) -> None:
        dialog = PhotoPeopleDialog(people, [t.person_id for t in tags], self)
        self.photo_dialog = dialog

        def accepted() -> None:
            self._ops.write(self._risk.tag_and_analyse, post.id, dialog.chosen_ids(),
                            on_done=self._on_post_changed, on_error=self._on_error, initiator=self)

        dialog.accepted.connect(accepted)
        dialog.open()

    # --- evidence at approval -------------------------------------------------------------
    def set_evidence(self, approvals: EvidenceService) -> None:
        """Offer "Export evidence…" for approved, scheduled and shared posts."""
        from medshare_desktop.ui.inbox.evidence_export import EvidenceExporter

        self.evidence = EvidenceExporter(approvals, self)
        self.evidence.finished.connect(lambda message, _ok: self.count_label.setText(message))
        self.evidence.failed.connect(self._on_error)
        self.view.evidence_button.setVisible(True)
        self.view.evidence_requested.connect(self._on_evidence_requested)

    def _on_evidence_requested(self) -> None:
        post = self.view.post
        if post is not None and post.id is not None:
            self.evidence.export(post.id)

    # --- suggested re-shares -------------------------------------------------------------
    def set_suggestions(self, suggestions: SuggestionService) -> None:
        """Show the Suggested column (sortable) and, for the open post, its score, reasons and evergreen mark."""
        self._suggestions = suggestions
        self.model.rows_fetched.connect(self._on_rows_fetched)
        self.table.setColumnHidden(SUGGESTED_COLUMN, False)
        header = self.table.horizontalHeader()
        header.moveSection(header.visualIndex(SUGGESTED_COLUMN), 1)  # beside the risk: seen however narrow the list

    def _on_evergreen_toggled(self, post_id: int, on: bool) -> None:
        if self._suggestions is None:
            return
        self._ops.write(self._suggestions.set_evergreen, post_id, on, initiator=self,
                        on_done=lambda _changes: self.apply_filter(), on_error=self._on_error)

    # --- people -------------------------------------------------------------------------
    def selected_post_ids(self) -> list[int]:
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [post_id for row in rows if (post_id := self.model.post_id(row)) is not None]

    def assign_person_to_selected(self) -> None:
        ids = self.selected_post_ids()
        if not ids:
            self.count_label.setText("Select the posts to link to a person first.")
            return
        self.assigner.assign(ids)

    def _on_people_assigned(self, changed: int) -> None:
        self.count_label.setText(f"Person changed on {changed} post(s).")
        post = self.view.post
        if post is not None and post.id is not None:
            self.post_changed.emit(post.id)
        self.refresh()  # a new person joins the person filter

    # --- importing (import_controller.py) ------------------------------------------------
    def import_file(self) -> None:
        self.importer.import_file()

    def start_import(self, source: str, fmt: str = "auto") -> None:
        self.importer.start_import(source, fmt)

    def paste_post(self) -> None:
        self.importer.paste_post()

    def refresh_feeds(self) -> None:
        self.importer.refresh_feeds()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.importer.import_dropped(paths)

    def _on_error(self, exc: BaseException, details: str) -> None:
        show_exception(self, exc, details)

    def _shown_text(self) -> str:
        return self.view.findChild(QLabel, "peopleShown").text()

    def busy(self) -> bool:
        return self._tasks.busy() or self._ops.busy()
