"""The Insights screen: the report's numbers in its charts' models, reloads on changes, keyboard, PDF and CSV."""

from __future__ import annotations

import csv
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QColor, QPalette

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.models import RiskCategory
from medshare_desktop.core.ports import PostFilter
from tests.core.test_insight_report import PEOPLE, _finding
from tests.core.test_schedule_service_calendar import make_world

NOVEMBER = date(2026, 11, 1)


@pytest.fixture
def world_services(db_url: str, analyzer_factory: object) -> Iterator[object]:
    """Three people in Cardiology with approved October posts; 'today' is 20 November 2026."""
    from medshare_desktop.bootstrap import build_services

    services = build_services(db_url, actor="tester", analyzer_factory=analyzer_factory,
                              today=lambda: date(2026, 11, 20))
    world = make_world(services, PEOPLE, posts=3)
    ada = world["Dr. Ada Quinn"]
    services.schedule.schedule(ada[0], date(2026, 10, 6), allow_past=True)
    services.schedule.schedule(ada[1], date(2026, 11, 3), allow_past=True)
    services.schedule.schedule(world["Dr. Ben Ortiz"][0], date(2026, 11, 17), allow_past=True)
    services.posts.reject(services.posts.get(world["Dr. Cleo Marsh"][2]), "Shows the patient's bed number.")
    services.posts.store_findings(world["Dr. Cleo Marsh"][1], [_finding(RiskCategory.PHI), _finding(RiskCategory.PHI)])
    yield services, world
    services.close()


@pytest.fixture
def page(qtbot, world_services) -> Iterator[object]:
    services, _world = world_services
    from medshare_desktop.ui.insights.insights_page import InsightsPage

    page = InsightsPage(services.insights, "tester")
    qtbot.addWidget(page)
    page.resize(1400, 900)
    page.show()
    qtbot.waitExposed(page)
    page.on_shown()
    qtbot.waitUntil(lambda: page.report is not None, timeout=20_000)
    yield page
    QThreadPool.globalInstance().waitForDone(20_000)


def test_the_screen_shows_who_was_re_shared_and_who_was_not(page) -> None:
    assert page.chosen_month() == NOVEMBER
    people = page.charts["people"].model
    assert people.value("Dr. Ada Quinn") == 2
    assert people.value("Dr. Ada Quinn", "Nov 2026") == 1
    assert people.value("Dr. Ben Ortiz") == 1
    assert people.value("Dr. Cleo Marsh") == 0
    assert page.charts["departments"].model.value("Cardiology", "Nov 2026") == 2
    quarter = page.charts["quarter"].model
    assert (quarter.value("Re-shared"), quarter.value("Not yet re-shared")) == (2, 1)
    assert "Dr. Cleo Marsh" in page.charts["quarter"].chart.note


def test_the_screen_shows_findings_by_month_and_grouped_reasons(page) -> None:
    findings = page.charts["findings"].model
    assert findings.value("Oct 2026", RiskCategory.PHI.label) == 2
    assert findings.value("Nov 2026") == 0
    reasons = page.charts["rejections"].model
    assert reasons.chart.categories == ("Patient privacy",)
    assert reasons.value("Patient privacy") == 1
    assert "bed number" not in page.charts["rejections"].summary()


def test_a_re_share_made_elsewhere_shows_once_the_change_arrives(qtbot, page, world_services) -> None:
    services, world = world_services
    share = services.schedule.schedule(world["Dr. Cleo Marsh"][0], date(2026, 11, 24))
    page.apply_changes(Changes.of(share))
    qtbot.waitUntil(lambda: page.charts["people"].model.value("Dr. Cleo Marsh") == 1, timeout=20_000)
    assert page.charts["quarter"].model.value("Not yet re-shared") == 0


def test_choosing_another_month_counts_that_month(qtbot, page) -> None:
    page.set_month(date(2026, 9, 1))
    qtbot.waitUntil(lambda: page.report is not None and page.report.month == date(2026, 9, 1), timeout=20_000)
    assert page.charts["people"].model.value("Dr. Ada Quinn") == 0  # Oct and Nov are after September
    assert page.charts["quarter"].chart.subtitle.startswith("Q3 2026: 0 of 3")


