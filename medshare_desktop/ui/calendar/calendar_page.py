"""The re-share calendar screen: place approved posts on days under the cadence and consent rules.

Every change goes through ScheduleService on a TaskRunner; a refusal is shown in the inline message
bar, with "Override…" (a typed reason) when only a cadence rule stands in the way.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.abilities import Abilities
from medshare_desktop.core.changes import Changes
from medshare_desktop.core.errors import CadenceError, MedshareError
from medshare_desktop.core.models import Channel, ScheduledShare
from medshare_desktop.core.ports import CalendarEntry
from medshare_desktop.core.rules.cadence import CadencePolicy
from medshare_desktop.core.rules.planner import Ghost, MonthPlan
from medshare_desktop.core.services.people_service import PeopleService
from medshare_desktop.core.services.plan_service import AcceptResult, suggestion_ranker
from medshare_desktop.core.services.post_service import PostService
from medshare_desktop.core.services.schedule_service import MonthSchedule, ScheduleService, grid_bounds
from medshare_desktop.core.services.settings_service import SettingsService
from medshare_desktop.core.services.suggestion_service import SuggestionService
from medshare_desktop.ui.calendar.calendar_output import CalendarOutput
from medshare_desktop.ui.calendar.message_bar import PREFIX, About, MessageBar
from medshare_desktop.ui.calendar.month_grid import MonthGrid, is_ghost
from medshare_desktop.ui.calendar.plan_bar import PlanBar
from medshare_desktop.ui.calendar.side_panel import SidePanel
from medshare_desktop.ui.calendar.toolbar import CalendarToolbar
from medshare_desktop.ui.shared.abilities import hold
from medshare_desktop.ui.shared.dialogs import ReasonDialog, ask_reason, show_exception
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.page import ScreenPage
from medshare_desktop.ui.shared.workers import TaskRunner

log = logging.getLogger(__name__)


def policy_text(policy: CadencePolicy) -> str:
    parts = [f"Limit {policy.monthly_limit} re-shares a month per person (a person's own limit wins)"]
    if policy.per_day_channel_cap is not None:
        parts.append(f"at most {policy.per_day_channel_cap} a day per channel")
    if policy.min_days_between:
        parts.append(f"{policy.min_days_between} days between two of one person")
    return "; ".join(parts) + "."


class CalendarPage(QWidget, ScreenPage):
    title = "Calendar"

    month_loaded = Signal(object)  # MonthSchedule
    schedule_changed = Signal()  # a change went through (the month reloads after it)
    change_refused = Signal(str)  # the sentence shown in the message bar
    message_checked = Signal()  # a refusal on show was asked again (and dropped or rewritten if it changed)
    plan_shown = Signal(object)  # MonthPlan: a proposed month is on the grid as ghost entries (or None: gone)
    plan_accepted = Signal(object)  # AcceptResult

    def __init__(
        self,
        schedule: ScheduleService,
        posts: PostService,
        people: PeopleService,
        settings: SettingsService,
        parent: QWidget | None = None,
        ops: Operations | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("calendarPage")
        self._ops = ops or Operations(parent=self)
        self._schedule, self._posts, self._people, self._settings = schedule, posts, people, settings
        self._tasks = TaskRunner(self)
        today = date.today()
        self._year, self._month = today.year, today.month
        self.current: MonthSchedule | None = None
        self._pending: tuple[str, int, date, Channel] | None = None  # the refused change, for Override…
        self._pending_past = False  # that change was confirmed for a past day
        self.reason_dialog: ReasonDialog | None = None  # the open Override… question
        self._planner = schedule.planner()
        self._schedule_refused = ""  # set_abilities: why this login may not change the calendar
        self.plan: MonthPlan | None = None  # the proposed month shown as ghosts (nothing written until accepted)

        self.toolbar = CalendarToolbar()
        self.title, self.channel = self.toolbar.title, self.toolbar.channel
        self.prev_button, self.next_button = self.toolbar.prev_button, self.toolbar.next_button
        self.month_button, self.week_button = self.toolbar.month_button, self.toolbar.week_button
        self.toolbar.step_requested.connect(self.step)
        self.toolbar.today_requested.connect(self.go_today)
        self.toolbar.week_mode_requested.connect(self.set_week_mode)
        self.channel.currentIndexChanged.connect(lambda _i: self.refresh())  # what blocks a post depends on it
        self.toolbar.propose_requested.connect(self.propose_month)
        self.message = MessageBar()
        self.plan_bar = PlanBar()
        self.plan_bar.accept_all_requested.connect(self.accept_all)
        self.plan_bar.accept_selected_requested.connect(self.accept_selected)
        self.plan_bar.discard_selected_requested.connect(self.discard_selected)
        self.plan_bar.discard_all_requested.connect(self.discard_plan)
        self.grid = MonthGrid()
        self.side = SidePanel()
        self.policy_label = QLabel()
        self.policy_label.setWordWrap(True)
        self.side.layout().insertWidget(4, self.policy_label)  # under the counts' title
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.grid)
        splitter.addWidget(self.side)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([900, 300])
        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.message)
        layout.addWidget(self.plan_bar)
        layout.addWidget(splitter, 1)

        self._output = CalendarOutput(self, schedule, self._tasks, lambda: self.current, self.show_message)
        self.grid.post_dropped.connect(self.schedule_post)
        self.grid.share_dropped.connect(self.move_share)
        self.grid.unschedule_requested.connect(self.unschedule)
        self.grid.ghost_accept_requested.connect(lambda ghost_id: self.accept_ghosts([-ghost_id]))
        self.grid.schedule_requested.connect(self._on_grid_schedule_requested)
        self.grid.month_step_requested.connect(self.step_month)
        self.grid.cursor_left_view.connect(self.go_to)
        self.grid.cursor_changed.connect(lambda _day: self._update_title())
        self.side.schedule_clicked.connect(lambda: self._on_grid_schedule_requested(self.grid.cursor))
        self.side.approved.itemActivated.connect(lambda _item: self._on_grid_schedule_requested(self.grid.cursor))
        self.message.override_requested.connect(self._on_message_override_requested)
        self._update_title()

    # --- public API (the File menu's signals reach these) ---------------------------------
    def set_abilities(self, abilities: Abilities) -> None:
        """A login that may not change the calendar sees scheduling disabled, with the reason: the buttons, dragging
        and dropping, and Enter or Delete in the grid (which say why in the message bar). The server still refuses
        such changes: this is only a courtesy."""
        self._schedule_refused = abilities.why_not("schedule")
        hold(abilities, "schedule", [self.side.schedule_button, self.toolbar.propose_button,
                                     self.plan_bar.accept_all, self.plan_bar.accept_selected,
                                     self.message.override_button])
        if self._schedule_refused:
            self.grid.setAcceptDrops(False)
            self.side.approved.setDragEnabled(False)

    def _refused_here(self) -> bool:
        """True (and the reason in the message bar) when this login may not change the calendar."""
        if self._schedule_refused:
            self.show_message(self._schedule_refused, "error")
        return bool(self._schedule_refused)

    def concerns(self, changes: Changes) -> bool:
        return changes.schedule

    def refresh(self) -> None:
        self._tasks.start(
            self._load, self._year, self._month, self.selected_channel(), key="load", on_done=self._on_loaded,
            on_error=self._on_error,
        )

    def print_month(self) -> None:
        self._output.print_month()

    def print_preview(self) -> None:
        self._output.print_preview()

    def export_pdf(self) -> None:
        self._output.export_pdf()

    def export_ics(self) -> None:
        self._output.export_ics()

    # --- navigation ----------------------------------------------------------------------
    def visible_month(self) -> tuple[int, int]:
        return self._year, self._month

    def go_to(self, day: date) -> None:
        if (day.year, day.month) != (self._year, self._month):
            self._year, self._month = day.year, day.month
            self.refresh()
        self.grid.move_cursor(day)
        self._update_title()

    def go_today(self) -> None:
        self.go_to(date.today())

    def step_month(self, delta: int) -> None:
        index = self._year * 12 + self._month - 1 + delta
        self.go_to(date(index // 12, index % 12 + 1, 1))

    def step(self, delta: int) -> None:
        if self.grid.week_mode:
            self.go_to(self.grid.cursor + timedelta(days=7 * delta))
        else:
            self.step_month(delta)

    def set_week_mode(self, on: bool) -> None:
        self.grid.set_week_mode(on)
        self.toolbar.show_week_mode(on)
        self._update_title()

    def _update_title(self) -> None:
        text = f"{date(self._year, self._month, 1):%B %Y}"
        if self.grid.week_mode:
            monday = self.grid.cursor - timedelta(days=self.grid.cursor.weekday())
            text = f"Week of {monday:%d %b %Y}"
        self.title.setText(text)

    # --- loading -------------------------------------------------------------------------
    def _load(self, year: int, month: int, channel: Channel) -> tuple[MonthSchedule, list[Any], CadencePolicy]:
        return (
            self._schedule.month(year, month, with_adjacent=True),
            self._schedule.approved_waiting(channel),
            self._settings.cadence_policy(),
        )

    def _on_loaded(self, result: tuple[MonthSchedule, list[Any], CadencePolicy]) -> None:
        month, approved, policy = result
        self.current = month
        self.grid.set_schedule(month, date.today())
        self.side.set_counts(month.counts, month.unassigned)
        self.side.set_approved(approved)
        self.policy_label.setText(policy_text(policy))
        self._update_title()
        self._recheck_message(month)
        self.month_loaded.emit(month)

    # --- changes -------------------------------------------------------------------------
    def selected_channel(self) -> Channel:
        return self.toolbar.selected_channel()

    def schedule_post(self, post_id: int, day: date, override_reason: str = "") -> None:
        if not self._refused_here() and self._past_day_confirmed(day):
            self._change(("schedule", post_id, day, self.selected_channel()), override_reason, day < self._today())

    def move_share(self, share_id: int, day: date, override_reason: str = "") -> None:
        if is_ghost(share_id):
            self.move_ghost(-share_id, day)
            return
        if not self._refused_here() and self._past_day_confirmed(day):
            self._change(("move", share_id, day, self.selected_channel()), override_reason, day < self._today())

    def _today(self) -> date:
        return self._schedule.today()

    def _past_day_confirmed(self, day: date) -> bool:
        """A re-share on a day already gone is usually a slip of the mouse: ask before it is recorded."""
        if day >= self._today():
            return True
        answer = QMessageBox.question(
            self,
            "Schedule on a past day?",
            f"{day:%A %d %B %Y} is in the past. Record a re-share on that day anyway (for example one that "
            "already went out)?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.show_message("Nothing changed: the day is in the past.", "info")
            return False
        return True

    def unschedule(self, share_id: int) -> None:
        if is_ghost(share_id):
            self.discard_ghosts([-share_id])
            return
        self._change(("unschedule", share_id, self.grid.cursor, self.selected_channel()), "")

    def _change(self, op: tuple[str, int, date, Channel], reason: str, allow_past: bool = False) -> None:
        if self._refused_here():
            return
        kind, ident, day, channel = op
        self._pending = op
        self._pending_past = allow_past
        if kind == "schedule":
            call: tuple[Any, ...] = (self._schedule.schedule, ident, day, channel, reason, allow_past)
            done = f"Scheduled on {day:%a %d %b %Y}" + (" (⚑ override)." if reason else ".")
        elif kind == "move":
            call = (self._schedule.move, ident, day, reason, allow_past)
            done = f"Moved to {day:%a %d %b %Y}" + (" (⚑ override)." if reason else ".")
        else:
            call, done = (self._schedule.unschedule, ident), "Unscheduled; the post is back in the approved list."
        self._ops.write(*call, on_done=lambda r: self._on_changed(done, r), on_error=self._on_change_failed,
                        initiator=self)

    def _on_changed(self, message: str, result: object = None) -> None:
        self._pending = None
        placed = About("placed", result.id, result.day) if isinstance(result, ScheduledShare) and result.id else None
        self.message.show_message(message, "info", about=placed)
        self.schedule_changed.emit()
        self.refresh()

    def _on_change_failed(self, exc: BaseException, details: str) -> None:
        if not isinstance(exc, MedshareError):
            show_exception(self, exc, details)
            return
        can_override = isinstance(exc, CadenceError) and self._pending is not None
        self.message.show_message(str(exc), "error", can_override, about=self._about_pending())
        self.change_refused.emit(str(exc))

    def _on_message_override_requested(self) -> None:
        if self._pending is None:
            return
        pending, allow_past = self._pending, self._pending_past
        self.reason_dialog = ask_reason(
            self,
            "Override cadence rule",
            "Why should this re-share go ahead anyway? (The reason is kept in "
            "the audit trail and marked ⚑ on the calendar.)",
            lambda reason: self._change(pending, reason, allow_past),
            ok_text="Override", missing="An override needs a reason: it is kept in the audit trail.",
        )

    def _on_grid_schedule_requested(self, day: date) -> None:
        post_id = self.side.approved.current_post_id()
        if post_id is None:
            self.show_message("Select an approved post in the list first, then press Enter on a day.", "error")
            return
        self.schedule_post(post_id, day)

    def show_message(self, text: str, kind: str = "info") -> None:
        self.message.show_message(text, kind)

    def _on_error(self, exc: BaseException, details: str) -> None:
        show_exception(self, exc, details)

    # --- "Propose a month": ghost entries -------------------------------------------------
    def set_suggestions(self, suggestions: SuggestionService) -> None:
        """Order each person's posts in a proposed month by their suggestion score (else newest first)."""
        self._planner = self._schedule.planner(rank=suggestion_ranker(suggestions))

    def propose_month(self) -> None:
        """Draft the shown month (on the chosen channel) and show it as ghost entries; nothing is written."""
        self._tasks.start(
            self._planner.propose, self._year, self._month, self.selected_channel(), key="propose",
            on_done=self._on_proposed, on_error=self._on_propose_failed,
        )

    def _on_proposed(self, plan: MonthPlan) -> None:
        self._show_plan(plan)
        count = len(plan.ghosts)
        self.show_message(
            f"{count} re-share{'' if count == 1 else 's'} proposed for {plan.inputs.first:%B %Y}: accept, move or "
            "discard them (nothing is scheduled yet)." if count else
            f"Nothing more can be proposed for {plan.inputs.first:%B %Y} under the rules.",
            "info",
        )

    def _on_propose_failed(self, exc: BaseException, details: str) -> None:
        if isinstance(exc, MedshareError):
            self.show_message(str(exc), "error")
        else:
            show_exception(self, exc, details)

    def _show_plan(self, plan: MonthPlan | None) -> None:
        self.plan = plan
        self.grid.set_ghosts([_ghost_entry(g) for g in plan.ghosts] if plan is not None else [])
        if plan is None:
            self.plan_bar.hide()
        else:
            self.plan_bar.show_plan(plan)
        self.plan_shown.emit(plan)

    def ghost(self, post_id: int) -> Ghost | None:
        return next((g for g in self.plan.ghosts if g.post_id == post_id), None) if self.plan else None

    def _selected_ghost(self) -> Ghost | None:
        selected = self.grid.selected_share
        return self.ghost(-selected) if is_ghost(selected) and selected is not None else None

    def move_ghost(self, post_id: int, day: date) -> None:
        """Move a proposed re-share to another day: checked by the same rules against the schedule and the
        rest of the draft; refused with the reason, like a real move."""
        if self.plan is None or self.ghost(post_id) is None:
            return
        problems = self._planner.check_move(self.plan, post_id, day)
        if problems:
            self.show_message("Not moved: " + " ".join(problems), "error")
            self.change_refused.emit(" ".join(problems))
            return
        self._show_plan(self.plan.moved(post_id, day))
        self.grid.selected_share = -post_id
        self.grid.move_cursor(day)
        self.show_message(f"Proposed re-share moved to {day:%a %d %b %Y} (not scheduled yet).", "info")

    def discard_ghosts(self, post_ids: list[int]) -> None:
        if self.plan is None:
            return
        self._show_plan(self.plan.without(post_ids))
        self.show_message(f"{len(post_ids)} proposed re-share{'' if len(post_ids) == 1 else 's'} discarded.", "info")

    def discard_selected(self) -> None:
        ghost = self._selected_ghost()
        if ghost is None:
            self.show_message("Select a proposed re-share (dashed) on the calendar first.", "error")
            return
        self.discard_ghosts([ghost.post_id])

    def discard_plan(self) -> None:
        if self.plan is not None:
            self._show_plan(None)
            self.show_message("The proposed month was discarded; nothing was scheduled.", "info")

    def accept_all(self) -> None:
        if self.plan is not None:
            self.accept_ghosts([g.post_id for g in self.plan.ghosts])

    def accept_selected(self) -> None:
        ghost = self._selected_ghost()
        if ghost is None:
            self.show_message("Select a proposed re-share (dashed) on the calendar first.", "error")
            return
        self.accept_ghosts([ghost.post_id])

    def accept_ghosts(self, post_ids: list[int]) -> None:
        """Schedule these proposed re-shares through the schedule service (one audit event each); a rule that
        changed since the draft refuses, and the refused ones stay in the draft with the reason."""
        ghosts = [g for pid in post_ids if (g := self.ghost(pid)) is not None]
        if not ghosts or self._refused_here():
            return
        self._ops.write(self._planner.accept, ghosts, on_done=self._on_accepted, on_error=self._on_change_failed,
                        initiator=self)

    def _on_accepted(self, result: AcceptResult) -> None:
        if self.plan is not None:
            self._show_plan(self.plan.without(g.post_id for g, _share in result.accepted))
        text = result.summary()
        if result.refused:
            ghost, reason = result.refused[0]
            text += f" {ghost.person_name} on {ghost.day:%d %b}: {reason}"
        self.show_message(text, "error" if result.refused else "info")
        self.plan_accepted.emit(result)
        self.schedule_changed.emit()
        self.refresh()

    # --- keeping the message bar true ----------------------------------------------------
    def _about_pending(self) -> About | None:
        if self._pending is None or self._pending[0] not in ("schedule", "move"):
            return None
        kind, ident, day, channel = self._pending
        return About(kind, ident, day, channel)

    def _recheck_message(self, month: MonthSchedule) -> None:
        """After every load: drop a message about a re-share that is no longer where it said, and ask again
        whether a refused change would still be refused (a re-share unscheduled or moved, consent restored)."""
        about = self.message.about
        if about is None or not self.message.isVisible():
            return
        if about.kind == "placed":
            first, last = grid_bounds(month.year, month.month)
            days = {e.share.id: e.share.day for e in (*month.entries, *month.adjacent)}
            if first <= about.day <= last and days.get(about.ident) != about.day:
                self.message.clear()
            return
        self._tasks.start(
            self._schedule.refusal, about.kind, about.ident, about.day, about.channel or self.selected_channel(),
            key="recheck", on_done=lambda refusal: self._on_rechecked(about, refusal),
            on_error=lambda exc, _details: log.warning("re-checking a refusal failed: %s", type(exc).__name__),
        )

    def _on_rechecked(self, about: About, refusal: MedshareError | None) -> None:
        if self.message.about != about:
            return  # the bar shows something newer
        if refusal is None:
            log.info("refused %s of %s on %s no longer holds; message dropped", about.kind, about.ident, about.day)
            self._pending = None
            self.message.clear()
        elif PREFIX["error"] + str(refusal) != self.message.text():
            self.message.show_message(str(refusal), "error", isinstance(refusal, CadenceError), about=about)
        self.message_checked.emit()


def _ghost_entry(ghost: Ghost) -> CalendarEntry:
    """A proposed re-share as the grid draws it: id -post id (below zero: a ghost, not in the database)."""
    share = ScheduledShare(-ghost.post_id, ghost.post_id, ghost.day, ghost.channel, "", "")
    return CalendarEntry(share, ghost.person_id, ghost.person_name, ghost.excerpt, "", 0)
