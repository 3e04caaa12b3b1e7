"""The risk panel: the text to be shared with its risky spans, the findings, and their resolution.

Editing the text makes a repurposed copy (the original stays as posted); each edit is re-analysed
after a pause, in a worker, and the highlights follow. Saving stores the copy and its findings.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.models import Finding, Post, PostState, Resolution, ReviewFinding, RiskCategory, Severity
from medshare_desktop.core.rules.missed_risk import is_reviewer_finding
from medshare_desktop.core.services.missed_risk_service import MissedRiskService
from medshare_desktop.core.services.post_service import PostService, RepurposeResult
from medshare_desktop.core.services.risk_service import RiskService
from medshare_desktop.ui.risk_panel.findings_tree import FindingsTree, is_resolved
from medshare_desktop.ui.risk_panel.missed_risk_dialog import MissedRiskDialog
from medshare_desktop.ui.risk_panel.risk_text_edit import RiskTextEdit, tooltip_text
from medshare_desktop.ui.risk_panel.word_diff import word_diff_html
from medshare_desktop.ui.shared.colours import themed_css
from medshare_desktop.ui.shared.dialogs import ask_reason, show_exception
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.workers import TaskRunner

REANALYSE_AFTER_MS = 400
EDITABLE = (PostState.NEW, PostState.IN_REVIEW, PostState.APPROVED)
TEXT_TAB = "Text to share"
REPURPOSED_TAB = "Text to share (repurposed ✎)"
NOTICE_STYLE = {"info": "", "done": "color: #0a6b2d; font-weight: 600;", "problem": "color: #b00020; font-weight: 600;"}


def summary_line(findings: list[Finding], reviews: list[ReviewFinding | None]) -> str:
    if not findings:
        return "No risks found in this text."
    high_open = sum(
        1 for f, r in zip(findings, reviews, strict=True) if f.severity is Severity.HIGH and not is_resolved(r)
    )
    by = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    text = f"{len(findings)} finding(s): {by[Severity.HIGH]} high, {by[Severity.MEDIUM]} medium, {by[Severity.LOW]} low"
    if high_open:
        text += f" — {high_open} high still open: the post cannot be approved until they are resolved"
    return text


class RiskPanel(QWidget):
    post_saved = Signal(object)  # Post, after its repurposed text and findings were stored
    finding_resolved = Signal(object)  # ReviewFinding

    def __init__(
        self, posts: PostService, risk: RiskService, parent: QWidget | None = None,
        missed: MissedRiskService | None = None,
        ops: Operations | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("riskPanel")
        self._posts = posts
        self._risk = risk
        self._missed = missed
        self._tasks = TaskRunner(self)
        self._writes = ops.writer(self) if ops is not None else self._tasks  # the window's one writer thread
        self._post: Post | None = None
        self._reviews: list[ReviewFinding] = []
        self._dirty = False
        self._loading = False

        self.summary = QLabel("Select a post to see its risks.")
        self.summary.setObjectName("riskSummary")
        self.summary.setWordWrap(True)
        self.notice = QLabel()
        self.notice.setObjectName("riskNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.hide()
        self.editor = RiskTextEdit()
        self.diff = QTextEdit()
        self.diff.setObjectName("repurposeDiff")
        self.diff.setReadOnly(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.editor, TEXT_TAB)
        self.tabs.addTab(self.diff, "Changes from the original")
        self.tree = FindingsTree()
        self.details = QLabel()
        self.details.setObjectName("findingDetails")
        self.details.setWordWrap(True)

        self.fixed_button = QPushButton("Fixed in text")
        self.fixed_button.setToolTip(
            "Edit the words out of the text to share and save the edit; a new check confirms they are gone. "
            "A finding still in the text cannot be marked fixed: accept it with a reason instead."
        )
        self.accept_button = QPushButton("Accept…")
        self.false_button = QPushButton("False positive…")
        self.reopen_button = QPushButton("Reopen")
        self.reopen_button.setObjectName("reopenFinding")
        self.reopen_button.setToolTip("Undo the decision on this finding: it is open again (kept in the audit trail).")
        self.missed_button = QPushButton("Missed risk…")
        self.missed_button.setObjectName("markMissedRisk")
        self.missed_button.setToolTip(
            "Select words in the text that carry a risk the engine did not flag, then mark them: they become an "
            "open finding of this post (also from the right-click menu on the text)."
        )
        self.remove_mark_button = QPushButton("Remove my mark")
        self.remove_mark_button.setObjectName("removeMissedRisk")
        self.remove_mark_button.setToolTip("Take back a missed risk you marked by mistake (kept in the audit trail).")
        self.save_button = QPushButton("Save edit")
        self.save_button.setObjectName("saveRepurposed")
        self.revert_button = QPushButton("Revert to original")
        # Two rows (deciding on a finding; marking and editing), so that the panel stays narrow enough for the
        # inbox list beside it.
        decide_row = QHBoxLayout()
        for button in (self.fixed_button, self.accept_button, self.false_button, self.reopen_button):
            decide_row.addWidget(button)
        decide_row.addStretch(1)
        edit_row = QHBoxLayout()
        edit_row.addWidget(self.missed_button)
        edit_row.addWidget(self.remove_mark_button)
        edit_row.addStretch(1)
        edit_row.addWidget(self.revert_button)
        edit_row.addWidget(self.save_button)
        resolve_row = QVBoxLayout()
        resolve_row.addLayout(decide_row)
        resolve_row.addLayout(edit_row)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.tree)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.details)
        layout.addLayout(resolve_row)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REANALYSE_AFTER_MS)
        self._timer.timeout.connect(self._reanalyse)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self.editor.finding_at_cursor.connect(self._on_editor_finding_at_cursor)
        self.tree.finding_selected.connect(self._on_tree_finding_selected)
        self.fixed_button.clicked.connect(self._on_fixed_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_clicked)
        self.accept_button.clicked.connect(lambda: self._resolve(Resolution.ACCEPTED))
        self.false_button.clicked.connect(lambda: self._resolve(Resolution.FALSE_POSITIVE))
        self.save_button.clicked.connect(self.save)
        self.missed_button.clicked.connect(self._on_missed_clicked)
        self.remove_mark_button.clicked.connect(self._on_remove_mark_clicked)
        self.editor.missed_risk_requested.connect(self._on_missed_clicked)
        self.editor.selectionChanged.connect(self._update_buttons)
        self.revert_button.clicked.connect(self._on_revert_clicked)
        self.show_post(None, [])

    # --- showing --------------------------------------------------------------------------
    @property
    def post(self) -> Post | None:
        return self._post

    @property
    def dirty(self) -> bool:
        return self._dirty

    def show_post(self, post: Post | None, reviews: list[ReviewFinding]) -> None:
        if post is None or self._post is None or post.id != self._post.id:
            self.show_notice("")
        self._post = post
        self._reviews = list(reviews)
        self._dirty = False
        self._loading = True
        self.editor.setPlainText(post.text_for_share if post else "")
        self._loading = False
        self.editor.setReadOnly(post is None or post.state not in EDITABLE)
        findings = [r.finding for r in reviews]
        self.editor.set_findings(findings, [r.finding for r in reviews if is_resolved(r)])
        self.tree.show_findings(findings, list(reviews))
        repurposed = post is not None and post.repurposed_text is not None
        self.tabs.setTabText(0, REPURPOSED_TAB if repurposed else TEXT_TAB)
        if post is None:
            self.summary.setText("Select a post to see its risks.")
        elif not reviews and not post.text_for_share.strip():
            self.summary.setText("This post has no text.")
        else:
            self.summary.setText(summary_line(findings, list(reviews)))
        self._update_diff()
        self._update_buttons()

    def _update_diff(self) -> None:
        if self._post is None:
            self.diff.clear()
            return
        edited = self.editor.toPlainText()
        if edited == self._post.text:
            self.diff.setPlainText("No changes: the original text will be shared.")
            return
        self.diff.setHtml(word_diff_html(self._post.text, edited))

    def _update_buttons(self) -> None:
        entry = self.tree.current_entry()
        can_resolve = entry is not None and entry[1] is not None and not self._dirty
        resolved = can_resolve and entry is not None and is_resolved(entry[1])
        for button in (self.fixed_button, self.accept_button, self.false_button):
            button.setEnabled(can_resolve and not resolved)
        self.reopen_button.setEnabled(resolved)
        reviewer_added = entry is not None and is_reviewer_finding(entry[0])
        self.false_button.setEnabled(self.false_button.isEnabled() and not reviewer_added)  # remove it instead
        self.remove_mark_button.setVisible(self._missed is not None)
        self.remove_mark_button.setEnabled(can_resolve and reviewer_added)
        can_mark = self._missed is not None and self._post is not None and not self._dirty
        self.editor.can_mark_missed = can_mark
        self.missed_button.setVisible(self._missed is not None)
        self.missed_button.setEnabled(can_mark and self.editor.textCursor().hasSelection())
        editable = self._post is not None and self._post.state in EDITABLE
        self.save_button.setEnabled(editable and self._dirty)
        self.revert_button.setEnabled(
            editable and (self._dirty or (self._post is not None and self._post.repurposed_text is not None))
        )

    # --- selection both ways --------------------------------------------------------------
    def _on_tree_finding_selected(self, finding: Finding | None) -> None:
        self.editor.select_finding(finding)
        self.details.setText(tooltip_text(finding) if finding else "")
        self._update_buttons()

    def _on_editor_finding_at_cursor(self, finding: Finding | None) -> None:
        self.tree.select_finding(finding)
        self.details.setText(tooltip_text(finding) if finding else "")
        self._update_buttons()

    # --- editing and live re-analysis -----------------------------------------------------
    def _on_editor_text_changed(self) -> None:
        if self._loading or self._post is None:
            return
        self._dirty = True
        self._update_diff()
        self._update_buttons()
        self.summary.setText("Checking your edit…")
        self._timer.start()

    def recheck(self) -> None:
        """Check the unsaved edit again (the post was reloaded; its last check may have failed while the
        team server was away)."""
        if not self._dirty or self._post is None:
            return
        if self.notice.property("kind") == "problem":
            self.show_notice("")
        self.summary.setText("Checking your edit…")
        self._timer.start()

    def _reanalyse(self) -> None:
        post = self._post
        if post is None:
            return
        text = self.editor.toPlainText()
        has_photos = bool(post.media)
        self._tasks.start(
            lambda: self._risk.analyze_text(text, self._risk.context(has_photos=has_photos)),
            key="live", on_done=lambda findings: self._on_live_findings(text, findings), on_error=self._err,
        )

    def _on_live_findings(self, text: str, findings: list[Finding]) -> None:
        if text != self.editor.toPlainText():
            return  # the user typed on meanwhile; a newer analysis is on its way
        self.editor.set_findings(findings)
        self.tree.show_findings(findings, [None] * len(findings))
        line = summary_line(findings, [None] * len(findings))
        self.summary.setText(f"Your edit (not saved): {line}")
        self._update_buttons()

    def begin_repurpose(self) -> None:
        """The Repurpose button: put the reviewer in the text to share and say what happens next."""
        self.tabs.setCurrentIndex(0)
        self.editor.setFocus()
        if self._post is None:
            return
        if self._post.state not in EDITABLE:
            self.show_notice(f"A {self._post.state.label.lower()} post cannot be edited.", "problem")
            return
        self.show_notice(
            "Repurposing: edit the text below, then press “Save edit”. The saved version is what will be "
            "shared; the original post stays unchanged.",
        )

    def show_notice(self, text: str, kind: str = "info") -> None:
        """A line under the summary saying what just happened (or what went wrong) in the panel."""
        self.notice.setText(text)
        self.notice.setStyleSheet(themed_css(NOTICE_STYLE[kind]))
        self.notice.setProperty("kind", kind)
        self.notice.setVisible(bool(text))

    def save(self) -> None:
        post = self._post
        if post is None:
            return
        text = self.editor.toPlainText()
        self.show_notice("Checking and saving your edit…")
        self._writes.start(self._risk.repurpose_and_analyse, post, text, on_done=self._on_saved, on_error=self._err)

    def _on_saved(self, result: RepurposeResult) -> None:
        before = self._post
        post = result.post
        self.show_post(post, result.findings)
        if post.repurposed_text is None:
            message = "Back to the original text: the original post is what will be shared."
        else:
            message = "Repurposed version saved — this is what will be shared."
        if result.fixed:
            message += f" Fixed by your edit: {len(result.fixed)} finding(s) no longer in the text."
        if before is not None and before.state is PostState.APPROVED and post.state is PostState.IN_REVIEW:
            message += " The post was approved: it is back in review, to be approved again with this text."
        self.show_notice(message, "done")
        self.post_saved.emit(post)

    def _on_revert_clicked(self) -> None:
        if self._post is not None:
            self.editor.setPlainText(self._post.text)

    # --- missed risks -----------------------------------------------------------------------
    def set_missed_risks(self, missed: MissedRiskService) -> None:
        """Offer "Missed risk…" (the page that builds the panel may not know the service)."""
        self._missed = missed
        self._update_buttons()

    def _on_missed_clicked(self) -> None:
        post, span = self._post, self.editor.selected_span()
        if self._missed is None or post is None or post.id is None:
            return
        if self._dirty:
            self.show_notice("Save or revert your edit first: a missed risk is marked on the saved text.", "problem")
            return
        if span is None:
            self.show_notice("Select the words that carry the risk first, then choose “Missed risk…”.", "problem")
            return
        post_id, missed, posts = post.id, self._missed, self._posts
        words = self.editor.toPlainText()[span[0]:span[1]]

        def mark(category: RiskCategory, note: str) -> None:
            self.show_notice("Marking the missed risk…")
            self._writes.start(
                lambda: (missed.mark(post_id, span[0], span[1], category, note, words), posts.get(post_id)),
                on_done=self._on_marked, on_error=self._err,
            )

        self.missed_dialog = MissedRiskDialog(self, words, mark)
        self.missed_dialog.open()

    def _on_marked(self, result: tuple[list[ReviewFinding], Post]) -> None:
        reviews, post = result
        self.show_post(post, reviews)
        added = max((r for r in reviews if is_reviewer_finding(r.finding)), key=lambda r: r.id or 0, default=None)
        if added is not None:
            self.tree.select_finding(added.finding)
            self._on_tree_finding_selected(added.finding)
        self.show_notice(
            "Marked as a missed risk: it is an open finding of this post until it is edited out or accepted "
            "with a reason, and the team's model can learn from it.", "done",
        )
        self.post_saved.emit(post)

    def _on_remove_mark_clicked(self) -> None:
        entry = self.tree.current_entry()
        if self._missed is None or entry is None or entry[1] is None or entry[1].id is None:
            return
        words, finding_id, missed, posts = entry[0].text, entry[1].id, self._missed, self._posts
        post_id = entry[1].post_id
        self._writes.start(lambda: (missed.remove(finding_id, "a mistake"), posts.get(post_id)), on_error=self._err,
                          on_done=lambda result: self._on_mark_removed(words, result))

    def _on_mark_removed(self, words: str, result: tuple[list[ReviewFinding], Post]) -> None:
        reviews, post = result
        self.show_post(post, reviews)
        self.show_notice(f"Removed your missed-risk mark on “{words}” (kept in the audit trail).", "done")
        self.post_saved.emit(post)

    # --- resolving ------------------------------------------------------------------------
    def _resolve(self, resolution: Resolution) -> None:
        entry = self.tree.current_entry()
        if entry is None or entry[1] is None or entry[1].id is None:
            return
        finding_id = entry[1].id

        def resolve(reason: str) -> None:
            self._writes.start(self._posts.resolve_finding, finding_id, resolution, reason,
                              on_done=self._on_resolved, on_error=self._err)

        if resolution is Resolution.FIXED:
            self._on_fixed_clicked()  # "fixed" is never set by hand: the text is checked again
            return
        title = "Accept the risk" if resolution is Resolution.ACCEPTED else "Not a risk"
        self.reason_dialog = ask_reason(self, title, "Reason (kept in the audit trail):", resolve,
                                        ok_text="Accept" if resolution is Resolution.ACCEPTED else "Not a risk")

    def _on_fixed_clicked(self) -> None:
        entry = self.tree.current_entry()
        if entry is None or entry[1] is None or entry[1].id is None:
            return
        finding = entry[0]
        self.show_notice("Checking the text again…")
        self._writes.start(
            self._risk.mark_fixed, entry[1].id,
            on_done=lambda reviews: self._on_fixed_confirmed(finding, reviews), on_error=self._err,
        )

    def _on_fixed_confirmed(self, finding: Finding, reviews: list[ReviewFinding]) -> None:
        self._reviews = list(reviews)
        self.show_post(self._post, self._reviews)
        self.show_notice(f"Fixed: “{finding.text}” is no longer in the text to share.", "done")
        if self._post is not None:
            self.post_saved.emit(self._post)

    def _on_reopen_clicked(self) -> None:
        entry = self.tree.current_entry()
        if entry is None or entry[1] is None or entry[1].id is None:
            return
        self._writes.start(self._posts.reopen_finding, entry[1].id, on_done=self._on_reopened, on_error=self._err)

    def _on_reopened(self, result: tuple[ReviewFinding, Post]) -> None:
        review, post = result
        was = self._post.state if self._post is not None else None
        self._reviews = [review if r.id == review.id else r for r in self._reviews]
        self.show_post(post, self._reviews)
        self.tree.select_finding(review.finding)
        self._update_buttons()
        message = f"Reopened: “{review.finding.text}” is open again."
        if was is PostState.APPROVED and post.state is PostState.IN_REVIEW:
            message += " The post is back in review: it cannot be approved until this finding is resolved."
        self.show_notice(message)
        self.post_saved.emit(post)

    def _on_resolved(self, review: ReviewFinding) -> None:
        self._reviews = [review if r.id == review.id else r for r in self._reviews]
        current = review.finding
        self.show_post(self._post, self._reviews)
        self.tree.select_finding(current)
        self._update_buttons()  # the selected finding is resolved now: Reopen, not Accept
        how = "Accepted" if review.resolution is Resolution.ACCEPTED else "Marked as not a risk"
        self.show_notice(f"{how}: “{current.text}”. The reason is kept in the audit trail; Reopen undoes it.", "done")
        self.finding_resolved.emit(review)

    def _err(self, exc: BaseException, details: str) -> None:
        if isinstance(exc, MedshareError):  # a refusal the reviewer can act on: say it where they look
            self.show_notice(str(exc), "problem")
            return
        self.show_notice("")
        show_exception(self, exc, details)
