"""Two desks on one database may run different risk engines for a while (one updated first, one with the team's
retrained head). Each desk checks the review queue again when its own engine changed, but does not undo the
check another desk made since with its engine: otherwise every start of either desk checked the whole queue
again and wrote "not found again" into the posts' history back and forth. A database restored from before the
desk's own check is checked again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from medshare_desktop.analysis import RiskEngine
from medshare_desktop.analysis.sentence_head import shipped_head_dir
from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.ports import PostFilter

POSTS = [
    "Mrs. Delacroix in room 412 finally went home today after her hip surgery.",
    "Proud of our ward team for the charity bake sale today.",
]


class _DeskEngine:
    """A desk's risk engine: the real engine on that desk's head (each desk runs its own in real life; one test
    process shares the app's default engine, so each desk here gets its own RiskEngine)."""

    def __init__(self, models: Path) -> None:
        current = models / "sentence_head" / "current"
        self.engine = RiskEngine(head_dir=current if current.is_dir() else None)

    def analyze(self, text: str, context=None):  # type: ignore[no-untyped-def]
        return self.engine.analyze(text, context)

    def fingerprint(self) -> str:
        return self.engine.fingerprint()


def _desk(db_url: str, models: Path):  # type: ignore[no-untyped-def]
    engine = _DeskEngine(models)
    services = build_services(db_url, actor="tester", models_folder=models, analyzer_factory=lambda: engine)
    services.risk.load()
    return services


def _with_a_team_head(models: Path, examples: int = 12) -> Path:
    """A desk whose team retrained its head (the shipped weights under other settings: another engine)."""
    current = models / "sentence_head" / "current"
    current.mkdir(parents=True)
    shutil.copy(shipped_head_dir() / "head.npz", current / "head.npz")
    settings = json.loads((shipped_head_dir() / "head.json").read_text("utf-8"))
    settings["trained_on"]["team_examples"] = examples
    (current / "head.json").write_text(json.dumps(settings), encoding="utf-8")
    return models


def _engine_changes(services) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for e in services.audit.history("setting", None) if e.action == "risk.engine_changed")


def _history_lengths(services) -> list[int]:  # type: ignore[no-untyped-def]
    return [len(services.audit.history("post", row.id)) for row in services.posts.query(PostFilter())]


def test_desks_with_different_engines_do_not_check_the_queue_back_and_forth(db_url: str, tmp_path: Path) -> None:
    first = _desk(db_url, tmp_path / "desk-a")
    for text in POSTS:
        first.imports.import_pasted(text)
    assert first.risk.recheck_after_update() == 0  # as at start-up: the engine is recorded, then posts analysed
    assert first.risk.analyze_unanalysed() == 2
    second = _desk(db_url, _with_a_team_head(tmp_path / "desk-b"))
    assert second.risk.engine_fingerprint() != first.risk.engine_fingerprint()
    assert second.risk.recheck_after_update() == 2  # its engine differs from the one on record: checked
    first.close()

    # the first desk starts again, its engine unchanged since its own check: the second desk's check stands
    again = _desk(db_url, tmp_path / "desk-a")
    changes, histories = _engine_changes(again), _history_lengths(again)
    assert again.risk.recheck_after_update() == 0
    assert again.settings.engine_fingerprint() == second.risk.engine_fingerprint()
    assert _engine_changes(again) == changes and _history_lengths(again) == histories
    assert second.risk.recheck_after_update() == 0
    again.close()
    second.close()


def test_the_desk_whose_own_engine_changed_checks_the_queue_again(db_url: str, tmp_path: Path) -> None:
    first = _desk(db_url, tmp_path / "desk-a")
    first.imports.import_pasted(POSTS[0])
    first.risk.recheck_after_update()
    first.risk.analyze_unanalysed()
    second = _desk(db_url, _with_a_team_head(tmp_path / "desk-b"))
    assert second.risk.recheck_after_update() == 1
    first.close()
    # the first desk's team retrains too (its own engine changes): it checks the queue with its new engine
    updated = _desk(db_url, _with_a_team_head(tmp_path / "desk-a", examples=30))
    assert updated.risk.recheck_after_update() == 1
    updated.close()
    second.close()


def test_a_database_restored_from_before_the_desks_check_is_checked_again(services, tmp_path: Path) -> None:
    if services.backups is None:
        return  # backups are for a database file; a server has its own (docs/team_mode.md)
    services.imports.import_pasted(POSTS[0])
    services.risk.load()
    services.risk.analyze_unanalysed()
    services.settings.set_engine_fingerprint("an-older-engine", 1)
    before = services.backups.back_up_now()
    assert services.risk.recheck_after_update() == 1  # this desk's check with its engine
    services.backups.restore(before)  # back to what an older engine found
    assert services.settings.engine_fingerprint() == "an-older-engine"
    assert services.risk.recheck_after_update() == 1