def test_the_arrow_keys_walk_the_bars_and_say_each_one(qtbot, page) -> None:
    view = page.charts["people"]
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    with qtbot.waitSignal(view.focus_moved) as said:
        qtbot.keyClick(view, Qt.Key.Key_Right)
    assert said.args[0].startswith("Dr. Ada Quinn: 2 re-shares")
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.accessibleDescription() == "Dr. Cleo Marsh: 0 re-shares"
    assert view.accessibleName() == "Re-shares per person"


def test_the_charts_take_their_colours_from_a_dark_theme(qtbot, page) -> None:
    from medshare_desktop.ui.insights.chart_painter import ChartColours

    dark = QPalette(page.palette())
    dark.setColor(QPalette.ColorRole.Window, QColor("#1e1e1e"))
    dark.setColor(QPalette.ColorRole.Base, QColor("#121212"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    colours, light = ChartColours.from_palette(dark), ChartColours.from_palette(QPalette(QColor("#f0f0f0")))
    assert colours.text.lightness() > 200 and colours.series[0].lightness() > light.series[0].lightness()
    page.charts["people"].setPalette(dark)
    page.charts["people"].grab()  # paints without error on the dark palette


def test_the_numbers_export_to_csv(qtbot, page, tmp_path: Path) -> None:
    target = tmp_path / "numbers.csv"
    page.export_csv(str(target))
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved the numbers"), timeout=20_000)
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert ["re-shares per person", "Dr. Ada Quinn", "2026-11", "1"] in rows
    assert ["reasons for rejection", "Patient privacy", "2026-10", "1"] in rows
    assert ["findings by category", RiskCategory.PHI.label, "2026-10", "2"] in rows


def _pdf_text(path: Path) -> str:
    """The PDF's text as pdftotext reads it, ligatures ("ﬀ") spelled out."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", text)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_every_chart_goes_into_one_pdf_and_a_chart_alone_into_its_own(qtbot, page, tmp_path: Path) -> None:
    report, single = tmp_path / "insights.pdf", tmp_path / "people.pdf"
    page.export_pdf(str(report))
    qtbot.waitUntil(lambda: page.status.text().startswith("Saved November 2026 as PDF"), timeout=30_000)
    text = _pdf_text(report)
    for heading in ("Fairness and insight — November 2026", "Active staff re-shared this quarter",
                    "Re-shares per department", "Re-shares per person", "Findings by category per month",
                    "Reasons for rejection", "Page 3 of 3"):
        assert heading in text
    assert "bed number" not in text
    page.status.setText("")
    page.export_pdf(str(single), only="people")
    qtbot.waitUntil(lambda: single.exists() and page.status.text().startswith("Saved"), timeout=30_000)
    alone = _pdf_text(single)
    assert "Re-shares per person" in alone and "Reasons for rejection" not in alone and "Page 1 of 1" in alone


def test_the_window_lists_insights_among_its_screens(qtbot, main_window) -> None:
    main_window.show_page("insights")
    page = main_window.page("insights")
    qtbot.waitUntil(lambda: page.report is not None, timeout=30_000)
    assert page.charts["quarter"].model.value("Re-shared") > 0
    assert len(page.charts["people"].chart.categories) >= 10
    assert PostFilter  # the demo's posts are counted by the same services


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_a_long_list_of_people_goes_on_over_more_pages(qtbot, tmp_path: Path) -> None:
    from medshare_desktop.core.models import Person
    from medshare_desktop.core.rules.reason_groups import ReasonGroups
    from medshare_desktop.core.services.insight_service import build_report
    from medshare_desktop.ui.insights.report_renderer import write_report_pdf

    people = [Person(n, f"Person {n:02d}", department=f"Department {n % 3}") for n in range(1, 61)]
    report = build_report(NOVEMBER, people, [], [], [], ReasonGroups((), "Other reasons"))
    pages = write_report_pdf(tmp_path / "long.pdf", report, "tester")
    text = _pdf_text(tmp_path / "long.pdf")
    assert pages == 4 and "Page 4 of 4" in text
    assert "Re-shares per person (1 of 2)" in text and "Re-shares per person (2 of 2)" in text
    assert "Person 01" in text and "Person 60" in text
