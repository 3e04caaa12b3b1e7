"""`medshare migrate-to`: a solo database moves to an empty team server in one transaction.

The source is a demo database (people, consents with signed forms, posts approved with evidence
snapshots, a scheduled calendar, a sealed audit trail); the target a fresh PostgreSQL database of
the test run's server. What a team would notice: everything is there on the server and a second desk
opens the signed forms; the file is byte for byte as it was; a server that already holds data is
refused and left alone; a failure or a cancel half-way leaves the server database empty.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from medshare_desktop.bootstrap import Services, build_services
from medshare_desktop.core.errors import DatabaseError
from medshare_desktop.core.models import Person, Role
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.services.server_move_service import MoveCancelled
from medshare_desktop.storage.database import make_engine
from tests.database_tables import table_names
from tests.stub_analyzer import NoRiskAnalyzer

pytestmark = pytest.mark.postgresql

PNG_FORM = (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
            + b"\x90wS\xde" + b"\x00\x00\x00\x00IEND\xaeB`\x82")


def _build(url: str, folder: Path, actor: str = "solo desk") -> Services:
    return build_services(url, actor=actor, analyzer_factory=NoRiskAnalyzer, backup_folder=folder / "backups",
                          evidence_folder=folder / "evidence")


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def solo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A demo database file with two signed forms (a PDF and a PNG) in its evidence folder; closed."""
    from medshare_desktop.demo_data import seed_demo

    folder = tmp_path_factory.mktemp("solo")
    url = f"sqlite:///{folder}/medshare.db"
    services = _build(url, folder)
    try:
        seed_demo(services, today=date(2026, 12, 6), analyzer=lambda _text: [])
        form = folder / "form.png"
        form.write_bytes(PNG_FORM)
        stored = services.consent.attach_evidence(str(form))
        record = next(r for p in services.people.list_people() for r in services.consent.records(p.id)
                      if not r.evidence_sha256 and r.revoked_on is None)
        services.consent.edit_record(record.id, replace(record, id=None, evidence_path=stored.stored_name,
                                                        evidence_sha256=stored.sha256))
    finally:
        services.close()
    yield url, folder


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            names = [n for n in inspect(conn).get_table_names() if n in _APP_TABLES]
            return {n: conn.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar() or 0 for n in names}
    finally:
        engine.dispose()


_APP_TABLES = {"person", "source_account", "post", "finding", "consent_record", "scheduled_share", "audit_event",
               "setting", "evidence_file", "photo_tag", "missed_risk", "approval_evidence"}


def test_a_demo_database_moves_with_every_row_file_and_seal_and_the_file_is_unchanged(
    solo: tuple[str, Path], pg_server, tmp_path: Path
) -> None:
    url, folder = solo
    db_file = folder / "medshare.db"
    before = file_hash(db_file)
    target = pg_server.url_for(pg_server.new_database(migrated=False))
    source = _build(url, folder)  # as the app does: Services over the file; the move only reads it
    lines: list[str] = []
    try:
        assert source.server_move is not None
        report = source.server_move.move(target, progress=lines.append)
        expected_people = [p.name for p in source.people.list_people()]
        expected_posts = source.posts.count(PostFilter())
        month = source.schedule.month(2026, 12)
        records = [r for p in source.people.list_people() for r in source.consent.records(p.id) if r.evidence_sha256]
    finally:
        source.close()
    # the file was only read: the same bytes
    assert file_hash(db_file) == before
    # the report's counts are the file's and the server's
    counts = _counts(url)
    assert _counts(target) == counts
    assert {t.name: t.rows for t in report.tables if t.name in _APP_TABLES} == counts
    assert report.evidence_files == 2 and not report.warnings
    assert report.audit_events == counts["audit_event"] > 100
    assert any(line.startswith("Copied post:") for line in lines) and lines[-1].startswith("Done in")
    # a second desk on the server sees the same data, verifies the trail and opens the signed forms
    desk = _build(target, tmp_path, actor="second desk")
    try:
        assert desk.audit.check().problems == []
        assert [p.name for p in desk.people.list_people()] == expected_people
        assert desk.posts.count(PostFilter()) == expected_posts
        assert len(desk.schedule.month(2026, 12).entries) == len(month.entries) > 0
        assert len(records) == 2
        for record in records:
            opened = Path(desk.consent.evidence_file(record))
            assert hashlib.sha256(opened.read_bytes()).hexdigest() == record.evidence_sha256
            assert not str(opened).startswith(str(folder))  # a copy from the database, not the first desk's folder
        # the approval evidence export takes the consent form in force from the database
        snapshots = desk.database.engine.connect()
        try:
            post_ids = [r[0] for r in snapshots.execute(text("SELECT DISTINCT post_id FROM approval_evidence"))]
        finally:
            snapshots.close()
        packages = [desk.approvals.package(post_id) for post_id in post_ids]
        forms = [f for package in packages for f in package.files]
        assert forms and all(f.path and not f.problem for f in forms)
        assert all(package.check.verified for package in packages)
        # new rows continue after the copied ids, and the trail stays whole
        added = desk.people.add_person(Person(None, "New Colleague", Role.EMPLOYEE, "Comms"))
        assert added.id == counts["person"] + 1
        assert desk.audit.check().problems == []
    finally:
        desk.close()


