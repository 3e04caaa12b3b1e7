"""Start-up: the main window is on screen before the database side is imported, then filled in place."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtWidgets import QLabel

from medshare_desktop.app import build_main_window, opening_window, wait_for_background_work


def test_the_window_comes_up_without_waiting_for_sqlalchemy_alembic_or_the_screens() -> None:
    probe = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from medshare_desktop.app import opening_window\n"
        "window = opening_window(); window.show()\n"
        "heavy = ('sqlalchemy', 'alembic', 'spacy', 'medshare_desktop.storage', 'medshare_desktop.ui.inbox.inbox_page')\n"
        "print(' '.join(m for m in heavy if m in sys.modules) or 'none')\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120,
                         env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.split() == ["none"]


def test_the_opening_window_is_filled_in_place_and_the_inbox_lists_posts(qtbot, demo_services) -> None:
    window = opening_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert isinstance(window.page("inbox"), QLabel)
    assert "opening the database" in window.page("inbox").text()

    same = build_main_window(demo_services, window)

    assert same is window
    inbox = window.page("inbox")
    assert window.current_key() == "inbox" and inbox.isVisible()
    qtbot.waitUntil(lambda: inbox.model.rowCount() > 0, timeout=10_000)
    labels = [w.text() for w in window.statusBar().findChildren(QLabel)]
    database = demo_services.database_url.rsplit("/", 1)[-1]  # the file's name, or the server's database
    assert "Database: opening…" not in labels and any(text.endswith(database) for text in labels)
    window.show_page("calendar")
    assert window.page("calendar").isVisible()
    wait_for_background_work(60_000)
