"""Guards the PySide6 pin: 6.12.0 on CPython 3.11 drops a reference to None on every void Qt call,
which eventually aborts the app ("Fatal Python error: none_dealloc")."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel


class _Emitter(QObject):
    fired = Signal(int)


def test_void_qt_calls_and_signal_emits_keep_reference_counts_of_none_and_true(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(500):
        label.update()
        label.setText("x")
    assert sys.getrefcount(None) - before > -100, "this PySide6 build leaks references to None: check the pin"
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(500):
        emitter.fired.emit(1)
    assert sys.getrefcount(True) - before > -100
