"""People → social accounts, offscreen: adding or editing an account links the earlier posts from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtWidgets import QPushButton

from medshare_desktop.core.models import Person, Platform, SourceAccount
from medshare_desktop.core.ports import PostFilter

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


@pytest.fixture
def page(qtbot, services):
    from medshare_desktop.ui.people.people_page import PeoplePage

    widget = PeoplePage(services.people)
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    yield widget
    QThreadPool.globalInstance().waitForDone(30_000)


def _open(qtbot, page, person_id: int) -> None:
    page.refresh()
    qtbot.waitUntil(lambda: page.list.count() > 0, timeout=10_000)
    page.select(person_id)
    qtbot.waitUntil(lambda: page.current_person() is not None and page.current_person().id == person_id,
                    timeout=10_000)


def test_adding_an_account_links_the_posts_already_imported_from_it(qtbot, page, services) -> None:
    report = services.imports.import_source(str(DATA / "x_archive"))
    assert len(report.unassigned_ids) == report.new > 0
    rivera = services.people.add_person(Person(None, "Jane Rivera"))
    _open(qtbot, page, rivera.id)
    page.platform.setCurrentIndex(page.platform.findData(Platform.X))
    qtbot.keyClicks(page.handle, "@DrJRivera")
    with qtbot.waitSignal(page.accounts_saved, timeout=10_000) as saved:
        qtbot.mouseClick(page.findChild(QPushButton, "addAccount"), Qt.MouseButton.LeftButton)
    assert saved.args == [report.new]
    assert f"{report.new} earlier post(s) from it are now linked to Jane Rivera" in page.account_status.text()
    assert services.posts.count(PostFilter(person_id=rivera.id)) == report.new


def test_editing_a_handle_in_the_table_links_the_posts_from_the_new_handle(qtbot, page, services) -> None:
    report = services.imports.import_source(str(DATA / "x_archive"))
    rivera = services.people.add_person(Person(None, "Jane Rivera"))
    services.people.add_account(SourceAccount(None, rivera.id, Platform.X, "@jrivera_typo"))
    assert services.posts.count(PostFilter(person_id=rivera.id)) == 0
    _open(qtbot, page, rivera.id)
    qtbot.waitUntil(lambda: page.accounts.rowCount() == 1 and page.accounts.item(0, 1) is not None, timeout=10_000)
    with qtbot.waitSignal(page.accounts_saved, timeout=10_000) as saved:
        page.accounts.item(0, 1).setText("@drjrivera")  # what an edit in the cell does
    assert saved.args == [report.new]
    assert [a.handle for a in services.people.accounts(rivera.id)] == ["@drjrivera"]
    assert services.posts.count(PostFilter(person_id=rivera.id)) == report.new
    qtbot.waitUntil(lambda: page.accounts.item(0, 1).text() == "@drjrivera", timeout=10_000)
