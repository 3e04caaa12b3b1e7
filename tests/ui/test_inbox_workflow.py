"""The inbox driven through its real widgets: import → review → repurpose → approve; filters; bad files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QThreadPool, QUrl
from PySide6.QtGui import QDropEvent, QTextCursor
from PySide6.QtWidgets import QMessageBox

from medshare_desktop.core.models import PostState

CSV = (
    "text,posted_at,platform,author,handle,external_id,url\n"
    "Proud of our stroke team: door-to-needle times are the best ever.,2026-10-01T09:00:00Z,linkedin,"
    "Dr. Anika Patel,anika-patel-md,101,https://www.linkedin.com/feed/update/urn:li:share:101\n"
    "A patient I saw today in room 412 made my week.,2026-10-02T09:00:00Z,linkedin,Dr. Anika Patel,"
    "anika-patel-md,102,https://www.linkedin.com/feed/update/urn:li:share:102\n"
    "Flu shots are here: book yours at the front desk.,2026-10-03T09:00:00Z,x,Dr. Marcus Reed,ReedER,103,"
    "https://x.com/ReedER/status/103\n"
)


def _import(qtbot, inbox, path: Path) -> object:
    with qtbot.waitSignal(inbox.import_finished, timeout=30_000) as blocker:
        inbox.start_import(str(path))
    return blocker.args[0]


def test_import_review_repurpose_approve_through_the_widgets(qtbot, monkeypatch, inbox, services, tmp_path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text(CSV, encoding="utf-8")
    report = _import(qtbot, inbox, source)
    assert report.summary() == "3 new, 0 already present, 0 skipped; 3 not linked to a person"
    qtbot.waitUntil(lambda: inbox.assigner.dialog is not None, timeout=5_000)
    inbox.assigner.dialog.reject()  # "whose posts are these?": not now
    inbox.activateWindow()
    qtbot.waitUntil(inbox.isActiveWindow, timeout=5_000)
    # "3 post(s)" once the list reloads, or "3 post(s) left without a person…" when the answer came after it
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 3 and inbox.count_label.text().startswith("3 post(s)"),
                    timeout=10_000)
    assert _import(qtbot, inbox, source).summary() == "0 new, 3 already present, 0 skipped"

    # the risk engine analyses new posts in the background; the table shows the summary
    qtbot.waitUntil(lambda: all(inbox.model.data(inbox.model.index(r, 5)) != "—" for r in range(3)), timeout=30_000)

    inbox.search.setText("stroke")
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 1, timeout=5_000)
    inbox.table.setFocus()
    inbox.table.selectRow(0)
    qtbot.waitUntil(lambda: inbox.view.post is not None and inbox.view.review_button.isEnabled(), timeout=5_000)
    post_id = inbox.view.post.id

    qtbot.mouseClick(inbox.view.review_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: services.posts.get(post_id).state is PostState.IN_REVIEW, timeout=5_000)
    qtbot.waitUntil(lambda: inbox.view.approve_button.isEnabled(), timeout=5_000)

    qtbot.mouseClick(inbox.view.repurpose_button, Qt.MouseButton.LeftButton)
    notice = inbox.risk_panel.notice
    assert notice.isVisible() and "Repurposing" in notice.text()  # the button visibly does something
    editor = inbox.risk_panel.editor
    assert editor.hasFocus() and inbox.risk_panel.tabs.tabText(0) == "Text to share"
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, " (Shared with thanks to Dr. Patel.)")
    with qtbot.waitSignal(inbox.risk_panel.post_saved, timeout=20_000):
        qtbot.mouseClick(inbox.risk_panel.save_button, Qt.MouseButton.LeftButton)
    assert notice.text().startswith("Repurposed version saved — this is what will be shared")
    assert "repurposed" in inbox.risk_panel.tabs.tabText(0)
    qtbot.waitUntil(lambda: inbox.view.post is not None and inbox.view.post.repurposed_text is not None,
                    timeout=5_000)
    qtbot.waitUntil(lambda: inbox.view.approve_button.isEnabled(), timeout=5_000)
    qtbot.mouseClick(inbox.view.approve_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: services.posts.get(post_id).state is PostState.APPROVED, timeout=5_000)

    saved = services.posts.get(post_id)
    assert saved.text.startswith("Proud of our stroke team") and "thanks to Dr. Patel" not in saved.text
    assert saved.repurposed_text.endswith("(Shared with thanks to Dr. Patel.)")
    assert saved.author == "Dr. Anika Patel" and saved.url.endswith("share:101")
    actions = [e.action for e in services.audit.history("post", post_id)]
    assert actions[-3:] == ["post.repurposed", "post.analysed", "post.approved"]
    qtbot.waitUntil(lambda: "Approved by tester" in inbox.history.toPlainText(), timeout=5_000)
    history = inbox.history.toPlainText()
    assert "tester started the review" in history
    assert "tester saved an edited version to share: “Proud of our stroke team" in history
    assert "post.approved" not in history and "in_review" not in history  # sentences, not event keys


def test_rejecting_asks_for_a_reason_and_the_state_filter_finds_it(qtbot, monkeypatch, inbox, services,
                                                                   tmp_path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text(CSV, encoding="utf-8")
    _import(qtbot, inbox, source)
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 3, timeout=10_000)
    inbox.table.selectRow(0)
    qtbot.waitUntil(lambda: inbox.view.post is not None, timeout=5_000)
    qtbot.mouseClick(inbox.view.reject_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(inbox.reason_dialog.field, "Off-topic for our channels.")
    qtbot.mouseClick(inbox.reason_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: services.posts.count(_rejected()) == 1, timeout=5_000)
    inbox.filters.state_filter.setCurrentIndex(inbox.filters.state_filter.findText("Rejected"))
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 1 and inbox.count_label.text() == "1 post(s)", timeout=5_000)


def test_an_empty_reject_reason_keeps_the_dialog_open_and_the_post_unchanged(qtbot, inbox, services,
                                                                             tmp_path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text(CSV, encoding="utf-8")
    _import(qtbot, inbox, source)
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 3, timeout=10_000)
    inbox.table.selectRow(0)
    qtbot.waitUntil(lambda: inbox.view.post is not None, timeout=5_000)
    before = inbox.view.post.state
    qtbot.mouseClick(inbox.view.reject_button, Qt.MouseButton.LeftButton)
    dialog = inbox.reason_dialog
    qtbot.keyClicks(dialog.field, "   ")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.error.isVisible() and "reason" in dialog.error.text()
    QThreadPool.globalInstance().waitForDone(5_000)
    assert services.posts.get(inbox.view.post.id).state is before
    assert services.posts.count(_rejected()) == 0


def _rejected():
    from medshare_desktop.core.ports import PostFilter

    return PostFilter(states=frozenset({PostState.REJECTED}))


def test_a_broken_file_is_reported_by_name_and_nothing_is_imported(qtbot, monkeypatch, inbox, services,
                                                                   tmp_path) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda self: shown.append(self.text()))
    bad = tmp_path / "broken.csv"
    bad.write_text(CSV + "Truncated row with no date,\n", encoding="utf-8")
    inbox.start_import(str(bad))
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert "broken.csv" in shown[0] and "line 5" in shown[0]
    assert inbox.import_button.isEnabled()
    from medshare_desktop.core.ports import PostFilter

    assert services.posts.count(PostFilter()) == 0


def test_dropping_a_file_on_the_inbox_imports_it(qtbot, inbox, services, tmp_path) -> None:
    source = tmp_path / "dropped.csv"
    source.write_text(CSV, encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(inbox.import_finished, timeout=30_000) as blocker:
        inbox.dropEvent(event)
    assert blocker.args[0].new == 3


def test_a_real_format_fixture_imports_from_the_page(qtbot, inbox, tmp_path) -> None:
    shares = Path(__file__).resolve().parents[1] / "data" / "imports" / "linkedin" / "Shares.csv"
    target = tmp_path / "Shares.csv"
    shutil.copy(shares, target)
    report = _import(qtbot, inbox, target)
    assert report.new > 0
    assert inbox.count_label.text().startswith("Import:")


def test_tagging_people_in_a_photo_checks_their_photo_consent(qtbot, services, tmp_path) -> None:
    from dataclasses import replace

    from medshare_desktop.core.models import Person, RiskCategory
    from medshare_desktop.core.ports import PostFilter
    from medshare_desktop.ui.inbox.inbox_page import InboxPage
    from tests.conftest import make_imported

    nurse = services.people.add_person(Person(None, "Nora Fitzgerald", department="ICU"))
    services.posts.store_imported([replace(make_imported(1)[0], media=(str(tmp_path / "team.jpg"),))], [], "t")
    page = InboxPage(services.posts, services.people, services.imports, services.risk, services.audit,
                     services.photo_tags)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    qtbot.waitUntil(lambda: page.view.post is not None, timeout=10_000)
    assert page.view.tag_people_button.isVisible() and "Nobody is tagged" in page._shown_text()
    qtbot.mouseClick(page.view.tag_people_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(page, "photo_dialog", None) is not None and page.photo_dialog.isVisible(),
                    timeout=5_000)
    dialog = page.photo_dialog
    for row in range(dialog.list.count()):
        if dialog.list.item(row).text().startswith("Nora Fitzgerald"):
            dialog.list.item(row).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    post_id = services.posts.query(PostFilter())[0].id
    qtbot.waitUntil(lambda: [t.person_id for t in services.photo_tags.tags(post_id)] == [nurse.id], timeout=10_000)
    qtbot.waitUntil(lambda: "Nora Fitzgerald" in page._shown_text(), timeout=10_000)
    consent = [r.finding for r in services.posts.findings(post_id) if r.finding.category is RiskCategory.CONSENT]
    assert [f.kind for f in consent] == ["photo_without_consent"]


@pytest.mark.parametrize("online", [True, False])
def test_refresh_feeds_fetches_new_posts_or_says_it_is_offline(qtbot, monkeypatch, services, online) -> None:
    from medshare_desktop.core.models import Person, Platform, SourceAccount
    from medshare_desktop.core.ports import PostFilter
    from medshare_desktop.core.services.refresh_service import RefreshService
    from medshare_desktop.importers.online import OnlineFetcher
    from medshare_desktop.ui.inbox.inbox_page import InboxPage
    from tests.importers.test_online_http import FakeApi, closed_port_url

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "open", lambda self: shown.append(self.text()))
    person = services.people.add_person(Person(None, "Dr. Priya Patel"))
    services.people.add_account(SourceAccount(None, person.id, Platform.MASTODON, "@drpatel@mastodon.example"))
    api = FakeApi() if online else None
    base = api.url if api else closed_port_url()
    from medshare_desktop.storage import unit_of_work_factory

    refresher = RefreshService(unit_of_work_factory(services.database), OnlineFetcher({"mastodon": base}), services.posts,
                               services.tokens)
    page = InboxPage(services.posts, services.people, services.imports, services.risk, services.audit,
                     services.photo_tags, refresher)
    qtbot.addWidget(page)
    page.show()
    try:
        with qtbot.waitSignal(page.refresh_finished, timeout=20_000) as blocker:
            qtbot.mouseClick(page.refresh_button, Qt.MouseButton.LeftButton)
    finally:
        if api:
            api.close()
    report = blocker.args[0]
    assert page.refresh_button.isEnabled() and shown
    if online:
        assert report.new > 0 and services.posts.count(PostFilter(person_id=person.id)) == report.new
    else:
        assert report.offline and "offline" in shown[0] and services.posts.count(PostFilter()) == 0


def test_dropping_several_files_imports_each_of_them(qtbot, inbox, services, tmp_path) -> None:
    from medshare_desktop.core.ports import PostFilter

    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(CSV, encoding="utf-8")
    second.write_text(CSV.replace(",101,", ",201,").replace(",102,", ",202,").replace(",103,", ",203,")
                      .replace("door-to-needle", "door to needle").replace("made my week", "made my month")
                      .replace("book yours", "get yours"), encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(first)), QUrl.fromLocalFile(str(second))])
    event = QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    reports = []
    inbox.import_finished.connect(reports.append)
    inbox.dropEvent(event)
    qtbot.waitUntil(lambda: len(reports) == 2, timeout=30_000)
    assert [r.new for r in reports] == [3, 3]
    assert services.posts.count(PostFilter()) == 6


def test_a_file_dropped_while_an_import_runs_waits_for_it(qtbot, inbox, services, tmp_path) -> None:
    from medshare_desktop.core.ports import PostFilter

    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(CSV, encoding="utf-8")
    second.write_text(CSV, encoding="utf-8")  # the same posts: the second import finds them present
    reports = []
    inbox.import_finished.connect(reports.append)
    for path in (first, second):
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        inbox.dropEvent(QDropEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                                   Qt.KeyboardModifier.NoModifier))
    qtbot.waitUntil(lambda: len(reports) == 2, timeout=30_000)
    assert [(r.new, r.already_present) for r in reports] == [(3, 0), (0, 3)]  # one after the other
    assert services.posts.count(PostFilter()) == 3
