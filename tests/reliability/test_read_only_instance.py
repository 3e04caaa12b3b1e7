"""A second app window on a database another instance holds: read-only, says so, refuses writes clearly."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from medshare_desktop.bootstrap import build_services  # noqa: E402
from medshare_desktop.core.errors import DatabaseError  # noqa: E402
from medshare_desktop.core.models import Person  # noqa: E402
from medshare_desktop.storage.instance_guard import acquire_instance  # noqa: E402


@contextmanager
def _second_window(db: Path, monkeypatch) -> Iterator[tuple[object, object]]:  # type: ignore[no-untyped-def]
    """(services, guard) of a window opened on `db` while another instance holds it (a separate lock file
    handle, as another process would); its background jobs are waited for, then all is let go."""
    from medshare_desktop import app

    monkeypatch.setattr(app, "INSTANCE_WAIT_SECONDS", 0.0)
    first = acquire_instance(db)
    try:
        services, guard = app._open_services(argparse.Namespace(demo=False, db=str(db)))
        assert guard is not None and guard.read_only and services.read_only
        try:
            yield services, guard
            app.wait_for_background_work(30_000)
        finally:
            services.close()
            guard.release()
    finally:
        first.release()


def test_the_second_window_opens_read_only_with_a_notice(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QGroupBox, QMessageBox

    from medshare_desktop import app

    db = tmp_path / "shared.db"
    build_services(str(db), actor="first").close()
    with _second_window(db, monkeypatch) as (services, guard):
        with pytest.raises(DatabaseError, match="read-only"):
            services.people.add_person(Person(None, "Dr. Second Window"))
        window = app.build_main_window(services)
        qtbot.addWidget(window)
        app._show_instance_notice(window, guard.notice, guard.read_only)
        assert window.windowTitle().endswith("read-only")
        notice = window.findChild(QMessageBox, "readOnlyNotice")
        assert notice is not None and "already open" in notice.text()
        backups_box = window.page("settings").findChild(QGroupBox, "backupsBox")
        assert backups_box is not None and not backups_box.restore_button.isEnabled()
    after = build_services(str(db))
    try:
        assert after.people.list_people() == []
    finally:
        after.close()


def test_demo_with_db_goes_through_the_same_one_window_check(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`--demo --db FILE` from the GUI takes the file's instance lock as any window does: it refuses a file
    another window holds (it would write the demo data under it), and holds the file while it is open."""
    from medshare_desktop import app

    monkeypatch.setattr(app, "INSTANCE_WAIT_SECONDS", 0.0)
    db = tmp_path / "try.db"
    first = acquire_instance(db)  # another window, on the new (still empty) file
    try:
        with pytest.raises(DatabaseError, match=f"already open on {db}.*--demo fills the database it opens"):
            app._open_services(argparse.Namespace(demo=True, db=str(db)))
    finally:
        first.release()
    assert not db.exists()  # nothing was written under the other window

    services, guard = app._open_services(argparse.Namespace(demo=True, db=str(db)))
    try:
        assert guard is not None and not guard.read_only
        assert len(services.people.list_people()) > 5  # the demo data is in the file
        second = acquire_instance(db)  # a second window on the demo file: read-only, as for any file
        try:
            assert second.read_only and "already open" in second.notice
        finally:
            second.release()
    finally:
        services.close()
        guard.release()
    with acquire_instance(db) as after:  # and let go when the window closes
        assert not after.read_only


def test_a_read_only_window_leaves_the_checking_to_the_first_one(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The engine changed since the review queue was checked, and the first window still holds the file: the
    second, read-only window's engine is ready for live checks, writes nothing and does not claim a failure."""
    from medshare_desktop import app

    db = tmp_path / "shared.db"
    setup = build_services(str(db), actor="first")
    setup.imports.import_pasted("Mrs. Delacroix in room 412 finally went home today.")
    setup.settings.set_engine_fingerprint("an-older-engine", 0)
    setup.close()
    with _second_window(db, monkeypatch) as (services, _guard):
        window = app.build_main_window(services)
        qtbot.addWidget(window)
        window.show()  # start-up tasks run once the window is up
        qtbot.waitUntil(lambda: "ready" in window._engine_label.text(), timeout=60_000)
        assert window._engine_label.text() == "Risk engine: ready (read-only window: findings are not stored)"
    after = build_services(str(db))
    try:
        assert after.settings.engine_fingerprint() == "an-older-engine"  # left for the writable window
    finally:
        after.close()
