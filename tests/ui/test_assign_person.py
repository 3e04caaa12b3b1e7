"""Whose posts are these, through the real widgets: the question after an import that could not tell,
and "Assign person…" for posts selected in the inbox."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from medshare_desktop.core.models import Person
from medshare_desktop.core.ports import PostFilter

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
CSV = (
    "text,posted_at,platform,author,handle,external_id\n"
    "Proud of our stroke team this month.,2026-10-01T09:00:00Z,linkedin,,,201\n"
    "Flu shots are here: book yours at the front desk.,2026-10-02T09:00:00Z,linkedin,,,202\n"
    "Our night nurses ran the fun run.,2026-10-03T09:00:00Z,linkedin,,,203\n"
)


def _import(qtbot, inbox, path: Path):
    with qtbot.waitSignal(inbox.import_finished, timeout=30_000) as blocker:
        inbox.start_import(str(path))
    return blocker.args[0]


def _dialog(qtbot, inbox):
    qtbot.waitUntil(lambda: inbox.assigner.dialog is not None and inbox.assigner.dialog.isVisible(), timeout=10_000)
    return inbox.assigner.dialog


def _ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_an_archive_nobody_is_linked_to_asks_whose_posts_and_creates_the_person(qtbot, inbox, services) -> None:
    report = _import(qtbot, inbox, DATA / "x_archive")
    dialog = _dialog(qtbot, inbox)
    assert dialog.windowTitle() == "Whose posts are these?"
    assert f"{report.new} new posts could not be linked" in dialog.intro.text()
    assert "Dr. Jane Rivera (@drjrivera, X)" in dialog.intro.text()
    assert dialog.new.isChecked() and dialog.new_name.text() == "Dr. Jane Rivera"  # nobody in People yet
    with qtbot.waitSignal(inbox.assigner.assigned, timeout=10_000):
        _ok(qtbot, dialog)
    [person] = services.people.list_people()
    assert person.name == "Dr. Jane Rivera"
    assert services.posts.count(PostFilter(person_id=person.id)) == report.new == services.posts.count(PostFilter())


def test_an_existing_person_can_be_picked_and_leaving_them_is_an_explicit_choice(qtbot, inbox, services,
                                                                                  tmp_path) -> None:
    services.people.add_person(Person(None, "Dr. Lena Ortiz", department="Cardiology"))
    source = tmp_path / "posts.csv"
    source.write_text(CSV, encoding="utf-8")
    _import(qtbot, inbox, source)
    dialog = _dialog(qtbot, inbox)
    assert "no author named" in dialog.intro.text()
    assert dialog.existing.isChecked() and dialog.new_name.text() == ""
    dialog.nobody.setChecked(True)
    with qtbot.waitSignal(inbox.assigner.left_unassigned, timeout=5_000):
        _ok(qtbot, dialog)
    assert "3 post(s) left without a person" in inbox.count_label.text()
    assert services.posts.count(PostFilter(person_id=services.people.list_people()[0].id)) == 0


def test_a_new_person_needs_a_name_the_dialog_says_so_and_stays_open(qtbot, inbox, services, tmp_path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text(CSV, encoding="utf-8")
    _import(qtbot, inbox, source)
    dialog = _dialog(qtbot, inbox)
    dialog.new.setChecked(True)
    dialog.new_name.clear()
    _ok(qtbot, dialog)
    assert dialog.isVisible() and dialog.error.isVisible() and "name" in dialog.error.text()
    qtbot.keyClicks(dialog.new_name, "Dr. Sam Okafor")
    with qtbot.waitSignal(inbox.assigner.assigned, timeout=10_000):
        _ok(qtbot, dialog)
    assert [p.name for p in services.people.list_people()] == ["Dr. Sam Okafor"]


def test_assign_person_links_the_selected_posts_on_the_record(qtbot, inbox, services, tmp_path) -> None:
    source = tmp_path / "posts.csv"
    source.write_text(CSV, encoding="utf-8")
    _import(qtbot, inbox, source)
    _dialog(qtbot, inbox).reject()  # leave them for now
    lena = services.people.add_person(Person(None, "Dr. Lena Ortiz"))
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 3, timeout=10_000)
    inbox.table.selectRow(0)
    inbox.table.selectionModel().select(
        inbox.model.index(1, 0), inbox.table.selectionModel().SelectionFlag.Select
        | inbox.table.selectionModel().SelectionFlag.Rows
    )
    chosen = inbox.selected_post_ids()
    assert len(chosen) == 2
    inbox.assigner.dialog = None
    qtbot.mouseClick(inbox.assign_button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot, inbox)
    assert dialog.windowTitle() == "Assign a person" and "2 selected posts" in dialog.intro.text()
    dialog.existing.setChecked(True)
    dialog.person.setCurrentIndex(dialog.person.findData(lena.id))
    with qtbot.waitSignal(inbox.assigner.assigned, timeout=10_000) as blocker:
        _ok(qtbot, dialog)
    assert blocker.args == [2]
    assert sorted(r.id for r in services.posts.query(PostFilter(person_id=lena.id))) == sorted(chosen)
    [event] = [e for e in services.audit.history("post", chosen[0]) if e.action == "post.person_assigned"]
    assert json.loads(event.after) == {"person": lena.id}
    assert inbox.assign_action in inbox.table.actions()  # also on the table's context menu


def test_a_pasted_post_shows_the_person_it_is_linked_to_as_its_author(qtbot, inbox, services) -> None:
    """Pasted text has no author of its own: the Author column and the reading pane name the linked person
    (an imported post keeps the author its source gave)."""
    lena = services.people.add_person(Person(None, "Dr. Lena Ortiz"))
    services.imports.import_pasted("Our stroke team ran the 10k together this morning.", person_id=lena.id)
    services.imports.import_pasted("Flu clinic opens Monday in the east wing.")
    inbox.refresh()
    qtbot.waitUntil(lambda: inbox.model.rowCount() == 2, timeout=10_000)
    authors = {inbox.model.index(r, 3).data(): inbox.model.index(r, 0).data() for r in range(2)}
    assert authors == {"Our stroke team ran the 10k together this morning.": "Dr. Lena Ortiz",
                       "Flu clinic opens Monday in the east wing.": ""}
    for row in range(2):
        inbox.table.selectRow(row)
        post_id = inbox.model.post_id(row)
        qtbot.waitUntil(lambda post_id=post_id: inbox.view.post is not None and inbox.view.post.id == post_id,
                        timeout=10_000)
        expected = "Dr. Lena Ortiz · " if "stroke" in inbox.view.post.text else "Author not given · "
        assert inbox.view._header.text().startswith(expected)
    [sourced] = services.posts.query(PostFilter(person_id=lena.id))
    services.imports.import_pasted("Grand rounds moved to Thursday.", author="Dr. Amir Haddad", person_id=lena.id)
    assert {r.author for r in services.posts.query(PostFilter(person_id=lena.id))} == {"Dr. Lena Ortiz",
                                                                                       "Dr. Amir Haddad"}
    assert sourced.author == "Dr. Lena Ortiz"
