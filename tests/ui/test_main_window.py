"""The main window on the demo database: every screen opens and shows real data."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QMessageBox

KEYS = ["inbox", "calendar", "consent", "people", "insights", "settings"]


def test_every_screen_is_reachable_from_the_sidebar_and_by_shortcut(qtbot, main_window) -> None:
    sidebar = main_window.findChild(QListWidget, "sidebar")
    assert [sidebar.item(i).text() for i in range(sidebar.count())] == [
        "Inbox", "Calendar", "Consent", "People", "Insights", "Settings"
    ]
    for row, key in enumerate(KEYS):
        sidebar.setCurrentRow(row)
        assert main_window.current_key() == key
        assert main_window.page(key).isVisible()
    for number, key in enumerate(KEYS, start=1):
        qtbot.keyClick(main_window, Qt.Key.Key_0 + number, Qt.KeyboardModifier.ControlModifier)
        assert main_window.current_key() == key


def test_the_inbox_lists_the_demo_posts_and_opens_one_in_the_reading_pane(qtbot, main_window) -> None:
    inbox = main_window.page("inbox")
    qtbot.waitUntil(lambda: inbox.count_label.text() == "320 post(s)", timeout=10_000)
    assert inbox.model.rowCount() == 200  # the first page only: more are fetched on scroll
    inbox.table.selectRow(0)
    qtbot.waitUntil(lambda: inbox.view.post is not None, timeout=5_000)
    assert inbox.risk_panel.editor.toPlainText() == inbox.view.post.text_for_share


def test_people_and_settings_show_the_demo_team_and_the_default_cadence(qtbot, main_window) -> None:
    main_window.show_page("people")
    people = main_window.page("people")
    qtbot.waitUntil(lambda: people.list.count() == 12, timeout=5_000)
    assert "Dr. Anika Patel" in people.list.item(0).text()
    main_window.show_page("settings")
    settings = main_window.page("settings")
    qtbot.waitUntil(lambda: settings.monthly_limit.value() == 2, timeout=5_000)


def test_the_risk_engine_loads_after_the_window_is_shown(qtbot, main_window) -> None:
    from PySide6.QtWidgets import QLabel

    label = main_window.findChild(QLabel, "engineStatus")
    qtbot.waitUntil(lambda: "ready" in label.text() or "not available" in label.text(), timeout=60_000)
    assert "ready" in label.text()


def test_about_names_the_product_and_version(qtbot, main_window) -> None:
    from medshare_desktop import __version__

    main_window.show_about()
    box = main_window.findChild(QMessageBox, "aboutBox")
    assert box is not None and __version__ in box.text()
    box.close()


def test_a_consent_ending_this_week_is_announced_at_start_up(qtbot, main_window) -> None:
    # the demo data set has one consent that ends in 12 days and none this week: no notice
    qtbot.wait(800)
    assert main_window.findChild(QMessageBox, "expiryNotice") is None


def test_the_start_up_notice_names_who_and_when_for_a_consent_ending_this_week(qtbot, demo_services) -> None:
    from datetime import timedelta

    from medshare_desktop.app import build_main_window, wait_for_background_work
    from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope, Person

    person = demo_services.people.add_person(Person(None, "Dr. Ines Moreau", department="Neurology"))
    today = demo_services.consent.today()
    demo_services.consent.add_record(ConsentRecord(
        None, person.id, frozenset({ConsentScope.NAME, ConsentScope.STORY}), frozenset({Channel.PUBLIC_SOCIAL}),
        today - timedelta(days=300), today + timedelta(days=2)))
    window = build_main_window(demo_services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "expiryNotice") is not None, timeout=10_000)
    text = window.findChild(QMessageBox, "expiryNotice").text()
    assert "Dr. Ines Moreau: name, story — ends in 2 day(s)" in text
    wait_for_background_work(60_000)
