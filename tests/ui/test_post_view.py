from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel

from medshare_desktop.core.models import Platform, Post, PostState


def test_local_media_get_thumbnails_and_remote_media_are_not_fetched(qtbot, tmp_path) -> None:
    from medshare_desktop.ui.inbox.post_view import PostView

    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    photo = tmp_path / "team.png"
    image.save(str(photo))
    view = PostView()
    qtbot.addWidget(view)
    post = Post(1, Platform.INSTAGRAM, "Nora", "Team photo!", datetime(2026, 11, 1, tzinfo=UTC),
                media=(str(photo), "https://cdn.example.com/remote.jpg"), state=PostState.IN_REVIEW)
    view.show_post(post)
    thumbs = view.findChildren(QLabel, "mediaThumbnail")
    assert len(thumbs) == 1 and thumbs[0].pixmap().width() == 96
    media = view.findChild(QLabel, "postMedia").text()
    assert "1 attached file(s)" in media and "1 online image(s)" in media and "never fetched" in media
    assert view.approve_button.isEnabled() and not view.review_button.isEnabled()
    view.show_post(None)
    assert not view.findChildren(QLabel, "mediaThumbnail") or all(
        not t.isVisible() for t in view.findChildren(QLabel, "mediaThumbnail"))
