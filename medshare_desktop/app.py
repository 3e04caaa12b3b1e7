"""Composition root of the desktop app: paths, logging, database, services, Qt, the main window.

Nothing imports this module except the entry point (`medshare` / `python -m medshare_desktop`).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from medshare_desktop import __version__
from medshare_desktop.bootstrap import Services, build_services
from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.services.consent_register import ExpiringConsent
from medshare_desktop.logging_setup import configure_logging
from medshare_desktop.paths import APP_AUTHOR, APP_NAME, DB_ENV_VAR, backup_dir, evidence_dir, log_dir, resource_path
from medshare_desktop.ui.inbox.inbox_page import InboxPage
from medshare_desktop.ui.main_window import MainWindow, PageSpec
from medshare_desktop.ui.people.people_page import PeoplePage
from medshare_desktop.ui.settings.settings_page import SettingsPage
from medshare_desktop.ui.settings.tokens_box import TokensBox
from medshare_desktop.ui.shared.dialogs import install_excepthook
from medshare_desktop.ui.shared.workers import TaskRunner

log = logging.getLogger(__name__)


def _database_label(services: Services) -> str:
    url = services.database_url
    return "Database: " + (url.removeprefix("sqlite:///") if url.startswith("sqlite:///") else url.split("@")[-1])


def build_main_window(services: Services) -> MainWindow:
    """Every screen, wired to the services. Used by run() and by the GUI tests."""
    from medshare_desktop.ui.calendar.calendar_page import CalendarPage
    from medshare_desktop.ui.consent.consent_page import ConsentPage

    policy = services.settings.cadence_policy()
    inbox = InboxPage(services.posts, services.people, services.imports, services.risk, services.audit,
                      services.photo_tags, services.refresh)
    calendar = CalendarPage(services.schedule, services.posts, services.people, services.settings)
    consent = ConsentPage(services.consent, services.people, unschedule=services.schedule.unschedule)
    people = PeoplePage(services.people, policy.monthly_limit)
    locations = {
        "Database": services.database_url,
        "Backups": str(backup_dir()),
        "Consent evidence": str(evidence_dir()),
        "Logs": str(log_dir()),
    }
    settings = SettingsPage(services.settings, locations, extra_boxes=[TokensBox(services.tokens)])
    window = MainWindow(
        [
            PageSpec("inbox", "Inbox", inbox),
            PageSpec("calendar", "Calendar", calendar),
            PageSpec("consent", "Consent", consent),
            PageSpec("people", "People", people),
            PageSpec("settings", "Settings", settings),
        ],
        _database_label(services),
    )
    inbox.post_changed.connect(lambda _id: calendar.refresh() if window.current_key() == "calendar" else None)
    _load_risk_engine(window, services)
    _notify_expiring_consents(window, services)
    return window


def expiry_notice(items: list[ExpiringConsent]) -> str:
    """The start-up notice for consents that end within the week, or "" when there are none."""
    if not items:
        return ""
    lines = [
        f"• {item.person.name}: {', '.join(sorted(s.value for s in item.record.scopes))} — "
        + ("ends today" if item.days_left == 0 else f"ends in {item.days_left} day(s)")
        + f" ({item.record.expires_on:%a %d %b})"
        for item in sorted(items, key=lambda i: i.days_left)
    ]
    return "Consent ending this week:\n" + "\n".join(lines) + "\n\nRenew it in the Consent screen before re-sharing."


def _notify_expiring_consents(window: MainWindow, services: Services) -> None:
    runner = TaskRunner(window)

    def show(items: list[ExpiringConsent]) -> None:
        text = expiry_notice(items)
        if not text:
            return
        window.show_message(f"{len(items)} consent(s) end this week — see the Consent screen.", 20_000)
        box = QMessageBox(QMessageBox.Icon.Information, "Consent ending this week", text,
                          QMessageBox.StandardButton.Ok, window)
        box.setObjectName("expiryNotice")
        box.open()

    window._notice_runner = runner  # type: ignore[attr-defined]
    QTimer.singleShot(300, lambda: runner.start(services.consent.expiring_within, 7, on_done=show))


def _load_risk_engine(window: MainWindow, services: Services) -> None:
    """spaCy loads in a worker after the window is up; the status bar tells when it is ready."""
    runner = TaskRunner(window)
    started = time.perf_counter()

    def loaded(_result: object) -> None:
        window.set_engine_status(f"Risk engine: ready ({time.perf_counter() - started:.1f} s)")
        runner.start(services.risk.analyze_unanalysed, on_done=_analysed, on_error=failed)

    def _analysed(count: int) -> None:
        if count:
            window.show_message(f"Risk engine analysed {count} new post(s).")
            inbox = window.page("inbox")
            refresh = getattr(inbox, "apply_filter", None)
            if callable(refresh):
                refresh()

    def failed(exc: BaseException, _details: str) -> None:
        window.set_engine_status("Risk engine: not available")
        window.show_message(f"The risk engine could not start: {exc}", 15000)

    window._engine_runner = runner  # type: ignore[attr-defined]  # keep the runner alive with the window
    QTimer.singleShot(0, lambda: runner.start(services.risk.load, on_done=loaded, on_error=failed))


def _open_services(args: argparse.Namespace) -> Services:
    if args.demo:
        from medshare_desktop.demo_data import demo_services

        return demo_services()
    services = build_services(args.db)
    chosen = args.db is not None or bool(os.environ.get(DB_ENV_VAR))
    if not chosen and not services.people.list_people() and services.posts.count(_all_posts()) == 0:
        from medshare_desktop.demo_data import seed_demo

        log.info("first run on an empty default database: adding the demo data set")
        seed_demo(services)
    return services


def _all_posts():  # type: ignore[no-untyped-def]
    from medshare_desktop.core.ports import PostFilter

    return PostFilter()


def run(args: argparse.Namespace) -> int:
    configure_logging(args.verbose)
    log.info("MedShare Desktop %s starting", __version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationVersion(__version__)
    icon = resource_path("icons", "medshare.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_excepthook()
    try:
        services = _open_services(args)
    except MedshareError as exc:
        QMessageBox.critical(None, "MedShare Desktop", str(exc))
        sys.stderr.write(f"medshare: error: {exc}\n")
        return 2
    window = build_main_window(services)
    window.show()
    code = app.exec()
    QThreadPool.globalInstance().waitForDone(10_000)  # let a running write finish
    services.close()
    return int(code)
