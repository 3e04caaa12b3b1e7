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
