"""The reading pane's header: author, platform, date, source link, media, state and the review actions.

The text itself is shown (as plain text, never HTML) by the risk panel beside it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.models import Post, PostState

THUMB_SIZE = 96
MAX_THUMBNAILS = 6


class PostView(QWidget):
    """Shows a post; emits *_requested signals for the page to carry out through the services."""

    review_requested = Signal()
    approve_requested = Signal()
    reject_requested = Signal()
    repurpose_requested = Signal()
    shared_requested = Signal()
    reopen_requested = Signal()
    tag_people_requested = Signal()
    evidence_requested = Signal()  # "Export evidence…": the snapshot kept at approval (ui/inbox/evidence_export.py)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._post: Post | None = None
        self._header = QLabel("Select a post to read it.")
        self._header.setObjectName("postHeader")
        self._header.setWordWrap(True)
        self._header.setTextFormat(Qt.TextFormat.PlainText)
        self._link = QLabel()
        self._link.setObjectName("postLink")
        self._link.setTextFormat(Qt.TextFormat.RichText)
        self._link.setOpenExternalLinks(True)
        self._media = QLabel()
        self._media.setObjectName("postMedia")
        self._media.setWordWrap(True)
        self._thumbs = QHBoxLayout()
        self._thumbs.setSpacing(6)
        self._status = QLabel()
        self._status.setObjectName("postStatus")
        self._status.setWordWrap(True)

        self.review_button = QPushButton("Start &review")
        self.approve_button = QPushButton("&Approve")
        self.reject_button = QPushButton("Re&ject…")
        self.repurpose_button = QPushButton("Re&purpose")
        self.repurpose_button.setToolTip("Edit the text to share in the risk panel; the original is kept.")
        self.shared_button = QPushButton("Mark &shared…")
        self.reopen_button = QPushButton("Re&open")
        self.tag_people_button = QPushButton("People in p&hotos…")
        self.tag_people_button.setObjectName("tagPeople")
        self.evidence_button = QPushButton("Export e&vidence…")
        self.evidence_button.setObjectName("exportEvidence")
        self.evidence_button.setToolTip(
            "Save what was approved, by whom and when, the findings and their resolutions and the consent in force, "
            "with a PDF summary and a check against the audit trail (a zip file)"
        )
        self.evidence_button.setVisible(False)  # shown once the page has an evidence service
        self._shown = QLabel()
        self._shown.setObjectName("peopleShown")
        self._shown.setWordWrap(True)
        # Two rows (the review decisions, then what comes after them), so that the reading pane stays narrow
        # enough for the inbox list beside it to show the posts' text on an ordinary laptop screen.
        buttons = QVBoxLayout()
        for row_buttons in (
            ((self.review_button, self.review_requested), (self.approve_button, self.approve_requested),
             (self.reject_button, self.reject_requested), (self.repurpose_button, self.repurpose_requested)),
            ((self.shared_button, self.shared_requested), (self.reopen_button, self.reopen_requested),
             (self.tag_people_button, self.tag_people_requested), (self.evidence_button, self.evidence_requested)),
        ):
            row = QHBoxLayout()
            for button, signal in row_buttons:
                button.clicked.connect(signal.emit)
                row.addWidget(button)
            row.addStretch(1)
            buttons.addLayout(row)

        # the actions come first, so they stay in the same place whatever the post shows below them
        # (media, thumbnails, people tagged): a reviewer's hand never has to chase the buttons
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self._header)
        layout.addWidget(self._link)
        layout.addWidget(self._status)
        layout.addWidget(self._media)
        layout.addLayout(self._thumbs)
        layout.addWidget(self._shown)
        self.show_post(None)

    @property
    def post(self) -> Post | None:
        return self._post

    def show_post(self, post: Post | None, linked_person: str = "") -> None:
        """`linked_person` names the post's author when the post has none of its own (pasted text)."""
        self._post = post
        if post is None:
            self._header.setText("Select a post to read it.")
            self._link.clear()
            self._show_media(())
            self._status.clear()
        else:
            posted = post.posted_at.astimezone().strftime("%d %b %Y, %H:%M")
            author = post.author or linked_person or "Author not given"
            self._header.setText(f"{author} · {post.platform.label} · {posted}")
            if post.url:
                safe = post.url.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
                self._link.setText(f'<a href="{safe}">Open the original post</a>')
            else:
                self._link.setText("No link to the original post.")
            self._show_media(post.media)
            status = f"State: {post.state.label}"
            if post.repurposed_text is not None:
                status += " · showing the repurposed text (the original is kept unchanged)"
            if post.reject_reason and post.state is PostState.REJECTED:
                status += f" · rejected: {post.reject_reason}"
            if post.shared_url:
                status += f" · shared at {post.shared_url}"
            self._status.setText(status)
        self._update_buttons()

    def _update_buttons(self) -> None:
        state = self._post.state if self._post else None
        self.review_button.setEnabled(state is PostState.NEW)
        self.approve_button.setEnabled(state is PostState.IN_REVIEW)
        self.reject_button.setEnabled(state in (PostState.NEW, PostState.IN_REVIEW, PostState.APPROVED))
        self.repurpose_button.setEnabled(state in (PostState.NEW, PostState.IN_REVIEW, PostState.APPROVED))
        self.shared_button.setEnabled(state is PostState.SCHEDULED)
        self.reopen_button.setEnabled(state in (PostState.REJECTED, PostState.APPROVED))
        self.evidence_button.setEnabled(state in (PostState.APPROVED, PostState.SCHEDULED, PostState.SHARED))
        has_media = bool(self._post and self._post.media)
        self.tag_people_button.setEnabled(has_media and state is not PostState.SHARED)  # always shown: no jump
        self.tag_people_button.setToolTip(
            "Tag who is shown in the photos, so their consent is checked."
            if has_media else "This post has no photos or videos."
        )

    def set_people_shown(self, names: list[str]) -> None:
        if not (self._post and self._post.media):
            self._shown.clear()
        elif names:
            self._shown.setText("Shown in the photos: " + ", ".join(names))
        else:
            self._shown.setText("Nobody is tagged in the photos yet: tag who is shown so their consent is checked.")
        self._shown.setVisible(bool(self._shown.text()))  # no empty gap under a post without photos

    def _show_media(self, media: tuple[str, ...]) -> None:
        """Thumbnails for media files on this computer (from an archive); remote images are never fetched."""
        while self._thumbs.count():
            item = self._thumbs.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        local = [m for m in media if Path(m).is_file()]
        for path in local[:MAX_THUMBNAILS]:
            pixmap = QPixmap(path)
            if pixmap.isNull():
                continue
            thumb = QLabel()
            thumb.setObjectName("mediaThumbnail")
            thumb.setPixmap(pixmap.scaled(THUMB_SIZE, THUMB_SIZE, Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))
            thumb.setToolTip(Path(path).name)
            self._thumbs.addWidget(thumb)
        self._thumbs.addStretch(1)
        remote = len(media) - len(local)
        parts = []
        if local:
            parts.append(f"{len(local)} attached file(s)")
        if remote:
            parts.append(f"{remote} online image(s) or video(s), not loaded (remote media are never fetched)")
        self._media.setText(("Media: " + "; ".join(parts)) if parts else "")
        self._media.setVisible(bool(parts))
