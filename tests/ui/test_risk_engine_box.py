"""Settings → Risk engine with real services on a real SQLite file: our places, and learning from the
team's decisions (retrain in a worker with progress and Cancel, refusal, rollback), each audited."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool

from medshare_desktop.core.models import RiskCategory


@pytest.fixture
def analyzer_factory() -> None:
    """The real spaCy engine (not the UI tests' stub): what it misses and what our places add is the point."""
    return None

@pytest.fixture
def box(qtbot, services):
    from medshare_desktop.ui.settings.risk_engine_box import RiskEngineBox

    widget = RiskEngineBox(services.learning, services.settings)
    qtbot.addWidget(widget)
    widget.resize(900, 600)
    widget.show()
    yield widget
    QThreadPool.globalInstance().waitForDone(120_000)


def _actions(services, entity: str) -> list[str]:
    from medshare_desktop.storage import unit_of_work_factory

    with unit_of_work_factory(services.database)() as tx:
        return [e.action for e in tx.audit.all() if e.entity == entity]


def test_our_places_are_saved_audited_and_flagged_near_a_patient(qtbot, box, services) -> None:
    for place in ("4 North", "Gorseway", "gorseway"):
        box.new_place.setText(place)
        box._on_add_place_clicked()
    assert box.place_list() == ["4 North", "Gorseway"]
    box.save_places.click()
    qtbot.waitUntil(lambda: "Saved 2 place(s)" in box.outcome.text(), timeout=10_000)
    assert services.settings.our_places() == ["4 North", "Gorseway"]
    context = services.risk.context()
    near = services.risk.analyze_text("We admitted a 62-year-old man from Gorseway last night.", context)
    assert any(f.text == "Gorseway" and f.category is RiskCategory.PHI for f in near)
    staff = services.risk.analyze_text("The 4 North nurses threw a potluck on Friday.", context)
    assert not any(f.text == "4 North" for f in staff)
    assert "settings.our_places_changed" in _actions(services, "setting")


# --- Learn from our decisions (the real learning module, sentence encoder and shipped head) -------------

# (post text, marked words, category): one missed risk per sentence label, so none is held back to judge
# the new model by (a single held-back sentence decides by luck), and one PHI mark
DECISIONS = [
    ("Held her hand in bay 3 while her son drove in through the snow.",
     "Held her hand in bay 3", RiskCategory.PATIENT_STORY),
    ("Didn't get a great sleep on call last night. Three cases this morning.",
     "Didn't get a great sleep on call last night", RiskCategory.DISCOVERABLE),
    ("Coffee number six and the OR list is still going, send help.",
     "Coffee number six", RiskCategory.UNPROFESSIONAL),
    ("Told my neighbour to double her metformin until the rash settles, easy fix.",
     "double her metformin", RiskCategory.MEDICAL_ADVICE),
    ("Lovely chat with Mrs. Abernethy from Gorseway before her discharge.", "Gorseway", RiskCategory.PHI),
]


def _seed_decisions(services) -> None:
    from datetime import UTC, datetime

    from medshare_desktop.core.models import ImportedPost, Platform
    from medshare_desktop.core.ports import PostFilter

    posts = [ImportedPost(Platform.LINKEDIN, text, datetime(2026, 11, 1 + i, 8, tzinfo=UTC), author="Dr. Ortega",
                          external_id=f"team-{i}") for i, (text, _w, _c) in enumerate(DECISIONS)]
    services.posts.store_imported(posts, [], "test")
    by_text = {row.id: services.posts.get(row.id) for row in services.posts.query(PostFilter(), 0, 50)}
    for post in by_text.values():
        text, words, category = next(d for d in DECISIONS if d[0] == post.text)
        start = text.index(words)
        services.missed_risks.mark(post.id, start, start + len(words), category, "")


def _learning_box(qtbot, services, tmp_path, train_settings=None):
    pytest.importorskip("medshare_desktop.analysis.learning")
    from medshare_desktop.core.services.team_learning_service import TeamLearningService
    from medshare_desktop.storage import unit_of_work_factory
    from medshare_desktop.team_trainer import TeamModelTrainer
    from medshare_desktop.ui.settings.risk_engine_box import RiskEngineBox

    _seed_decisions(services)
    trainer = TeamModelTrainer(tmp_path / "models", train_settings)
    learning = TeamLearningService(unit_of_work_factory(services.database), services.audit, trainer)
    widget = RiskEngineBox(learning, services.settings)
    qtbot.addWidget(widget)
    widget.show()
    widget.refresh()
    qtbot.waitUntil(widget.learn_button.isEnabled, timeout=10_000)
    return widget, learning


@pytest.fixture
def shipped_head_afterwards():
    """A test that installs a team head leaves the process's shared engine on the shipped one."""
    yield
    from medshare_desktop.analysis import engine

    if engine._default_engine is not None:
        engine._default_engine.reload_head(None)


def test_the_box_counts_the_decisions_and_says_phi_ones_do_not_train_it(qtbot, services, tmp_path) -> None:
    box, _learning = _learning_box(qtbot, services, tmp_path)
    assert "4 decision(s) to learn from: 0 “not a risk” and 4 missed risk(s)" in box.decisions.text()
    assert "1 decision(s) about patient identifiers or consent are kept" in box.decisions.text()
    assert box.active.text() == "In use: The model shipped with MedShare Desktop."
    assert not box.rollback_button.isEnabled()


def test_learning_puts_a_new_model_in_use_and_one_click_rolls_it_back(
    qtbot, services, tmp_path, shipped_head_afterwards
) -> None:
    box, learning = _learning_box(qtbot, services, tmp_path)
    taught = DECISIONS[2][0]  # the team marked "Coffee number six" in it as unprofessional

    def unprofessional() -> list[str]:
        return [f.rule for f in services.risk.analyze_text(taught) if f.category is RiskCategory.UNPROFESSIONAL]

    assert unprofessional() == []  # the shipped engine misses it (and the shared engine is now running)
    box.learn_button.click()
    assert box.cancel_button.isEnabled() and box.progress.isVisible()
    qtbot.waitUntil(lambda: box.cancel_button.isEnabled() is False and "model" in box.outcome.text(), timeout=300_000)
    assert box.outcome.text().startswith("The new model is in use"), box.outcome.text()
    assert "shipped validation set" in box.outcome.text() and "too few of your decisions" in box.outcome.text()
    qtbot.waitUntil(lambda: box.active.text().startswith("In use: Trained on"), timeout=10_000)
    assert "on 4 of the team's decisions" in box.active.text()
    assert learning.active_model().team
    assert unprofessional() == ["model.sentence.unprofessional"]  # the running engine learned it
    box.rollback_button.click()
    qtbot.waitUntil(lambda: box.outcome.text().startswith("Rolled back"), timeout=10_000)
    assert not learning.active_model().team
    assert unprofessional() == []
    assert box.active.text() == "In use: The model shipped with MedShare Desktop."
    actions = _actions(services, "risk_model")
    assert actions == ["risk_model.retrained", "risk_model.rolled_back"]
    assert services.audit.verify() == []


def test_a_worse_model_is_refused_and_nothing_changes(qtbot, services, tmp_path) -> None:
    from medshare_desktop.analysis.sentence_head import TrainSettings

    # one pass at a tiny step leaves the new head untrained: worse on the shipped validation set
    box, learning = _learning_box(qtbot, services, tmp_path, TrainSettings(epochs=1, learning_rate=1e-7))
    box.learn_button.click()
    qtbot.waitUntil(lambda: box.outcome.text().startswith("Nothing changed"), timeout=120_000)
    assert "worse on the shipped validation set" in box.outcome.text()
    assert not learning.active_model().team and not (tmp_path / "models" / "sentence_head" / "current").exists()
    assert _actions(services, "risk_model") == ["risk_model.retrain_refused"]


def test_cancel_stops_learning_and_nothing_changes(qtbot, services, tmp_path) -> None:
    box, learning = _learning_box(qtbot, services, tmp_path)
    box.learn_button.click()
    box.cancel_button.click()
    qtbot.waitUntil(lambda: box.outcome.text().startswith("Cancelled"), timeout=120_000)
    assert box.learn_button.isEnabled() and not box.progress.isVisible()
    assert not learning.active_model().team and not (tmp_path / "models" / "sentence_head" / "current").exists()
    assert _actions(services, "risk_model") == ["risk_model.retrain_cancelled"]
