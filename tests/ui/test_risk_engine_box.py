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
