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


def test_the_action_buttons_stay_in_place_between_posts_with_and_without_media(qtbot, tmp_path) -> None:
    from medshare_desktop.ui.inbox.post_view import PostView

    image = QImage(300, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    photo = tmp_path / "team.png"
    image.save(str(photo))
    from PySide6.QtWidgets import QTextEdit, QVBoxLayout, QWidget

    pane = QWidget()  # as in the inbox: the post's header above the risk panel, which takes the rest
    qtbot.addWidget(pane)
    view = PostView()
    layout = QVBoxLayout(pane)
    layout.addWidget(view)
    layout.addWidget(QTextEdit(), 1)
    pane.resize(700, 700)
    pane.show()
    plain = Post(1, Platform.LINKEDIN, "Dr. Anika Patel", "Flu shots are here.", datetime(2026, 11, 1, tzinfo=UTC),
                 url="https://www.linkedin.com/feed/update/1", state=PostState.IN_REVIEW)
    with_media = Post(2, Platform.INSTAGRAM, "Nora", "Team photo!", datetime(2026, 11, 2, tzinfo=UTC),
                      media=(str(photo), "https://cdn.example.com/remote.jpg"), state=PostState.IN_REVIEW)
    buttons = (view.review_button, view.approve_button, view.reject_button, view.repurpose_button,
               view.shared_button, view.reopen_button, view.tag_people_button)

    def geometry() -> list[tuple[int, int, int, int]]:
        qtbot.wait(20)  # let the layout settle
        return [(b.mapTo(pane, b.rect().topLeft()).x(), b.mapTo(pane, b.rect().topLeft()).y(), b.width(), b.height())
                for b in buttons]

    view.show_post(plain)
    view.set_people_shown([])
    first = geometry()
    view.show_post(with_media)
    view.set_people_shown([])
    assert view.findChild(QLabel, "postMedia").text() and view.findChildren(QLabel, "mediaThumbnail")
    assert geometry() == first
    assert view.tag_people_button.isVisible() and view.tag_people_button.isEnabled()
    view.show_post(plain)
    assert geometry() == first
    assert view.tag_people_button.isVisible() and not view.tag_people_button.isEnabled()
    assert "no photos" in view.tag_people_button.toolTip()
