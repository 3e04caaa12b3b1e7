"""The model the team trains from its decisions ("Learn from our decisions") is the team's, not one desk's: it is
kept in the database with what the team trained, and every desk on that database runs it from its next start
(and goes back to the shipped model when the team rolls back). A real retrain on the shipped caches, two desks
(each its own models folder) on one SQLite file or PostgreSQL database."""

from __future__ import annotations

from pathlib import Path

import pytest

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.errors import ValidationError
from tests.core.team_decisions import DECISIONS
from tests.core.team_decisions import teach as _teach

pytest.importorskip("medshare_desktop.analysis.learning")


def _desk(db_url: str, models: Path):  # type: ignore[no-untyped-def]
    return build_services(db_url, actor="tester", models_folder=models)


def test_a_model_retrained_on_one_desk_is_run_by_the_others_and_a_rollback_reaches_them_too(
    db_url: str, tmp_path: Path
) -> None:
    trainer_desk = _desk(db_url, tmp_path / "desk-a")
    _teach(trainer_desk)
    result = trainer_desk.learning.retrain()
    assert result.accepted, result.reason
    trained = trainer_desk.learning._trainer.export_active()  # noqa: SLF001 (the files the engine runs on)
    assert trained is not None and {"head.json", "head.npz", "taught.npz"} <= trained.keys()

    other = _desk(db_url, tmp_path / "desk-b")
    assert not other.learning.active_model().team  # before its engine starts: its own (shipped) model
    assert other.learning.sync_from_team() is True  # as at start-up, before the engine loads
    assert other.learning._trainer.export_active() == trained  # noqa: SLF001
    assert other.learning.active_model().team and "on 4 of the team's decisions" in other.learning.active_model().describe()
    assert other.learning.sync_from_team() is False  # already in use: nothing to do

    trainer_desk.learning.rollback()
    assert not trainer_desk.learning.active_model().team
    assert other.learning.sync_from_team() is True
    assert not other.learning.active_model().team  # back to the shipped model there too
    # that desk kept the model it replaced, but the team has nothing to roll back to: no button, and a refusal
    assert not other.learning.active_model().can_roll_back
    with pytest.raises(ValidationError):
        other.learning.rollback()
    assert not other.learning.active_model().team
    other.close()
    trainer_desk.close()


def test_before_any_desk_retrains_each_desk_keeps_its_own_model(db_url: str, tmp_path: Path) -> None:
    desk = _desk(db_url, tmp_path / "desk-a")
    assert desk.learning.sync_from_team() is False
    assert not desk.learning.active_model().team
    desk.close()


@pytest.mark.sqlite_only  # what is stored does not depend on the database; the first test covers both
def test_the_shared_model_holds_no_sentence_the_team_taught(db_url: str, tmp_path: Path) -> None:
    desk = _desk(db_url, tmp_path / "desk-a")
    _teach(desk)
    assert desk.learning.retrain().accepted
    with desk.database.engine.connect() as conn:
        [value] = conn.exec_driver_sql("SELECT value FROM setting WHERE key = 'risk.team_head'").one()
    import base64
    import json

    files = {name: base64.b64decode(data) for name, data in json.loads(value)["files"].items()}
    for text, words, _category in DECISIONS:
        for blob in files.values():
            assert words.encode("utf-8") not in blob and text.split()[0].encode("utf-8") + b" " not in blob
    desk.close()


@pytest.fixture
def shipped_head_afterwards():  # type: ignore[no-untyped-def]
    """The app's engine is one per process: leave it on the shipped head for the next test."""
    yield
    from medshare_desktop.analysis import engine

    if engine._default_engine is not None:  # noqa: SLF001
        engine._default_engine.reload_head(None)  # noqa: SLF001


@pytest.mark.sqlite_only  # the start-up path is the same on a server (the first test syncs on both)
def test_a_desk_starting_its_engine_runs_the_teams_model(db_url: str, tmp_path: Path, shipped_head_afterwards) -> None:
    trainer_desk = _desk(db_url, tmp_path / "desk-a")
    _teach(trainer_desk)
    assert trainer_desk.learning.retrain().accepted
    trainer_desk.close()
    other = _desk(db_url, tmp_path / "desk-b")
    other.risk.load()  # the app's start-up: the team's model is fetched before the engine starts
    assert other.learning.active_model().team
    head = other.learning._trainer.head_dir()  # noqa: SLF001
    assert head is not None and other.risk.engine_fingerprint() == _engine_fingerprint(head)
    other.close()


def _engine_fingerprint(head: Path) -> str:
    from medshare_desktop.analysis.fingerprint import engine_fingerprint

    return engine_fingerprint(head)
