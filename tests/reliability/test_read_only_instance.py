"""A second app window on a database another instance holds: read-only, says so, refuses writes clearly."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from medshare_desktop.bootstrap import build_services  # noqa: E402
from medshare_desktop.core.errors import DatabaseError  # noqa: E402
from medshare_desktop.core.models import Person  # noqa: E402
from medshare_desktop.storage.instance_guard import acquire_instance  # noqa: E402


def test_the_second_window_opens_read_only_with_a_notice(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QGroupBox, QMessageBox

    from medshare_desktop import app

    db = tmp_path / "shared.db"
    build_services(str(db), actor="first").close()
    monkeypatch.setattr(app, "INSTANCE_WAIT_SECONDS", 0.0)
    first = acquire_instance(db)  # the first instance (a separate lock file handle, as another process would)
    try:
        services, guard = app._open_services(argparse.Namespace(demo=False, db=str(db)))
        assert guard is not None and guard.read_only and services.read_only
        try:
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
            QThreadPool.globalInstance().waitForDone(30_000)
        finally:
            services.close()
            guard.release()
    finally:
        first.release()
    after = build_services(str(db))
    try:
        assert after.people.list_people() == []
    finally:
        after.close()
