"""The calendar grid: a month (or one week) of days, each listing its re-shares; mouse, drag and keyboard.

Keys: arrows move the day cursor; Enter schedules the selected approved post there; Space picks the
next re-share of the day; Ctrl+arrows move the picked re-share; Delete unschedules it; the Menu key
(or Shift+F10) opens the picked re-share's actions; PageUp/PageDown change the month; Home goes to today.

Screen readers: the grid's accessible name is what has the keyboard focus inside it (the day under
the cursor, or the picked re-share), its description says everything about that day and which keys
act on it; both change, with Qt's accessibility events, whenever the cursor or the pick moves.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QMimeData, QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleEvent,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import QApplication, QMenu, QToolTip, QWidget

from medshare_desktop.core.ports import CalendarEntry
from medshare_desktop.core.services.schedule_service import MonthSchedule, grid_bounds
from medshare_desktop.ui.calendar.grid_painter import GHOST, GridPainter
from medshare_desktop.ui.printing.labels import entry_details

KEY_HELP = (
    "Arrow keys move between days. Enter schedules the approved post selected on the right on this day. "
    "Space picks the next re-share of the day; Control with an arrow key moves it; Delete unschedules it; "
    "the Menu key opens its actions. Page Up and Page Down change the month; Home goes to today."
)
POST_MIME = "application/x-medshare-post-id"
SHARE_MIME = "application/x-medshare-share-id"
STEPS = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}


def is_ghost(share_id: int | None) -> bool:
    """A drafted re-share of "Propose a month" (shown on the grid as a ghost, id = -post id)."""
    return share_id is not None and share_id < 0


def id_mime(kind: str, value: int) -> QMimeData:
    mime = QMimeData()
    mime.setData(kind, str(value).encode("ascii"))
    return mime


def mime_id(mime: QMimeData, kind: str) -> int | None:
    if not mime.hasFormat(kind):
        return None
    try:
        return int(bytes(mime.data(kind).data()).decode("ascii"))  # a ghost's id is negative
    except ValueError:
        return None


class MonthGrid(QWidget):
    post_dropped = Signal(int, object)  # post id, day: schedule it
    share_dropped = Signal(int, object)  # share id, day: move it
    schedule_requested = Signal(object)  # day (Enter on the cursor)
    unschedule_requested = Signal(int)  # share id
    ghost_accept_requested = Signal(int)  # a proposed re-share's ghost id (negative: -post id)
    month_step_requested = Signal(int)  # -1 / +1 (PageUp / PageDown)
    cursor_left_view = Signal(object)  # the cursor moved to a day that is not shown
    cursor_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarGrid")
        self.setAccessibleName("Re-share calendar")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        self.setMouseTracking(True)
        self.setMinimumSize(560, 360)
        self.schedule: MonthSchedule | None = None
        self.week_mode = False
        self.today = date.today()
        self.cursor = self.today
        self.selected_share: int | None = None  # a ghost (a proposed re-share) has a negative id
        self.ghosts: list[CalendarEntry] = []  # "Propose a month": drafted re-shares, not in the database
        self.drop_day: date | None = None
        self._press: tuple[QPoint, int] | None = None
        self._painter = GridPainter(self)

    # --- state ---------------------------------------------------------------------------
    def set_schedule(self, schedule: MonthSchedule, today: date) -> None:
        self.schedule = schedule
        self.today = today
        if (self.cursor.year, self.cursor.month) != (schedule.year, schedule.month):
            self.cursor = today if (today.year, today.month) == (schedule.year, schedule.month) else schedule.first
        if self.selected_share not in {e.share.id for e in self.entries_on(None)}:
            self.selected_share = None
        self._changed()

    def set_week_mode(self, on: bool) -> None:
        self.week_mode = on
        self._changed()

    def set_ghosts(self, ghosts: list[CalendarEntry]) -> None:
        """Show drafted re-shares (ids below zero) beside the scheduled ones, drawn dashed and italic."""
        self.ghosts = ghosts
        if self.selected_share is not None and self.selected_share < 0 and self.selected_share not in {
            g.share.id for g in ghosts
        }:
            self.selected_share = None
        self._changed()

    def set_cursor(self, day: date) -> None:
        """Move the cursor; a day that is not shown is left to the page (cursor_left_view)."""
        if day not in self.days():
            self.cursor_left_view.emit(day)
            return
        self.move_cursor(day)

    def move_cursor(self, day: date) -> None:
        self.cursor = day
        if self.selected_share not in {e.share.id for e in self.entries_on(day)}:
            self.selected_share = None
        self._changed()
        self.cursor_changed.emit(day)

    def days(self) -> list[date]:
        if self.week_mode:
            monday = self.cursor - timedelta(days=self.cursor.weekday())
            return [monday + timedelta(days=n) for n in range(7)]
        year, month = (
            (self.schedule.year, self.schedule.month) if self.schedule else (self.today.year, self.today.month)
        )
        first, last = grid_bounds(year, month)
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def entries_on(self, day: date | None) -> list[CalendarEntry]:
        if self.schedule is None:
            return []
        if day is None:
            return [*self.schedule.entries, *self.schedule.adjacent, *self.ghosts]
        return [*self.schedule.on(day), *(g for g in self.ghosts if g.share.day == day)]

    def _changed(self) -> None:
        self._painter.invalidate()
        name, description = self.accessible_text()
        if name != self.accessibleName():
            self.setAccessibleName(name)  # Qt sends QAccessible.NameChanged
        if description != self.accessibleDescription():
            self.setAccessibleDescription(description)  # … and DescriptionChanged
        if self.hasFocus():  # screen readers announce the newly focused item
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Focus))
        self.update()

    # --- accessibility -------------------------------------------------------------------
    def day_label(self, day: date) -> str:
        entries = self.entries_on(day)
        flagged = self.schedule.flagged if self.schedule else {}
        attention = sum(1 for e in entries if e.share.id in flagged)
        proposed = sum(1 for e in entries if is_ghost(e.share.id))
        entries = [e for e in entries if not is_ghost(e.share.id)]
        text = f"{day:%A} {day.day} {day:%B %Y}" + (", today" if day == self.today else "")
        text += f": {len(entries)} re-share{'' if len(entries) == 1 else 's'}" if entries else ": nothing scheduled"
        if proposed:
            text += f", {proposed} proposed (not yet scheduled)"
        if attention:
            text += f", {attention} need{'s' if attention == 1 else ''} attention"
        return text

    def entry_label(self, entry: CalendarEntry) -> str:
        flagged = self.schedule.flagged if self.schedule else {}
        text = f"{entry.person_name}, {entry.share.channel.label}"
        if is_ghost(entry.share.id):
            return f"Proposed, not yet scheduled: {text}"
        reason = flagged.get(entry.share.id or -1)
        if reason:
            text += f", needs attention: {reason}"
        if entry.share.override_reason:
            text += f", scheduled with an override: {entry.share.override_reason}"
        return text

    def accessible_text(self) -> tuple[str, str]:
        """(name, description) of what has the focus: the picked re-share or the day under the cursor."""
        day = self.cursor
        entries = self.entries_on(day)
        picked = next((e for e in entries if e.share.id == self.selected_share), None)
        if picked is not None:
            at = entries.index(picked) + 1
            name = f"{self.entry_label(picked)} (re-share {at} of {len(entries)} on {day:%A} {day.day} {day:%B})"
        else:
            name = self.day_label(day)
        lines = [self.day_label(day) + "."]
        lines += [f"{n}. {self.entry_label(e)}." for n, e in enumerate(entries, start=1)]
        return name, " ".join([*lines, KEY_HELP])

    # --- painting and hit tests ----------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        self._painter.paint(painter)
        painter.end()

    def day_at(self, pos: QPoint) -> date | None:
        return self._painter.day_at(pos)

    def share_at(self, pos: QPoint) -> int | None:
        return self._painter.share_at(pos)

    def cell_rect(self, day: date) -> QRectF:
        return self._painter.cell_rect(day)

    def entry_rect(self, share_id: int) -> QRectF | None:
        return self._painter.entry_rect(share_id)

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def] # noqa: N802 - Qt override
        self._painter.invalidate()
        super().resizeEvent(event)

    # --- mouse and drag ------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position().toPoint()
        day = self.day_at(pos)
        if day is None:
            return
        share = self.share_at(pos)
        self.set_cursor(day)
        self.selected_share = share
        self._press = (pos, share) if share is not None and event.button() == Qt.MouseButton.LeftButton else None
        self._changed()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        start, share = self._press
        if (event.position().toPoint() - start).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        drag = QDrag(self)
        drag.setMimeData(id_mime(SHARE_MIME, share))
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self._press = None

    def _accepts(self, mime: QMimeData) -> bool:
        return mime.hasFormat(POST_MIME) or mime.hasFormat(SHARE_MIME)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if self._accepts(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt override
        day = self.day_at(event.position().toPoint())
        if day is None or not self._accepts(event.mimeData()):
            event.ignore()
            return
        if day != self.drop_day:
            self.drop_day = day
            self.update()
        event.acceptProposedAction()

    def dragLeaveEvent(self, event) -> None:  # type: ignore[no-untyped-def] # noqa: N802 - Qt override
        self.drop_day = None
        self.update()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        self.drop_day = None
        day = self.day_at(event.position().toPoint())
        mime = event.mimeData()
        post_id, share_id = mime_id(mime, POST_MIME), mime_id(mime, SHARE_MIME)
        if day is None or (post_id is None and share_id is None):
            event.ignore()
            self.update()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.set_cursor(day)
        if post_id is not None:
            self.post_dropped.emit(post_id, day)
        elif share_id is not None:
            self.selected_share = share_id
            self.share_dropped.emit(share_id, day)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            self.open_entry_menu()
            return
        share = self.share_at(event.pos())
        if share is not None:
            self._popup(share, event.globalPos())

    def open_entry_menu(self) -> None:
        """The Menu key or Shift+F10: the actions of the picked re-share (or the day's only one), at it."""
        ids = [e.share.id for e in self.entries_on(self.cursor)]
        share = self.selected_share if self.selected_share in ids else (ids[0] if ids else None)
        rect = self.entry_rect(share) if share is not None else None
        if share is not None and rect is not None:
            self._popup(share, self.mapToGlobal(rect.bottomLeft().toPoint()))

    def _popup(self, share: int, where: QPoint) -> None:
        self.selected_share = share
        self._changed()
        menu = self.entry_menu(share)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(where)  # not modal: the grid stays live behind it, Escape closes it

    def entry_menu(self, share: int) -> QMenu:
        """The actions on one re-share (right click, or the Menu key on the picked one)."""
        menu = QMenu(self)
        menu.setObjectName("calendarEntryMenu")
        if is_ghost(share):
            menu.addAction("&Accept this proposed re-share", lambda: self.ghost_accept_requested.emit(share))
            menu.addAction("&Discard it from the draft", lambda: self.unschedule_requested.emit(share))
            return menu
        menu.addAction("&Unschedule", lambda: self.unschedule_requested.emit(share))
        return menu

    def event(self, event) -> bool:  # type: ignore[no-untyped-def]
        if event.type() == event.Type.ToolTip:
            share = self.share_at(event.pos())
            entry = next((e for e in self.entries_on(None) if e.share.id == share), None)
            if entry is not None and self.schedule is not None:
                text = entry_details(entry, self.schedule.flagged)
                if is_ghost(entry.share.id):
                    text = f"{GHOST} Proposed, not yet scheduled (accept it to schedule it)\n{text}"
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        # QWidget.event rather than super(): PySide can deliver a late event to this override while the
        # widget is being torn down, when super()'s type check fails (seen once in the suite).
        return QWidget.event(self, event)

    # --- keyboard ------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key in STEPS:
            target = self.cursor + timedelta(days=STEPS[key])  # type: ignore[index]
            if ctrl and self.selected_share is not None:
                self.share_dropped.emit(self.selected_share, target)
            self.set_cursor(target)
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.month_step_requested.emit(-1 if key == Qt.Key.Key_PageUp else 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.schedule_requested.emit(self.cursor)
        elif key == Qt.Key.Key_Space:
            ids = [e.share.id for e in self.entries_on(self.cursor)]
            if ids:
                at = ids.index(self.selected_share) + 1 if self.selected_share in ids else 0
                self.selected_share = ids[at % len(ids)]
                self._changed()
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            ids = [e.share.id for e in self.entries_on(self.cursor)]
            target_id = self.selected_share if self.selected_share in ids else (ids[0] if len(ids) == 1 else None)
            if target_id is not None:
                self.unschedule_requested.emit(target_id)
        elif key == Qt.Key.Key_Home:
            self.set_cursor(self.today)
        elif key == Qt.Key.Key_Menu or (key == Qt.Key.Key_F10 and event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.open_entry_menu()
        else:
            super().keyPressEvent(event)
