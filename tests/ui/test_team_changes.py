"""Team mode: desks see each other's work through the server's NOTIFY, and a server that goes away is
handled without losing what is on screen (docs/architecture.md, "How a change travels")."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from medshare_desktop.app import wait_for_background_work
from medshare_desktop.core.changes import Changes
from medshare_desktop.core.errors import ServerUnreachableError
from medshare_desktop.core.models import Person, PostState
from tests.cli.test_cli import medshare
from tests.stub_analyzer import StubAnalyzer

pytestmark = pytest.mark.postgresql


def _open_desk(url: str, actor: str, folder: Path) -> object:
    from medshare_desktop.bootstrap import build_services

    return build_services(url, actor=actor, analyzer_factory=StubAnalyzer, backup_folder=folder / "backups",
                          evidence_folder=folder / "evidence", models_folder=folder / "models")


def _window(qtbot, desk) -> object:
    from medshare_desktop.app import build_main_window

    window = build_main_window(desk)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: desk.change_feed.listening.is_set(), timeout=10_000)  # the feed LISTENs
    return window


def _csv(folder: Path, text: str, external_id: str) -> Path:
    source = folder / f"{external_id}.csv"
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    source.write_text(f"text,posted_at,platform,author,handle,external_id\n{text},{now},linkedin,,,{external_id}\n",
                      encoding="utf-8")
    return source


@pytest.fixture
def desk(pg_url: str, tmp_path: Path) -> Iterator[object]:
    services = _open_desk(pg_url, "desk-a", tmp_path / "a")
    yield services
    wait_for_background_work(30_000)
    services.close()


def test_work_done_at_other_desks_shows_in_the_open_inbox_through_the_servers_notices(
    qtbot, desk, pg_url: str, tmp_path: Path
) -> None:
    window = _window(qtbot, desk)
    ops = window.operations
    inbox = window.page("inbox")
    qtbot.waitUntil(lambda: inbox.count_label.text().startswith("0 post(s)"), timeout=10_000)
    notices: list[Changes] = []
    ops.notice_received.connect(notices.append)

    # another desk's command line imports a post (another process, its own connections)
    result = medshare("import", str(_csv(tmp_path, "Our new zebra crossing mural is finished.", "desk-b-1")),
                      db=pg_url)  # type: ignore[arg-type]

    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: inbox.count_label.text().startswith("1 post(s)"), timeout=5_000)
    assert any("posts" in n.kinds for n in notices)  # the server said so: nothing polls on a server
    assert "zebra crossing mural" in inbox.model.index(0, 3).data()

    # a second desk reviews it: the state changes on the first desk's screen without anyone clicking
    other = _open_desk(pg_url, "desk-b", tmp_path / "b")
    try:
        post = other.posts.get(other.posts.query(_everything())[0].id)
        other.posts.start_review(post)
        qtbot.waitUntil(lambda: inbox.view.post is not None and inbox.view.post.state is PostState.IN_REVIEW,
                        timeout=5_000)
    finally:
        other.close()

    # a write outside the app (psql: no audit event to read) still reaches the screen, through its notice
    notices.clear()
    _psql(pg_url, "UPDATE post SET text = 'The mural was repainted by the night shift.'")
    qtbot.waitUntil(lambda: "repainted" in (inbox.model.index(0, 3).data() or ""), timeout=5_000)
    assert any("posts" in n.kinds for n in notices)  # no audit event was written: only the notice could tell


def test_the_desks_own_writes_bring_no_notice_back(qtbot, desk) -> None:
    window = _window(qtbot, desk)
    ops = window.operations
    done: list[object] = []
    with qtbot.assertNotEmitted(ops.notice_received, wait=1_500):
        ops.write(desk.people.add_person, Person(None, "Noor Haddad"), on_done=done.append)
        qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    people = window.page("people")
    window.show_page("people")
    qtbot.waitUntil(lambda: people.list.count() == 1, timeout=10_000)


@pytest.fixture
def own_server() -> Iterator[object]:
    """A private PostgreSQL cluster this test may stop and start again."""
    from tests import pg_server

    folder = Path(tempfile.mkdtemp(prefix="medshare-pg-own-"))
    try:
        cluster = pg_server.start(folder)
    except Exception as exc:  # noqa: BLE001 - no server programs: as the run's other PostgreSQL tests
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"no PostgreSQL server could be started: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def test_a_server_that_goes_away_shows_a_banner_keeps_unsaved_edits_and_reconnects(
    qtbot, own_server, tmp_path: Path
) -> None:
    _psql(own_server.url(), "CREATE DATABASE medshare")
    url = own_server.url("medshare")
    desk = _open_desk(url, "desk-a", tmp_path)
    try:
        desk.imports.import_pasted("Flu shot clinic opens Monday in the east wing.")
        window = _window(qtbot, desk)
        inbox = window.page("inbox")
        banner = window.server_banner
        qtbot.waitUntil(lambda: inbox.view.post is not None, timeout=10_000)
        editor = inbox.risk_panel.editor
        qtbot.waitUntil(lambda: not editor.isReadOnly(), timeout=10_000)
        editor.setPlainText("Flu shot clinic opens Monday — bring your badge.")  # not saved

        _go_away(own_server)

        qtbot.waitUntil(banner.isVisible, timeout=10_000)
        text = banner.label.text()
        assert "127.0.0.1 cannot be reached" in text and "unsaved edits are kept" in text and "reconnecting" in text
        # a change tried while it is away says so in a sentence, and the typed name stays in its field
        window.show_page("people")
        people = window.page("people")
        people.form.show_person(None)
        people.form.name.setText("Ines Okafor")
        people.form.save_button.click()
        qtbot.waitUntil(lambda: _message_box(window) is not None, timeout=15_000)
        box = _message_box(window)
        assert box.objectName() == "serverAwayMessage", box.detailedText()[-3000:]
        assert "team server at 127.0.0.1 cannot be reached" in box.text()
        box.close()
        assert not [b.objectName() for b in window.findChildren(QMessageBox) if b.isVisible()]  # no traceback box
        assert people.form.name.text() == "Ines Okafor"
        window.show_page("inbox")
        assert editor.toPlainText() == "Flu shot clinic opens Monday — bring your badge."

        with qtbot.waitSignal(window.operations.changes_applied, timeout=30_000,
                              check_params_cb=lambda changes, _who: changes.unknown):
            own_server.start_again()  # the same data folder and port: the server is back
        assert "is back" in banner.label.text()
        qtbot.waitUntil(lambda: inbox.count_label.text().startswith("1 post(s)"), timeout=10_000)
        assert editor.toPlainText() == "Flu shot clinic opens Monday — bring your badge."  # still not lost
        panel = inbox.risk_panel  # the edit is checked again, with no word of the server left over
        qtbot.waitUntil(lambda: panel.summary.text().startswith("Your edit (not saved)"), timeout=10_000)
        assert "cannot be reached" not in panel.notice.text()
        # and the desk works again without a restart: the person can now be added
        window.show_page("people")
        people.form.save_button.click()
        qtbot.waitUntil(lambda: people.list.count() == 1, timeout=15_000)
        qtbot.waitUntil(lambda: not banner.isVisible(), timeout=15_000)
    finally:
        wait_for_background_work(30_000)
        desk.close()


def test_a_write_while_the_server_is_away_raises_the_readable_error(own_server, tmp_path: Path) -> None:
    _psql(own_server.url(), "CREATE DATABASE medshare")
    desk = _open_desk(own_server.url("medshare"), "desk-a", tmp_path)
    try:
        _go_away(own_server)
        with pytest.raises(ServerUnreachableError, match="team server at 127.0.0.1 cannot be reached"):
            desk.people.add_person(Person(None, "Noor Haddad"))
        own_server.start_again()
        assert desk.people.add_person(Person(None, "Noor Haddad")).id is not None  # the pool reconnects
    finally:
        desk.close()


def _go_away(cluster) -> None:
    """Stop the server as a crash would (immediate); what was committed is written out first (the test
    cluster runs with synchronous_commit off, so an immediate stop could lose the last commits)."""
    _psql(cluster.url(), "CHECKPOINT")
    cluster.stop()


def _message_box(window) -> QMessageBox | None:
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    return boxes[0] if boxes else None


def _everything():  # noqa: ANN202 - a PostFilter
    from medshare_desktop.core.ports import PostFilter

    return PostFilter()


def _psql(url: str, sql: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    with psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password,
                         dbname=parsed.database, autocommit=True) as connection:
        connection.execute(sql)
