"""The app's window and `medshare import` on the same TEAM SERVER database at the same time: nothing is lost,
and the open window shows the command line's posts without a restart (the PostgreSQL sibling of
test_gui_and_cli_together.py, which does the same on a SQLite file).

The GUI side is the main window as app.py builds it over build_services on the server URL; it keeps adding
people through its own writer (Operations.write, as the People page does) while each import runs in a real
`python -m medshare_desktop import` process with its own connections. The inbox learns of the imports only
through the server's notices (nothing polls on a server).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from medshare_desktop.core.models import Person
from tests.reliability.cli_imports import POSTS_PER_FILE, ROUNDS, every_external_id, round_csv, start_cli_import
from tests.stub_analyzer import StubAnalyzer

pytestmark = pytest.mark.postgresql
pytest.importorskip("pytestqt")


def test_an_import_from_the_command_line_while_the_window_is_open_on_the_server_loses_nothing(
    qtbot, pg_url: str, tmp_path: Path
) -> None:
    from sqlalchemy import text

    from medshare_desktop.app import build_main_window, wait_for_background_work
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.storage.database import make_engine

    services = build_services(pg_url, actor="gui", analyzer_factory=StubAnalyzer, backup_folder=tmp_path / "backups",
                              evidence_folder=tmp_path / "evidence", models_folder=tmp_path / "models")
    people_added: list[str] = []
    window = None
    try:
        assert services.backups is None  # a server's backups are its administrator's job: nothing to take here
        window = build_main_window(services)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.waitUntil(lambda: services.change_feed.listening.is_set(), timeout=10_000)
        ops, inbox = window.operations, window.page("inbox")
        qtbot.waitUntil(lambda: inbox.count_label.text().startswith("0 post(s)"), timeout=10_000)
        saved: list[object] = []
        for round_no in range(ROUNDS):
            cli = start_cli_import(tmp_path, pg_url, round_csv(tmp_path / f"round{round_no}.csv", round_no))
            while cli.poll() is None:  # the window keeps working while the import runs
                name = f"Dr. Gui {round_no}-{len(people_added)}"
                ops.write(services.people.add_person, Person(None, name), on_done=saved.append)
                people_added.append(name)
                qtbot.waitUntil(lambda: len(saved) == len(people_added), timeout=15_000)
            out, err = cli.communicate(timeout=120)
            assert cli.returncode == 0, err
            assert f"{POSTS_PER_FILE} new" in out
            ops.write(services.people.add_person, Person(None, f"Dr. Gui after {round_no}"), on_done=saved.append)
            people_added.append(f"Dr. Gui after {round_no}")
            qtbot.waitUntil(lambda: len(saved) == len(people_added), timeout=15_000)
            # the open inbox shows the other process's posts, without a restart or a click
            expected = f"{POSTS_PER_FILE * (round_no + 1)} post(s)"
            qtbot.waitUntil(lambda expected=expected: inbox.count_label.text().startswith(expected), timeout=10_000)
            # and what the window wrote is what another connection sees
            other = make_engine(pg_url)
            try:
                with other.connect() as conn:
                    seen = {r[0] for r in conn.execute(text("SELECT name FROM person"))}
            finally:
                other.dispose()
            assert set(people_added) <= seen, "a person added in the window is invisible to other connections"
        assert len(people_added) > 2 * ROUNDS  # the window did write while the imports ran
        people = window.page("people")
        window.show_page("people")
        qtbot.waitUntil(lambda: people.list.count() == len(people_added), timeout=10_000)
    finally:
        if window is not None and window.operations is not None:  # as app.run does when the window closes
            window.operations.stop_watching()
            window.operations.wait(10_000)
        wait_for_background_work(30_000)
        services.close()
    engine = make_engine(pg_url)
    try:
        with engine.connect() as conn:
            names = {r[0] for r in conn.execute(text("SELECT name FROM person"))}
            external = {r[0] for r in conn.execute(text("SELECT external_id FROM post"))}
    finally:
        engine.dispose()
    assert set(people_added) <= names
    assert external == every_external_id()
    reopened = build_services(pg_url, actor="check", analyzer_factory=StubAnalyzer)
    try:
        assert reopened.audit.verify() == []
    finally:
        reopened.close()
