"""How a change travels: a change made in one screen, or by the command line while the app is open,
reaches every screen through Operations.changes_applied (docs/architecture.md, "How a change travels")."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.models import Person
from medshare_desktop.ui.inbox.post_table_model import RISK_COLUMN
from tests.cli.test_cli import medshare


def _settle(qtbot, window) -> None:
    ops = window.operations
    qtbot.waitUntil(lambda: not ops.busy(), timeout=30_000)


def test_a_post_imported_by_the_command_line_shows_in_the_open_inbox_within_two_seconds(
    qtbot, main_window, demo_services, tmp_path: Path
) -> None:
    from medshare_desktop.app import StartupTasks

    inbox = main_window.page("inbox")
    startup = main_window.findChild(StartupTasks)
    engine = main_window.findChild(QLabel, "engineStatus")
    qtbot.waitUntil(lambda: "ready" in engine.text() and not startup.engine.busy(), timeout=60_000)
    qtbot.waitUntil(lambda: inbox.count_label.text() == "320 post(s)", timeout=10_000)
    inbox.search.setText("zebra crossing")
    qtbot.waitUntil(lambda: inbox.count_label.text() == "0 post(s)", timeout=10_000)
    source = tmp_path / "from_the_desk.csv"
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    source.write_text("text,posted_at,platform,author,handle,external_id\n"
                      f"The new zebra crossing mural by our facilities crew is finished.,{now},linkedin,,,cli-1\n",
                      encoding="utf-8")
    result = medshare("import", str(source), db=demo_services.database_url)  # another process, while the window is open

    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: inbox.count_label.text() == "1 post(s)", timeout=2_000)
    assert "zebra crossing mural" in inbox.model.index(0, 3).data()
    # the window's engine checks a post imported elsewhere, as it does one imported here
    qtbot.waitUntil(lambda: inbox.model.index(0, RISK_COLUMN).data() not in (None, "", "—"), timeout=20_000)


def test_a_person_added_in_people_reaches_the_inbox_calendar_and_consent_screens(qtbot, main_window) -> None:
    main_window.show_page("people")
    people = main_window.page("people")
    qtbot.waitUntil(lambda: people.list.count() == 12, timeout=10_000)
    others = {key: main_window.page(key) for key in ("inbox", "calendar", "consent", "settings")}
    assert not any(page.stale for page in others.values())

    people.form.show_person(None)
    people.form.name.setText("Noor Haddad")
    with qtbot.waitSignal(main_window.operations.changes_applied, timeout=10_000) as applied:
        qtbot.mouseClick(people.form.save_button, Qt.MouseButton.LeftButton)

    changes, initiator = applied.args
    assert initiator is people and changes.people and not changes.unknown
    qtbot.waitUntil(lambda: people.list.count() == 13, timeout=10_000)  # the screen that made it shows it
    assert others["inbox"].stale and others["calendar"].stale and others["consent"].stale
    assert not others["settings"].stale  # a new person is no business of the settings
    main_window.show_page("inbox")  # shown: it reloads, and the new person is in its person filter
    inbox = others["inbox"]
    qtbot.waitUntil(lambda: inbox.filters.person_filter.findText("Noor Haddad") >= 0, timeout=10_000)
    assert not inbox.stale
    _settle(qtbot, main_window)


def test_a_new_person_made_from_the_inbox_reaches_the_people_screen(qtbot, main_window) -> None:
    inbox = main_window.page("inbox")
    qtbot.waitUntil(lambda: inbox.model.rowCount() > 1, timeout=10_000)
    inbox.table.selectRow(0)
    inbox.assign_person_to_selected()
    qtbot.waitUntil(lambda: inbox.assigner.dialog is not None and inbox.assigner.dialog.isVisible(), timeout=10_000)
    dialog = inbox.assigner.dialog
    dialog.new.setChecked(True)
    dialog.new_name.setText("Ines Okafor")
    with qtbot.waitSignal(main_window.operations.changes_applied, timeout=10_000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    people = main_window.page("people")
    assert people.stale and main_window.page("calendar").stale and main_window.page("consent").stale
    main_window.show_page("people")
    qtbot.waitUntil(lambda: any("Ines Okafor" in people.list.item(row).text() for row in range(people.list.count())),
                    timeout=10_000)
    _settle(qtbot, main_window)


def test_writes_run_one_at_a_time_on_the_writer_thread_and_reads_on_the_shared_pool(qtbot, demo_services) -> None:
    from medshare_desktop.ui.shared.operations import Operations

    ops = Operations()
    gui = threading.get_ident()
    seen: dict[str, list[int]] = {"write": [], "read": []}

    def add(name: str) -> Person:
        seen["write"].append(threading.get_ident())
        return demo_services.people.add_person(Person(None, name))

    def count() -> int:
        seen["read"].append(threading.get_ident())
        return len(demo_services.people.list_people())

    announced: list[Changes] = []
    ops.changes_applied.connect(lambda changes, _initiator: announced.append(changes))
    for name in ("Pia Moreau", "Tomas Eklund", "Uma Reddy"):
        ops.write(add, name)
    qtbot.waitUntil(lambda: len(announced) == 3, timeout=10_000)
    counted: list[int] = []
    ops.read(count, on_done=counted.append)
    qtbot.waitUntil(lambda: counted == [15], timeout=10_000)
    assert gui not in seen["write"] and len(set(seen["write"])) == 1  # one writer thread, never the GUI's
    assert gui not in seen["read"]
    assert all(c.people for c in announced)  # each write told the screens which person changed
    ops.wait()


def test_the_file_menu_asks_the_inbox_and_the_calendar_through_signals(qtbot, main_window, monkeypatch) -> None:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QFileDialog

    asked: list[str] = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **_kw: (asked.append(args[1]), ("", ""))[1])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **_kw: (asked.append(args[1]), ("", ""))[1])
    main_window.show_page("settings")
    actions = {a.text(): a for a in main_window.findChildren(QAction)}

    actions["&Import posts…"].trigger()
    assert main_window.current_key() == "inbox" and asked == ["Import posts"]
    calendar = main_window.page("calendar")
    main_window.show_page("calendar")
    qtbot.waitUntil(lambda: calendar.current is not None, timeout=10_000)
    main_window.show_page("inbox")
    actions["Export calendar as I&CS…"].trigger()
    assert main_window.current_key() == "calendar" and len(asked) == 2 and "ICS" in asked[1].upper()
    _settle(qtbot, main_window)
