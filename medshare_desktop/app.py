"""Composition root of the desktop app: paths, logging, database, services, Qt, the main window.

Nothing imports this module except the entry point (`medshare` / `python -m medshare_desktop`).
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QObject, QTimer, qInstallMessageHandler
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from medshare_desktop import __version__
from medshare_desktop.core.changes import TEAM_MODEL_SETTINGS, Changes
from medshare_desktop.core.errors import MedshareError, PermissionDeniedError
from medshare_desktop.logging_setup import configure_logging
from medshare_desktop.paths import (
    APP_AUTHOR,
    APP_NAME,
    database_source,
    database_url,
    default_db_path,
    log_dir,
    resource_path,
)
from medshare_desktop.ui.main_window import MainWindow, PageSpec, opening_page
from medshare_desktop.ui.shared.dialogs import install_excepthook
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.platform_failure import install_platform_failure_handler
from medshare_desktop.ui.shared.workers import TaskRunner, engine_pool, wait_for_background_work

if TYPE_CHECKING:  # the database side (SQLAlchemy and all) and the screens are imported after the window is up
    from medshare_desktop.bootstrap import Services
    from medshare_desktop.core.services.consent_register import ExpiringConsent
    from medshare_desktop.storage.instance_guard import InstanceGuard
    from medshare_desktop.ui.settings.backups_box import BackupsBox

log = logging.getLogger(__name__)

SCREENS = (("inbox", "Inbox"), ("calendar", "Calendar"), ("consent", "Consent"), ("people", "People"),
           ("insights", "Insights"), ("settings", "Settings"))

INSTANCE_WAIT_SECONDS = 2.0  # a second instance waits this long for the first to close, then opens read-only


def _database_label(services: Services) -> str:
    """The status bar's "where": the file, or the team server as LOGIN @ HOST:PORT/DATABASE (never a password
    or the connection options)."""
    url = services.database_url
    if url.startswith("sqlite:///"):
        return "Database: " + url.removeprefix("sqlite:///")
    from urllib.parse import unquote, urlsplit

    try:
        parts = urlsplit(url)
        where = f"{parts.hostname or 'localhost'}{f':{parts.port}' if parts.port else ''}{unquote(parts.path)}"
        login = unquote(parts.username or "")
    except ValueError:
        return "Database: " + url.split("@")[-1].split("?")[0]
    return f"Team server: {login} @ {where}" if login else f"Team server: {where}"


def _server_host(url: str) -> str:
    """The host of a server URL, as the banner names it ("" for a file)."""
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def _on_server(url: str) -> bool:
    return not url.startswith("sqlite")


def _no_backups(url: str) -> str:
    """Settings' "Backups" location when the app takes none."""
    return "(on the team server: its administrator's job)" if _on_server(url) else "(none: the database is not a file)"


def opening_window() -> MainWindow:
    """The main window as soon as Qt is up, each screen saying the database is opening (filled by
    build_main_window): the first window does not wait for SQLAlchemy's imports and the database."""
    return MainWindow([PageSpec(key, title, opening_page(title)) for key, title in SCREENS], "Database: opening…")


