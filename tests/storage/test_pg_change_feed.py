"""Team mode's change feed: the server's notices after commits, by table, others' only (storage/pg_change_feed.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.models import Person
from medshare_desktop.storage.pg_change_feed import PgChangeFeed, changes_for

pytestmark = pytest.mark.postgresql


def test_the_notified_tables_name_the_kinds_of_data_the_screens_show() -> None:
    one_transaction = changes_for(["post", "finding", "audit_event"])
    assert one_transaction.kinds == {"posts"} and not one_transaction.unknown
    assert changes_for(["scheduled_share"]).kinds == {"schedule"}
    assert changes_for(["consent_record", "evidence_file"]).kinds == {"consent"}
    assert changes_for(["person", "source_account"]).kinds == {"people"}
    assert changes_for(["setting"]).kinds == {"settings"}
    assert changes_for(["audit_event"]).empty  # the look at the audit trail names those rows
    assert changes_for(["a_table_added_later"]).unknown


class Heard:
    def __init__(self) -> None:
        self.changes: list[Changes] = []
        self.arrived = threading.Event()

    def __call__(self, changes: Changes) -> None:
        self.changes.append(changes)
        self.arrived.set()


def _open(url: str, actor: str, folder: Path) -> object:
    from medshare_desktop.bootstrap import build_services
    from tests.stub_analyzer import StubAnalyzer

    return build_services(url, actor=actor, analyzer_factory=StubAnalyzer, backup_folder=folder / "backups",
                          evidence_folder=folder / "evidence", models_folder=folder / "models")


@pytest.fixture
def two_desks(pg_url: str, tmp_path: Path) -> Iterator[tuple[object, object]]:
    here, there = _open(pg_url, "desk-a", tmp_path / "a"), _open(pg_url, "desk-b", tmp_path / "b")
    yield here, there
    here.close()
    there.close()


def test_a_commit_at_another_desk_is_heard_with_its_kind_and_the_desks_own_are_not(two_desks) -> None:
    here, there = two_desks
    feed = here.change_feed
    assert isinstance(feed, PgChangeFeed) and feed.version() == 0
    heard, reachable = Heard(), Heard()
    assert feed.listen(heard, reachable)
    assert feed.listening.wait(10)

    here.people.add_person(Person(None, "Written here"))  # this desk's own commit: its screens know already
    assert not heard.arrived.wait(1.0)

    there.people.add_person(Person(None, "Noor Haddad"))
    assert heard.arrived.wait(5)
    time.sleep(0.3)  # the rest of the transaction's notices, if they came apart
    assert frozenset().union(*(c.kinds for c in heard.changes)) == {"people"}
    assert reachable.changes == []

    heard.arrived.clear()
    with there.database.begin() as session:  # rolled back: nothing was committed, nothing is told
        from sqlalchemy import text

        session.execute(text("UPDATE person SET name = name"))
        session.rollback()
    assert not heard.arrived.wait(1.0)


class SilentableProxy:
    """A TCP relay to the server that can go silent: what the app sends is acknowledged and dropped, and new
    connections are accepted but never answered, as when a server hangs or a middlebox swallows its traffic."""

    def __init__(self, host: str, port: int) -> None:
        import socket

        self._upstream = (host, port)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.silent = False
        self._open: list[object] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        import socket

        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            self._open.append(client)
            if self.silent:
                continue  # accepted, never answered
            upstream = socket.create_connection(self._upstream)
            self._open.append(upstream)
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: object, target: object) -> None:
        try:
            while data := source.recv(65536):  # type: ignore[attr-defined]
                if not self.silent:  # silent: the bytes are taken (the kernel acknowledges them) and dropped
                    target.sendall(data)  # type: ignore[attr-defined]
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.close()  # type: ignore[attr-defined]
                except OSError:
                    pass

    def go_silent(self) -> None:
        self.silent = True

    def answer_again(self) -> None:
        self.silent = False

    def close(self) -> None:
        import socket

        self._server.close()
        for sock in self._open:
            try:
                sock.shutdown(socket.SHUT_RDWR)  # type: ignore[attr-defined]
                sock.close()  # type: ignore[attr-defined]
            except OSError:
                pass


def test_a_server_that_stops_answering_is_reported_away_within_seconds_and_back_when_it_answers(
    pg_url: str, tmp_path: Path
) -> None:
    from sqlalchemy.engine import make_url

    parsed = make_url(pg_url)
    proxy = SilentableProxy(parsed.host or "127.0.0.1", parsed.port or 5432)
    url = parsed.set(port=proxy.port).render_as_string(hide_password=False)
    desk = _open(url, "desk-a", tmp_path)
    states: list[bool] = []
    changed = threading.Event()

    def reachable(ok: bool) -> None:
        states.append(ok)
        changed.set()

    try:
        desk.change_feed.listen(Heard(), reachable)
        assert desk.change_feed.listening.wait(10)
        proxy.go_silent()
        began = time.monotonic()
        assert changed.wait(10), "the silent server was not reported"
        # the next check (every 5 s) finds no answer within 3 s: not minutes of TCP timeouts
        assert states == [False] and time.monotonic() - began < 10
        changed.clear()
        proxy.answer_again()
        assert changed.wait(30), "the server answering again was not noticed"  # 10 s connect timeout + backoff
        assert states == [False, True]
        assert desk.change_feed.listening.wait(5)
    finally:
        desk.close()
        proxy.close()


def test_only_a_server_that_is_not_there_is_called_unreachable(pg_url: str) -> None:
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    from medshare_desktop.storage.server_errors import server_unreachable
    from tests.pg_server import free_port

    def failure(url: str) -> DBAPIError:
        engine = create_engine(url, connect_args={"connect_timeout": 5})
        try:
            with engine.connect():
                pass
        except DBAPIError as exc:
            return exc
        finally:
            engine.dispose()
        raise AssertionError("connected")

    parsed = make_url(pg_url)
    nobody_there = parsed.set(port=free_port()).render_as_string(hide_password=False)
    away = server_unreachable(failure(nobody_there), nobody_there)
    assert away is not None and "team server at 127.0.0.1 cannot be reached" in str(away)
    wrong_password = parsed.set(password="not-the-password").render_as_string(hide_password=False)
    assert server_unreachable(failure(wrong_password), wrong_password) is None  # its own message, not "away"
    no_database = parsed.set(database="no_such_database").render_as_string(hide_password=False)
    assert server_unreachable(failure(no_database), no_database) is None
