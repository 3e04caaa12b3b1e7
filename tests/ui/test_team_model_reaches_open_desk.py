"""A desk that is open when another desk retrains the team's model ("Learn from our decisions") runs the new
model from then on, without a restart: the window says so, Settings → Risk engine says which model is in
use, and the sentence the team taught is judged the way it taught. The other desk is its own process doing a
real retrain on the same database (a SQLite file, or a team server that tells of the change)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from medshare_desktop.core.models import RiskCategory
from tests.core.team_decisions import DECISIONS
from tests.reliability.cli_imports import ROOT

pytest.importorskip("medshare_desktop.analysis.learning")


@pytest.fixture
def desk_b(db_url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    from medshare_desktop.analysis import engine
    from medshare_desktop.bootstrap import build_services

    services = build_services(db_url, actor="desk-b", models_folder=tmp_path / "desk-b")  # the real engine
    yield services
    services.close()
    if engine._default_engine is not None:  # noqa: SLF001 - one engine per process: the next test gets the shipped head
        engine._default_engine.reload_head(None)  # noqa: SLF001


def test_a_model_another_desk_trains_is_run_by_the_open_desk_at_once(
    qtbot, db_url: str, tmp_path: Path, desk_b, show_main_window
) -> None:
    from medshare_desktop.app import TEAM_MODEL_ARRIVED, StartupTasks
    from medshare_desktop.team_trainer import TeamModelTrainer

    window = show_main_window(desk_b)
    messages: list[str] = []
    window.statusBar().messageChanged.connect(messages.append)
    startup = window.findChild(StartupTasks)
    engine_status = window.findChild(QLabel, "engineStatus")
    qtbot.waitUntil(lambda: "ready" in engine_status.text() and not startup.engine.busy(), timeout=90_000)
    taught, words = DECISIONS[2][0], DECISIONS[2][1]  # marked unprofessional by the team on the other desk

    def unprofessional_here() -> bool:
        found = desk_b.risk.analyze_text(taught)
        return any(f.category is RiskCategory.UNPROFESSIONAL and words in f.text for f in found)

    assert not unprofessional_here()  # the shipped model misses it
    other = subprocess.run(
        [sys.executable, "-m", "tests.core.team_decisions", db_url, str(tmp_path / "desk-a")],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert other.returncode == 0 and "accepted=True" in other.stdout, other.stderr[-2000:]

    qtbot.waitUntil(lambda: TEAM_MODEL_ARRIVED in messages, timeout=60_000)
    qtbot.waitUntil(lambda: not startup.model.busy(), timeout=30_000)
    # the other desk imported the four posts it learnt from and did not check them with its new model: this one does
    qtbot.waitUntil(lambda: any(m.startswith("Another desk changed the team's risk model; it is in use here now, and")
                                and "post(s) awaiting review were checked again" in m for m in messages), timeout=60_000)
    assert TeamModelTrainer(tmp_path / "desk-b").export_active() == TeamModelTrainer(tmp_path / "desk-a").export_active()
    assert unprofessional_here()  # the running engine switched: no restart
    box = window.findChild(QLabel, "activeModel")
    window.show_page("settings")
    qtbot.waitUntil(lambda: "In use: Trained" in box.text() and "on 4 of the team's decisions" in box.text(),
                    timeout=20_000)