def build_main_window(services: Services, window: MainWindow | None = None,
                      started_with: str = "default") -> MainWindow:
    """Every screen, wired to the services (put into `window` when given). Used by run() and by the GUI tests."""
    from medshare_desktop.bootstrap import database_location_service, policy_service
    from medshare_desktop.core.services.change_watch import ChangeWatch
    from medshare_desktop.ui.calendar.calendar_page import CalendarPage
    from medshare_desktop.ui.consent.consent_page import ConsentPage
    from medshare_desktop.ui.inbox.inbox_page import InboxPage
    from medshare_desktop.ui.insights.insights_page import InsightsPage
    from medshare_desktop.ui.people.people_page import PeoplePage
    from medshare_desktop.ui.printing.physician_papers import open_policy_sheet
    from medshare_desktop.ui.settings.backups_box import BackupsBox, ServerBackupsBox
    from medshare_desktop.ui.settings.contact_box import ContactBox
    from medshare_desktop.ui.settings.database_box import DatabaseBox
    from medshare_desktop.ui.settings.encryption_box import EncryptionBox
    from medshare_desktop.ui.settings.risk_engine_box import RiskEngineBox
    from medshare_desktop.ui.settings.settings_page import SettingsPage
    from medshare_desktop.ui.settings.suggestion_box import SuggestionWeightsBox
    from medshare_desktop.ui.settings.tokens_box import TokensBox

    policy = services.settings.cadence_policy()
    watch = ChangeWatch(services.change_feed, services.audit) if services.change_feed is not None else None
    ops = Operations(watch)
    inbox = InboxPage(services.posts, services.people, services.imports, services.risk, services.audit,
                      services.photo_tags, services.refresh, ops=ops)
    inbox.risk_panel.set_missed_risks(services.missed_risks)
    inbox.set_evidence(services.approvals)
    inbox.set_suggestions(services.suggestions)
    calendar = CalendarPage(services.schedule, services.posts, services.people, services.settings, ops=ops)
    calendar.set_suggestions(services.suggestions)  # a proposed month takes each person's best-suggested post first
    consent = ConsentPage(services.consent, services.people, schedule=services.schedule, ops=ops)
    papers = policy_service(services)  # the physicians' policy sheet and monthly notes
    people = PeoplePage(services.people, policy.monthly_limit, ops=ops, policy=papers)
    insights = InsightsPage(services.insights, services.audit.actor, ops=ops)
    locations = {
        "Database": _database_label(services).removeprefix("Database: "),
        "Backups": services.backups.location() if services.backups else _no_backups(services.database_url),
        "Consent evidence": services.evidence_location,
        "Logs": str(log_dir()),
    }
    risk_box = RiskEngineBox(services.learning, services.settings, read_only=services.read_only)
    boxes: list[QWidget] = [risk_box, TokensBox(services.tokens)]
    backups_box = BackupsBox(services.backups, read_only=services.read_only) if services.backups else None
    if backups_box is not None:
        boxes.append(backups_box)
    elif _on_server(services.database_url):
        boxes.append(ServerBackupsBox())  # backups are the server's job: says so, nothing to press
    boxes.append(EncryptionBox(services.encryption, read_only=services.read_only))
    boxes.insert(0, SuggestionWeightsBox(services.suggestions, ops, read_only=services.read_only))  # editorial: first
    boxes.append(ContactBox(services.settings, ops, read_only=services.read_only))
    database_box = DatabaseBox(database_location_service(services, started_with))  # where the data lives
    boxes.append(database_box)
    settings = SettingsPage(services.settings, locations, extra_boxes=boxes, ops=ops)
    screens = dict(zip((key for key, _title in SCREENS), (inbox, calendar, consent, people, insights, settings),
                       strict=True))
    pages = [PageSpec(key, title, screens[key]) for key, title in SCREENS]
    if window is None:
        window = MainWindow(pages, _database_label(services))
    else:
        window.fill(pages, _database_label(services))
    window.attach(ops)  # every screen hears of every change (docs/architecture.md, "How a change travels")
    window.server_banner.set_server(_server_host(services.database_url))  # named when a team server goes away
    window.import_requested.connect(inbox.import_file)
    window.paste_requested.connect(inbox.paste_post)
    window.print_requested.connect(calendar.print_month)
    window.print_preview_requested.connect(calendar.print_preview)
    window.export_pdf_requested.connect(calendar.export_pdf)
    window.export_ics_requested.connect(calendar.export_ics)
    window.policy_sheet_requested.connect(lambda: open_policy_sheet(window, papers))
    window.move_to_server_requested.connect(lambda: _open_move_to_server(window, services))
    database_box.restart_requested.connect(lambda: _close_to_restart(window))
    if backups_box is not None:
        backups_box.restored.connect(lambda summary: window.show_message(summary, 20_000))
        backups_box.restored.connect(lambda _summary: ops.announce(Changes.everything()))
    startup = StartupTasks(window, services, ops, backups_box)
    risk_box.model_changed.connect(startup.recheck)  # a retrain or a rollback: the review queue is checked again
    startup.start()
    ops.start_watching()
    return window


RESTART_PROPERTY = "medshareRestart"


