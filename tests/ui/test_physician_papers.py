"""Help → Policy sheet for physicians… and People → Monthly note…: a preview, then a PDF written in a worker."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(unicodedata.normalize("NFKC", out).split())


def _save(qtbot, dialog, path: Path) -> str:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: dialog.paper() is not None, timeout=30_000)
    dialog.save_pdf(str(path))
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Saved as PDF"), timeout=30_000)
    return _pdf_text(path)


def test_the_help_menu_opens_the_policy_sheet_and_saves_it_as_pdf(qtbot, main_window, demo_services,
                                                                  tmp_path: Path) -> None:
    from PySide6.QtGui import QAction

    main_window.findChild(QAction, "policySheetAction").trigger()
    dialog = main_window.findChild(QDialog, "policySheetDialog")
    assert dialog is not None and dialog.isVisible()
    limit = demo_services.settings.cadence_policy().monthly_limit
    qtbot.waitUntil(lambda: dialog.paper() is not None, timeout=30_000)
    assert f"at most {limit} times a month" in dialog.preview.toPlainText()
    text = _save(qtbot, dialog, tmp_path / "policy.pdf")
    assert f"at most {limit} times a month" in text and "To withdraw consent" in text


def test_the_people_page_writes_the_selected_persons_monthly_note(qtbot, main_window, tmp_path: Path) -> None:
    main_window.show_page("people")
    page = main_window.page("people")
    qtbot.waitUntil(lambda: page.current_person() is not None, timeout=30_000)
    person = page.current_person()
    assert page.note_button.isEnabled()
    page.note_button.click()
    dialog = page.findChild(QDialog, "monthlyNoteDialog")
    assert dialog is not None and person.name in dialog.windowTitle()
    qtbot.waitUntil(lambda: dialog.paper() is not None, timeout=30_000)
    shown = dialog.month.date()
    assert f"{shown.toString('MMMM yyyy')}" in dialog.preview.toPlainText()

    dialog.month.setDate(shown.addMonths(-1))  # another month: the note is read again for it
    earlier = shown.addMonths(-1).toString("MMMM yyyy")
    qtbot.waitUntil(lambda: dialog.paper() is not None and earlier in dialog.paper().title, timeout=30_000)
    text = _save(qtbot, dialog, tmp_path / "note.pdf")
    assert person.name in text and f"Your re-shares — {earlier}" in text


def test_the_contact_saved_in_settings_is_the_one_the_policy_sheet_gives(qtbot, main_window, demo_services) -> None:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QGroupBox

    main_window.show_page("settings")
    box = main_window.page("settings").findChild(QGroupBox, "contactBox")
    box.contact.setText("Maya Chen, communications office, ext. 4417")
    box.save_button.click()
    qtbot.waitUntil(lambda: demo_services.settings.team_contact() == "Maya Chen, communications office, ext. 4417",
                    timeout=30_000)
    main_window.findChild(QAction, "policySheetAction").trigger()
    dialog = main_window.findChild(QDialog, "policySheetDialog")
    qtbot.waitUntil(lambda: dialog.paper() is not None, timeout=30_000)
    assert "Questions: Maya Chen, communications office, ext. 4417." in " ".join(dialog.preview.toPlainText().split())
