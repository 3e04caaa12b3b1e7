"""The one reason dialog (reject, accept a risk, not a risk, cadence override, mark shared): a blank reason
never closes it; the error is shown next to the field until something is typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from medshare_desktop.ui.shared.dialogs import ReasonDialog, ask_reason

_parents: list[QWidget] = []  # kept alive for the dialogs they own


def _open(qtbot, **options) -> tuple[ReasonDialog, list[str]]:
    parent = QWidget()
    qtbot.addWidget(parent)
    _parents.append(parent)
    given: list[str] = []
    dialog = ask_reason(parent, "Reject post", "Why is this post rejected?", given.append, **options)
    qtbot.waitExposed(dialog)
    return dialog, given


def test_an_empty_or_blank_reason_keeps_the_dialog_open_with_an_inline_error(qtbot) -> None:
    dialog, given = _open(qtbot)
    for typed in ("", "   \t  "):
        dialog.field.setText(typed)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert dialog.error.isVisible() and "reason" in dialog.error.text()
        assert dialog.field.accessibleDescription() == dialog.error.text()  # screen readers hear it too
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)  # Enter does not get round it either
    assert dialog.isVisible() and given == []

    qtbot.keyClicks(dialog.field, " Off-topic for our channels. ")
    assert not dialog.error.isVisible()  # typing clears the error
    qtbot.keyClick(dialog.field, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    assert given == ["Off-topic for our channels."]


def test_cancel_closes_without_a_reason(qtbot) -> None:
    dialog, given = _open(qtbot)
    qtbot.keyClick(dialog.field, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and given == []


def test_a_check_refuses_a_wrong_value_in_place(qtbot) -> None:
    dialog, given = _open(
        qtbot, check=lambda url: None if url.startswith("https://") else "Give a web address that starts with https://."
    )
    dialog.field.setText("linkedin.com/post/1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "https://" in dialog.error.text() and given == []
    dialog.field.setText("https://linkedin.com/post/1")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert given == ["https://linkedin.com/post/1"]