def test_a_server_database_that_holds_data_is_refused_and_left_untouched(
    solo: tuple[str, Path], pg_server, tmp_path: Path
) -> None:
    url, folder = solo
    target = pg_server.url_for(pg_server.new_database())
    other = _build(target, tmp_path, actor="it")
    try:
        other.people.add_person(Person(None, "Already There", Role.EMPLOYEE, "IT"))
    finally:
        other.close()
    held = _counts(target)
    before = file_hash(folder / "medshare.db")
    source = _build(url, folder)
    try:
        assert source.server_move is not None
        with pytest.raises(DatabaseError, match=r"already holds data \(.*person: 1") as error:
            source.server_move.move(target)
    finally:
        source.close()
    assert "nothing was copied" in str(error.value)
    assert "secret" not in str(error.value)  # the password is never shown
    assert _counts(target) == held
    assert file_hash(folder / "medshare.db") == before


def test_a_migrated_but_empty_server_database_is_filled(solo: tuple[str, Path], pg_server, tmp_path: Path) -> None:
    """IT may have created the tables already (the owner role runs the migrations): empty is empty."""
    url, folder = solo
    target = pg_server.url_for(pg_server.new_database())
    source = _build(url, folder)
    try:
        report = source.server_move.move(target)  # type: ignore[union-attr]
    finally:
        source.close()
    assert _counts(target) == _counts(url)
    assert report.rows > 0


