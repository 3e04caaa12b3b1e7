"""The risk engine's jobs in an open window run one at a time, in the order they were asked for: a check of the
review queue with the team's new model must not run beside a check of new posts still using the model it
replaces (it would skip them, and they would keep the old model's findings). That holds for posts imported in the
window as for those another desk or the command line stored."""

from __future__ import annotations

import threading
import time

from PySide6.QtWidgets import QLabel


def test_a_second_engine_job_waits_for_the_one_running(qtbot, main_window) -> None:
    from medshare_desktop.app import StartupTasks

    startup = main_window.findChild(StartupTasks)
    status = main_window.findChild(QLabel, "engineStatus")
    qtbot.waitUntil(lambda: "ready" in status.text() and not startup.engine.busy(), timeout=90_000)
    first_running, release = threading.Event(), threading.Event()
    log: list[str] = []

    def checking_new_posts() -> int:
        first_running.set()
        log.append("new posts: start")
        release.wait(10)
        log.append("new posts: end")
        return 0

    def switching_model() -> bool:
        log.append("team model")
        return False

    def checking_queue_again() -> int:
        log.append("queue again")
        return 0

    startup.engine.start(checking_new_posts, key="analyse")
    assert first_running.wait(10)
    startup.model.start(switching_model, key="team model")
    startup.engine.start(checking_queue_again, key="recheck")
    time.sleep(0.5)  # time enough for either to start on a free thread
    assert log == ["new posts: start"], "an engine job ran beside another one"
    release.set()
    qtbot.waitUntil(lambda: len(log) == 4, timeout=10_000)
    assert log == ["new posts: start", "new posts: end", "team model", "queue again"]


def test_the_check_of_posts_imported_in_the_window_queues_behind_the_engine_job_under_way(
    qtbot, main_window, demo_services, tmp_path
) -> None:
    from medshare_desktop.app import StartupTasks
    from medshare_desktop.core.ports import PostFilter

    startup = main_window.findChild(StartupTasks)
    status = main_window.findChild(QLabel, "engineStatus")
    qtbot.waitUntil(lambda: "ready" in status.text() and not startup.engine.busy(), timeout=90_000)
    unchecked = PostFilter(unanalysed_only=True)
    assert demo_services.posts.count(unchecked) == 0
    running, release = threading.Event(), threading.Event()

    def switching_model() -> bool:  # the team's new model being installed
        running.set()
        release.wait(10)
        return False

    startup.model.start(switching_model, key="team model")
    assert running.wait(10)
    source = tmp_path / "desk.csv"
    source.write_text("text,posted_at,platform,author,handle,external_id\n"
                      "Mr. Okafor in bed 12 went home today.,2026-12-07T09:00:00Z,linkedin,,,queued-1\n",
                      encoding="utf-8")
    inbox = main_window.page("inbox")
    inbox.importer.start_import(str(source))
    qtbot.waitUntil(lambda: demo_services.posts.count(unchecked) == 1, timeout=20_000)  # stored, not yet checked
    time.sleep(0.5)
    assert demo_services.posts.count(unchecked) == 1, "the new post was checked beside the model switch"
    release.set()
    qtbot.waitUntil(lambda: demo_services.posts.count(unchecked) == 0, timeout=30_000)
