"""People and their social accounts: who the team follows and how often each may be re-shared."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.abilities import Abilities
from medshare_desktop.core.changes import Changes
from medshare_desktop.core.models import Person, Platform, SourceAccount
from medshare_desktop.core.services.people_service import AccountSaved, PeopleService
from medshare_desktop.core.services.policy_service import PolicyService
from medshare_desktop.ui.people.person_form import PersonForm
from medshare_desktop.ui.shared.abilities import hold, hold_disabled
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.page import ScreenPage
from medshare_desktop.ui.shared.tables import ColumnFitter
from medshare_desktop.ui.shared.workers import TaskRunner


class PeoplePage(QWidget, ScreenPage):
    title = "People"

    accounts_saved = Signal(int)  # an account was added or edited; how many earlier posts it linked

    def __init__(self, people: PeopleService, default_limit: int = 2, parent: QWidget | None = None,
                 ops: Operations | None = None, policy: PolicyService | None = None) -> None:
        super().__init__(parent)
        self._policy = policy  # the monthly note (None: no "Monthly note…" button)
        self._note_dialog: QWidget | None = None
        self._ops = ops or Operations(parent=self)
        self.setObjectName("peoplePage")
        self._people = people
        self._default_limit = default_limit
        self._tasks = TaskRunner(self)
        self._list: list[Person] = []
        self._people_refused = ""  # set_abilities: why this login may not change people

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Find a person…")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._fill_list)
        self.list = QListWidget()
        self.list.setObjectName("peopleList")
        self.list.setSpacing(3)
        self.list.currentRowChanged.connect(self._on_list_row_changed)
        self.new_button = new_button = QPushButton("&New person")
        new_button.setObjectName("newPerson")
        new_button.clicked.connect(self._on_new_clicked)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.filter)
        left_layout.addWidget(self.list, 1)
        left_layout.addWidget(new_button)

        self.form = PersonForm()
        self.form.setMaximumWidth(720)
        self.form.save_requested.connect(self._on_save_requested)
        self.accounts = QTableWidget(0, 4)
        self.accounts.setObjectName("accountsTable")
        self.accounts.setHorizontalHeaderLabels(["Platform", "Handle", "Watched", "Feed URL"])
        # handles keep their full width while they can; feed URLs give way first (full text in the tooltip)
        self.account_columns = ColumnFitter(self.accounts, shrinkable=(3, 1), minimum={1: 140, 3: 160},
                                            cap={1: 320})
        self.accounts.verticalHeader().setVisible(False)
        self.platform = QComboBox()
        for platform in Platform:
            self.platform.addItem(platform.label, platform)
        self.handle = QLineEdit()
        self.handle.setObjectName("accountHandle")
        self.handle.setPlaceholderText("@handle or profile name")
        self.feed_url = QLineEdit()
        self.feed_url.setPlaceholderText("Feed URL (RSS/Atom, optional)")
        self.add_account_button = add_account = QPushButton("Add &account")
        add_account.setObjectName("addAccount")
        add_account.clicked.connect(self._on_add_account_clicked)
        account_row = QHBoxLayout()
        account_row.addWidget(self.platform)
        account_row.addWidget(self.handle, 1)
        account_row.addWidget(self.feed_url, 1)
        account_row.addWidget(add_account)
        self.account_status = QLabel()
        self.account_status.setObjectName("accountStatus")
        self.account_status.setWordWrap(True)
        self.accounts.itemChanged.connect(self._on_account_item_changed)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.form)
        self.note_button = QPushButton("&Monthly note…")
        self.note_button.setObjectName("monthlyNoteButton")
        self.note_button.setToolTip("The person's re-shares of a month, and why others could not be: print or PDF")
        self.note_button.clicked.connect(self._on_note_clicked)
        self.note_button.setVisible(policy is not None)
        self.note_button.setEnabled(False)
        note_row = QHBoxLayout()
        note_row.addWidget(self.note_button)
        note_row.addStretch(1)
        right_layout.addLayout(note_row)
        right_layout.addWidget(QLabel("Social accounts (watched accounts feed the inbox)"))
        right_layout.addWidget(self.accounts, 1)
        right_layout.addLayout(account_row)
        right_layout.addWidget(self.account_status)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def set_abilities(self, abilities: Abilities) -> None:
        """A login that may not change people sees adding and editing them disabled, with the reason (the server
        still refuses them: this is only a courtesy)."""
        self._people_refused = abilities.why_not("people")
        hold(abilities, "people", [self.new_button, self.form.save_button, self.add_account_button])
        if not abilities.people:
            self.accounts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def concerns(self, changes: Changes) -> bool:
        return changes.anyone

    def refresh(self) -> None:
        self._tasks.start(self._people.list_people, key="people", on_done=self._on_people_loaded, on_error=self._err)

    def _on_people_loaded(self, people: list[Person]) -> None:
        current = self.current_person()
        self._list = people
        self._fill_list()
        if current is not None:
            self.select(current.id)
        elif self.list.count():
            self.list.setCurrentRow(0)

    def _fill_list(self) -> None:
        needle = self.filter.text().strip().lower()
        self.list.blockSignals(True)
        self.list.clear()
        for person in self._list:
            if needle and needle not in person.name.lower() and needle not in person.department.lower():
                continue
            limit = person.monthly_limit if person.monthly_limit is not None else self._default_limit
            suffix = "" if person.active else " (inactive)"
            item = QListWidgetItem(f"{person.name}{suffix}\n{person.department} · {limit}/month")
            item.setData(Qt.ItemDataRole.UserRole, person)
            self.list.addItem(item)
        self.list.blockSignals(False)

    def current_person(self) -> Person | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select(self, person_id: int | None) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole).id == person_id:
                self.list.setCurrentRow(row)
                return

    def _on_list_row_changed(self, _row: int) -> None:
        person = self.current_person()
        self.form.show_person(person)
        self.note_button.setEnabled(person is not None and person.id is not None)
        if person is None:
            self.accounts.setRowCount(0)
            return
        self._tasks.start(self._people.accounts, person.id, key="accounts", on_done=self._show_accounts,
                          on_error=self._err)

    def _show_accounts(self, accounts: list[SourceAccount]) -> None:
        self.accounts.blockSignals(True)  # filling the table is no edit
        self.accounts.setRowCount(len(accounts))
        for row, account in enumerate(accounts):
            platform = QTableWidgetItem(account.platform.label)
            platform.setFlags(platform.flags() & ~Qt.ItemFlag.ItemIsEditable)
            platform.setData(Qt.ItemDataRole.UserRole, account)
            self.accounts.setItem(row, 0, platform)
            self.accounts.setItem(row, 1, _full_text_item(account.handle))  # editable: double-click or F2
            watched = QCheckBox()
            watched.setChecked(account.watched)
            watched.toggled.connect(lambda on, a=account: self._on_watched_toggled(a, on))
            hold_disabled([watched], self._people_refused)
            self.accounts.setCellWidget(row, 2, watched)
            self.accounts.setItem(row, 3, _full_text_item(account.feed_url))
        self.accounts.blockSignals(False)

    def _on_account_item_changed(self, item: QTableWidgetItem) -> None:
        """An edited handle or feed address is saved; posts from the new handle are linked to the person."""
        if item.column() not in (1, 3):
            return
        account: SourceAccount = self.accounts.item(item.row(), 0).data(Qt.ItemDataRole.UserRole)
        handle, feed = self.accounts.item(item.row(), 1).text(), self.accounts.item(item.row(), 3).text()
        self._ops.write(self._people.save_account, replace(account, handle=handle, feed_url=feed),
                        on_done=self._on_account_saved, on_error=self._on_account_failed, initiator=self)

    def _on_account_failed(self, exc: BaseException, details: str) -> None:
        self._err(exc, details)
        person = self.current_person()
        if person is not None:  # show what is stored again
            self._tasks.start(self._people.accounts, person.id, key="accounts", on_done=self._show_accounts,
                              on_error=self._err)

    def _on_watched_toggled(self, account: SourceAccount, watched: bool) -> None:
        self._ops.write(self._people.set_watched, account, watched, on_error=self._err, initiator=self,
                        changes=Changes(people=frozenset({account.person_id})))

    def _on_note_clicked(self) -> None:
        from medshare_desktop.ui.printing.physician_papers import open_monthly_note

        person = self.current_person()
        if person is None or self._policy is None:
            return
        self._note_dialog = open_monthly_note(self, self._policy, person, self._policy.today())

    def _on_new_clicked(self) -> None:
        self.list.clearSelection()
        self.list.setCurrentRow(-1)
        self.form.show_person(None)
        self.form.name.setFocus()

    def _on_save_requested(self, person: Person) -> None:
        action = self._people.update_person if person.id is not None else self._people.add_person
        self._ops.write(action, person, on_done=self._on_person_saved, on_error=self._err, initiator=self)

    def _on_person_saved(self, person: Person) -> None:
        self._tasks.start(self._people.list_people, key="people",
                          on_done=lambda people: (self._on_people_loaded(people), self.select(person.id)),
                          on_error=self._err)

    def _on_add_account_clicked(self) -> None:
        person = self.current_person()
        if person is None or person.id is None:
            return
        account = SourceAccount(None, person.id, Platform(self.platform.currentData()), self.handle.text(), True,
                                self.feed_url.text().strip())
        self._ops.write(self._people.save_account, account, on_done=self._on_account_added, on_error=self._err,
                        initiator=self)

    def _on_account_added(self, saved: AccountSaved) -> None:
        self.handle.clear()
        self.feed_url.clear()
        self._on_account_saved(saved)

    def _on_account_saved(self, saved: AccountSaved) -> None:
        account = saved.account
        person = self.current_person()
        whose = person.name if person is not None and person.id == account.person_id else "this person"
        linked = (f"{saved.linked} earlier post(s) from it are now linked to {whose}" if saved.linked
                  else "no earlier posts from it were waiting for a person")
        self.account_status.setText(f"Saved {account.handle} on {account.platform.label}: {linked}.")
        self.accounts_saved.emit(saved.linked)
        self._tasks.start(self._people.accounts, account.person_id, key="accounts", on_done=self._show_accounts,
                          on_error=self._err)

    def _err(self, exc: BaseException, details: str) -> None:
        show_exception(self, exc, details)


def _full_text_item(text: str) -> QTableWidgetItem:
    """A cell that may be elided: the whole text is in its tooltip and its accessible text."""
    item = QTableWidgetItem(text)
    item.setToolTip(text)
    item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
    return item