def test_a_value_the_server_refuses_half_way_leaves_the_server_database_empty(
    solo: tuple[str, Path], pg_server, tmp_path: Path
) -> None:
    """SQLite keeps a NUL character in text, PostgreSQL refuses it: the copy fails at the post table, after
    the tables were created and people copied. Nothing stays, the message names the table."""
    url, folder = solo
    copy = tmp_path / "odd.db"
    shutil.copy(folder / "medshare.db", copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE post SET text = 'broken' || char(0) || 'text' WHERE id = (SELECT MAX(id) FROM post)")
    conn.close()
    target = pg_server.url_for(pg_server.new_database(migrated=False))
    source = _build(f"sqlite:///{copy}", folder)
    try:
        with pytest.raises(DatabaseError, match="Copying the table post to the server failed") as error:
            source.server_move.move(target)  # type: ignore[union-attr]
    finally:
        source.close()
    assert "left as it was" in str(error.value)
    assert table_names(target) == []


def test_a_cancel_half_way_leaves_the_server_database_empty(solo: tuple[str, Path], pg_server) -> None:
    url, folder = solo
    target = pg_server.url_for(pg_server.new_database(migrated=False))
    lines: list[str] = []
    source = _build(url, folder)
    try:
        with pytest.raises(MoveCancelled):
            source.server_move.move(  # type: ignore[union-attr]
                target, progress=lines.append, cancelled=lambda: any(line.startswith("Copied post") for line in lines)
            )
    finally:
        source.close()
    assert table_names(target) == []


def test_a_server_database_is_not_a_source_and_a_file_is_not_a_target(solo: tuple[str, Path], pg_server,
                                                                        tmp_path: Path) -> None:
    url, folder = solo
    server = _build(pg_server.url_for(pg_server.new_database()), tmp_path)
    try:
        assert server.server_move is None  # already on a server: nothing to move
    finally:
        server.close()
    source = _build(url, folder)
    try:
        with pytest.raises(DatabaseError, match="SQLite database; give the team server's address"):
            source.server_move.move(f"sqlite:///{tmp_path}/other.db")  # type: ignore[union-attr]
    finally:
        source.close()


def test_a_login_that_may_not_create_tables_is_told_so_and_the_server_is_left_empty(solo: tuple[str, Path],
                                                                                     pg_server) -> None:
    """PostgreSQL 15+: only the database's owner creates tables in `public`; a desk's own login cannot."""
    import os

    from tests.pg_databases import _admin_connect

    url, folder = solo
    name = pg_server.new_database(migrated=False)
    login = f"desk_{os.getpid()}"
    with _admin_connect(pg_server.admin_url) as conn:
        conn.execute(f"DROP ROLE IF EXISTS {login}")
        conn.execute(f"CREATE ROLE {login} LOGIN PASSWORD 'desk-pw'")
    try:
        source = _build(url, folder)
        try:
            with pytest.raises(DatabaseError, match=r"The move to .* failed: .*permission denied") as error:
                source.server_move.move(pg_server.url_for(name, user=login, password="desk-pw"))  # type: ignore[union-attr]
        finally:
            source.close()
        assert "Nothing was kept on the server" in str(error.value) and "desk-pw" not in str(error.value)
        assert table_names(pg_server.url_for(name)) == []
    finally:
        with _admin_connect(pg_server.admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f"DROP ROLE IF EXISTS {login}")


def test_a_desk_starting_during_a_move_waits_for_it_then_opens_the_moved_data(
    solo: tuple[str, Path], pg_server, tmp_path: Path
) -> None:
    """migrate-to holds the lock a desk takes to upgrade the schema (storage/migrate.MIGRATION_LOCK) for its
    whole transaction: a desk started half-way neither sees half the tables nor fills the database itself."""
    import os
    import subprocess
    import sys
    import threading

    from medshare_desktop.bootstrap import server_move_service

    url, folder = solo
    name = pg_server.new_database(migrated=False)
    target = pg_server.url_for(name)
    halfway, carry_on = threading.Event(), threading.Event()
    outcome: list[object] = []

    def progress(line: str) -> None:
        if line.startswith("Copied post:"):  # tables made, people and posts copied, nothing committed yet
            halfway.set()
            carry_on.wait(120)

    def move() -> None:
        try:
            outcome.append(server_move_service(url, folder / "evidence", "solo desk").move(target, progress=progress))
        except BaseException as exc:  # noqa: BLE001 - checked below
            outcome.append(exc)
            halfway.set()

    mover = threading.Thread(target=move)
    mover.start()
    desk = None
    try:
        assert halfway.wait(120) and not outcome, outcome
        source = tmp_path / "late.csv"
        source.write_text("text,posted_at,author,external_id\n"
                          '"Imported by a desk that started during the move",2026-12-01,Dr. Late,late-1\n',
                          encoding="utf-8")
        desk = subprocess.Popen([sys.executable, "-m", "medshare_desktop", "--db", target, "import", str(source)],
                                env={**os.environ, "MEDSHARE_DATA_DIR": str(tmp_path / "desk")},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        admin = make_engine(pg_server.url_for(name))
        try:
            waiting = 0
            for _ in range(600):  # the desk's session waits on the advisory lock the move holds
                with admin.connect() as conn:
                    waiting = conn.execute(text(
                        "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    )).scalar() or 0
                if waiting or desk.poll() is not None:
                    break
                threading.Event().wait(0.1)
        finally:
            admin.dispose()
        assert waiting == 1 and desk.poll() is None, desk.communicate() if desk.poll() is not None else "no wait"
    finally:
        carry_on.set()
        mover.join(120)
    out, err = desk.communicate(timeout=120)
    assert not isinstance(outcome[0], BaseException), outcome
    assert desk.returncode == 0, err
    assert "1 new" in out
    # the moved data plus the late desk's post, one schema version, and a trail that verifies
    moved = _counts(url)
    after = _counts(target)
    assert after["post"] == moved["post"] + 1 and after["person"] >= moved["person"]
    engine = make_engine(target)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM alembic_version")).scalar() == 1
    finally:
        engine.dispose()
    check = _build(target, tmp_path / "check", actor="checker")
    try:
        assert check.audit.check().problems == []
    finally:
        check.close()
