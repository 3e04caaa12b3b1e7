"""The risk engine's jobs in an open window run one at a time, in the order they were asked for: a check of the
review queue with the team's new model must not run beside a check of new posts still using the model it
replaces (it would skip them, and they would keep the old model's findings)."""

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