def _close_to_restart(window: QWidget) -> None:
    """Settings → Database → Restart now: close the window; run() starts the app again once all is closed."""
    window.setProperty(RESTART_PROPERTY, True)
    window.close()


def relaunch_command(argv: list[str], executable: str, frozen: bool) -> list[str]:
    """The command that starts this app again with the same options: the bundle's own executable, or this
    Python running the package (whether it was started as `medshare`, `python -m medshare_desktop` or a script)."""
    if frozen:
        return [executable, *argv[1:]]
    return [executable, "-m", "medshare_desktop", *argv[1:]]


def _relaunch() -> None:
    import subprocess

    command = relaunch_command(sys.argv, sys.executable, bool(getattr(sys, "frozen", False)))
    log.info("starting again on the saved database: %s", command)
    subprocess.Popen(command, close_fds=True, start_new_session=sys.platform != "win32")  # noqa: S603 - our own program


def _open_move_to_server(window: MainWindow, services: Services) -> None:
    """File → Move to a team server…: the dialog runs the move in a worker and shows the report."""
    from PySide6.QtCore import Qt

    from medshare_desktop.ui.settings.move_to_server_dialog import MoveToServerDialog

    dialog = MoveToServerDialog(services.server_move, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.moved.connect(lambda report: window.show_message(report.summary(), 30_000))
    dialog.open()


class StartupTasks(QObject):
    """The work started once the window is up: what this login may change, the risk engine, the consent notice,
    the daily backup.
    A child of the window, so its workers live as long as the window does."""

    def __init__(self, window: MainWindow, services: Services, ops: Operations, backups_box: BackupsBox | None) -> None:
        super().__init__(window)
        self.setObjectName("startupTasks")
        self._window, self._services, self._ops, self._backups_box = window, services, ops, backups_box
        self.engine = TaskRunner(self, engine_pool())  # one job at a time, in the order asked (engine_pool)
        self.model = TaskRunner(self, engine_pool())  # the team's model, when another desk changed it
        self.notice = TaskRunner(self)
        self.backup = TaskRunner(self)
        self.login = TaskRunner(self)
        ops.changes_applied.connect(self._on_ops_changes_applied)

    def start(self) -> None:
        _read_login_abilities(self._window, self._services, self.login)
        _load_risk_engine(self._window, self._services, self.engine, self._ops)
        _notify_expiring_consents(self._window, self._services, self.notice)
        _daily_backup(self._window, self._services, self._backups_box, self.backup)

    def recheck(self, report: tuple[str, Changes] | None = None) -> None:
        """Check the posts under review again with the engine now in use (after a retrain or a rollback, here or
        on another desk), saying so with `report` (default RECHECKED)."""
        if self._window.abilities.posts:  # a login that may not store findings has nothing to re-check
            self._analyse(self._services.risk.recheck_after_update, report or RECHECKED)

    def _on_ops_changes_applied(self, changes: Changes, initiator: object) -> None:
        """Posts imported elsewhere (the command line, another desk) are checked here too, once the engine is up;
        a model another desk trained or rolled back to is run here from then on."""
        if initiator is None and changes.posts_added:
            self._analyse(self._services.risk.analyze_unanalysed, ANALYSED)
        if initiator is None and changes.team_model and not self._services.read_only:
            self.model.start(self._services.learning.sync_from_team, key="team model", on_done=self._on_team_model,
                             on_error=lambda exc, _details: log.warning("team model not synced: %s", type(exc).__name__))

    def _on_team_model(self, changed: bool) -> None:
        if changed:  # the engine runs it already (TeamModelTrainer.install); the queue is checked with it
            self._window.show_message(TEAM_MODEL_ARRIVED, 15_000)
            self._ops.announce(Changes(settings=TEAM_MODEL_SETTINGS), self)  # Settings → Risk engine says which
            self.recheck(TEAM_RECHECKED)

    def _analyse(self, job: Callable[[], int], report: tuple[str, Changes]) -> None:
        """Run an analysis job of the risk service in the engine's worker, once the engine is up, and say
        what it did (the inbox and calendar hear of it)."""
        if not self._services.risk.ready or self._services.read_only:
            return  # not loaded yet (start-up runs both jobs), or this desk cannot store findings
        self.engine.start(job, key=report[0], on_done=lambda count: _report(self._window, self._ops, report, count, self),
                          on_error=lambda exc, _details: log.warning("analysis failed: %s", type(exc).__name__))


# what each analysis job says when it did something, and the change the screens hear of: new posts analysed
# (lists of posts are out of date), or findings of posts already listed changed (not known which)
RECHECKED = ("The risk engine has changed: {} post(s) awaiting review were checked again.",
             Changes(kinds=frozenset({"posts"})))
ANALYSED = ("Risk engine analysed {} new post(s).", Changes(posts_added=True))
TEAM_MODEL_ARRIVED = "Another desk changed the team's risk model (Settings → Risk engine); it is in use here now."
TEAM_RECHECKED = ("Another desk changed the team's risk model; it is in use here now, and {} post(s) awaiting review "
                  "were checked again with it.", Changes(kinds=frozenset({"posts"})))


def _report(window: MainWindow, ops: Operations, job: tuple[str, Changes], count: int, initiator: object = None) -> None:
    if count:
        message, changes = job
        window.show_message(message.format(count))
        ops.announce(changes, initiator)  # their risk shows in the inbox, their flags in the calendar


def _read_login_abilities(window: MainWindow, services: Services, runner: TaskRunner) -> None:
    """What this login may change, asked of the team server in a worker: the screens disable what it may not
    (everything stays enabled on a file, and if the question fails: the server's refusal is the real guard)."""

    def failed(exc: BaseException, _details: str) -> None:
        log.warning("could not read what this login may change: %s", type(exc).__name__)

    runner.start(services.login.abilities, on_done=window.set_abilities, on_error=failed)


def _daily_backup(window: MainWindow, services: Services, box: BackupsBox | None, runner: TaskRunner) -> None:
    """The day's rotating backup, taken in a worker shortly after start-up (nothing when one is recent)."""
    backups = services.backups
    if backups is None or services.read_only:
        return

    def done(made: object) -> None:
        if made is not None:
            log.info("daily backup taken")
            if box is not None:
                box.refresh()

    def failed(exc: BaseException, _details: str) -> None:
        log.warning("daily backup failed: %s", type(exc).__name__)
        window.show_message(f"The daily backup could not be taken: {exc}", 15_000)

    _later(window, 1_000, lambda: runner.start(backups.daily_backup_if_due, on_done=done, on_error=failed))


def _later(window: QWidget, msec: int, task: Callable[[], object]) -> None:
    """A start-up task a moment after the window is up, unless the window has been closed meanwhile (a window
    closed at once must not start reading a database that is being closed)."""
    QTimer.singleShot(msec, window, lambda: task() if window.isVisible() else None)


def _show_instance_notice(window: MainWindow, notice: str, read_only: bool) -> None:
    if not notice:
        return
    window.show_message(notice, 0 if read_only else 20_000)
    if read_only:
        window.setWindowTitle(window.windowTitle() + " — read-only")
        box = QMessageBox(QMessageBox.Icon.Information, "Database in use", notice, QMessageBox.StandardButton.Ok, window)
        box.setObjectName("readOnlyNotice")
        QTimer.singleShot(0, box.open)


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


def _notify_expiring_consents(window: MainWindow, services: Services, runner: TaskRunner) -> None:

    def show(items: list[ExpiringConsent]) -> None:
        text = expiry_notice(items)
        if not text:
            return
        window.show_message(f"{len(items)} consent(s) end this week — see the Consent screen.", 20_000)
        box = QMessageBox(QMessageBox.Icon.Information, "Consent ending this week", text,
                          QMessageBox.StandardButton.Ok, window)
        box.setObjectName("expiryNotice")
        box.open()

    _later(window, 300, lambda: runner.start(services.consent.expiring_within, 7, on_done=show))


def _load_risk_engine(window: MainWindow, services: Services, runner: TaskRunner, ops: Operations) -> None:
    """spaCy loads in a worker after the window is up; the status bar tells when it is ready."""
    started = time.perf_counter()

    def loaded(_result: object) -> None:
        window.set_engine_status(f"Risk engine: ready ({time.perf_counter() - started:.1f} s)")
        if not window.isVisible():  # closed while the engine loaded: nothing to analyse for
            return
        if not window.abilities.posts:  # known already (read first at start-up): findings could not be stored
            window.set_engine_status("Risk engine: ready (this login cannot store findings)")
            return
        if services.read_only:  # a second window on the same file: the first one checks and stores
            window.set_engine_status("Risk engine: ready (read-only window: findings are not stored)")
            return
        # first the posts under review, if the engine changed since they were checked; then the new posts
        runner.start(services.risk.recheck_after_update, on_done=_rechecked, on_error=not_stored)

    def _rechecked(count: int) -> None:
        _report(window, ops, RECHECKED, count)
        runner.start(services.risk.analyze_unanalysed, on_done=lambda n: _report(window, ops, ANALYSED, n),
                     on_error=not_stored)

    def not_stored(exc: BaseException, details: str) -> None:
        if not isinstance(exc, PermissionDeniedError):
            failed(exc, details)
            return
        # a team server login that may only read (a viewer): the engine runs, its findings are not stored
        window.set_engine_status("Risk engine: ready (this login cannot store findings)")

    def failed(exc: BaseException, _details: str) -> None:
        window.set_engine_status("Risk engine: not available")
        window.show_message(f"The risk engine could not start: {exc}", 15000)

    _later(window, 0, lambda: runner.start(services.risk.load, on_done=loaded, on_error=failed))


def _open_services(args: argparse.Namespace) -> tuple[Services, InstanceGuard | None]:
    """The services over the chosen database; a second instance on the same file gets them read-only."""
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.storage.database import sqlite_file
    from medshare_desktop.storage.instance_guard import acquire_instance

    if args.demo:
        return _open_demo(args)
    from medshare_desktop.paths import backup_dir
    from medshare_desktop.storage.file_check import check_database_file

    check_database_file(database_url(args.db), backup_dir())  # what the file is, before the lock file beside it
    db_file = sqlite_file(database_url(args.db))
    guard = acquire_instance(db_file, wait_seconds=INSTANCE_WAIT_SECONDS) if db_file else None
    try:
        services = build_services(args.db, read_only=bool(guard and guard.read_only))
    except BaseException:
        if guard is not None:
            guard.release()
        raise
    if services.read_only:
        return services, guard
    chosen = database_source(args.db) != "default"  # --db, MEDSHARE_DB or Settings → Database (a team server)
    if not chosen and not services.people.list_people() and services.posts.count(_all_posts()) == 0:
        from medshare_desktop.demo_data import seed_demo

        log.info("first run on an empty default database: adding the demo data set")
        seed_demo(services)
    return services, guard


def _open_demo(args: argparse.Namespace) -> tuple[Services, InstanceGuard | None]:
    """--demo: a throw-away database; --demo --db FILE fills that (empty) file, holding it as any window does."""
    from medshare_desktop.core.errors import DatabaseError
    from medshare_desktop.demo_data import demo_services
    from medshare_desktop.storage.database import sqlite_file
    from medshare_desktop.storage.instance_guard import acquire_instance

    db_file = sqlite_file(database_url(args.db)) if args.db else None
    guard = acquire_instance(db_file, wait_seconds=INSTANCE_WAIT_SECONDS) if db_file else None
    if guard is not None and guard.read_only:
        holder = f"process {guard.owner.get('pid', '?')} on {guard.owner.get('hostname') or 'an unknown computer'}"
        raise DatabaseError(
            f"MedShare Desktop is already open on {db_file} ({holder}). --demo fills the database it opens, so it "
            "cannot share one: close the other window, or leave out --db for a throw-away demo."
        )
    try:
        return demo_services(url=args.db), guard  # --demo --db fills that (empty) database
    except BaseException:
        if guard is not None:
            guard.release()
        raise


def _all_posts():  # type: ignore[no-untyped-def]
    from medshare_desktop.core.ports import PostFilter

    return PostFilter()


def open_services_or_recover(args: argparse.Namespace) -> tuple[Services, InstanceGuard | None, str] | None:
    """The services, the instance guard and a notice; None when the user quits.

    When the database cannot be opened, DatabaseProblemDialog says why before any window; when a
    usable backup was found it offers to restore it (the unusable file is kept beside, renamed), then
    opens the restored database and returns what was restored as the notice.
    """
    from pathlib import Path

    from medshare_desktop.core.errors import DatabaseError, DatabaseFileError
    from medshare_desktop.storage.instance_guard import acquire_instance
    from medshare_desktop.ui.shared.database_problem_dialog import DatabaseProblemDialog

    try:
        services, guard = _open_services(args)
        return services, guard, ""
    except DatabaseFileError as exc:
        problem: MedshareError = exc
    except MedshareError as exc:
        problem = exc
    sys.stderr.write(f"medshare: error: {problem}\n")
    backup = problem.backup if isinstance(problem, DatabaseFileError) and problem.restorable else None
    # a team server saved in Settings → Database that cannot be opened: this computer's file, this once
    local = str(default_db_path()) if not args.demo and database_source(args.db) == "saved" else None
    dialog = DatabaseProblemDialog(str(problem), backup, local_database=local)
    dialog.exec()
    if local is not None and dialog.local_chosen():
        args.db, args.database_fallback = local, True
        return open_services_or_recover(args)
    if backup is None or not dialog.restore_chosen():
        return None
    assert isinstance(problem, DatabaseFileError)
    from medshare_desktop.recovery import restore_database

    try:
        with acquire_instance(problem.path) as guard:
            if guard.read_only:
                raise DatabaseError(f"{guard.notice} Close it before restoring.")
            report = restore_database(Path(backup), Path(problem.path))
        services, guard = _open_services(args)
    except MedshareError as exc:
        log.warning("restore at start-up failed: %s", type(exc).__name__)
        DatabaseProblemDialog(f"The backup could not be restored: {exc}").exec()
        return None
    log.info("newest backup restored at start-up")
    return services, guard, report.summary()


def app_icon() -> QIcon:
    """The app icon at every size drawn in resources/icons, so title bars and taskbars get a crisp one."""
    icon = QIcon()
    for png in sorted(resource_path("icons").glob("medshare-*.png")):
        icon.addFile(str(png))
    return icon


def _until_painted(app: QApplication, window: QWidget, limit_s: float = 0.5) -> None:
    """Let the window reach the screen before the GUI thread opens the database."""
    handle = window.windowHandle()
    deadline = time.perf_counter() + limit_s
    while time.perf_counter() < deadline and handle is not None and not handle.isExposed():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    app.processEvents()


def run(args: argparse.Namespace) -> int:
    configure_logging(args.verbose)
    log.info("MedShare Desktop %s starting", __version__)
    previous_handler = install_platform_failure_handler()  # names missing system libraries, if any
    app = QApplication.instance() or QApplication(sys.argv[:1])
    qInstallMessageHandler(previous_handler)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("medshare-desktop")  # the menu entry the Linux packages install (Wayland taskbars)
    install_excepthook()
    window = opening_window()
    window.show()
    _until_painted(app, window)
    opened = open_services_or_recover(args)
    if opened is None:
        window.close()
        return 2
    services, guard, restored = opened
    started_with = "fallback" if getattr(args, "database_fallback", False) else database_source(args.db)
    build_main_window(services, window, started_with="--demo" if args.demo else started_with)
    if restored:  # a box, not only the status bar: later messages would replace it before it is read
        window.show_message(restored, 30_000)
        notice = QMessageBox(QMessageBox.Icon.Information, "Backup restored", restored,
                             QMessageBox.StandardButton.Ok, window)
        notice.setObjectName("restoredNotice")
        QTimer.singleShot(0, notice.open)
    if guard is not None:
        _show_instance_notice(window, guard.notice, guard.read_only)
    code = app.exec()
    if window.operations is not None:
        window.operations.stop_watching()
        window.operations.wait(10_000)  # let a queued write finish
    wait_for_background_work(10_000)  # the engine's job under way, and a running task
    services.close()
    if guard is not None:
        guard.release()  # before the new instance starts, so it opens the file for writing
    if window.property(RESTART_PROPERTY):
        _relaunch()
    return int(code)
