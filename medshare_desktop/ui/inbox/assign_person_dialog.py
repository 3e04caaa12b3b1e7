"""Whose posts are these? Link posts to a person: after an import that could not tell, or for the posts
selected in the inbox. A post linked to no person cannot be scheduled (its consent and monthly limit
cannot be checked), so the question is asked plainly and "leave them" is an explicit choice."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from medshare_desktop.core.changes import Changes
from medshare_desktop.core.models import ImportReport, Person
from medshare_desktop.core.services.people_service import PeopleService
from medshare_desktop.ui.shared.colours import themed_css
from medshare_desktop.ui.shared.dialogs import show_exception
from medshare_desktop.ui.shared.operations import Operations
from medshare_desktop.ui.shared.workers import TaskRunner

EXISTING, NEW, NOBODY = "existing", "new", "nobody"


def _author_of(source: str) -> str:
    """ "Ana Silva (@ana, X)" → "Ana Silva"; a handle alone is no name to suggest."""
    name = source.rsplit(" (", 1)[0].strip()
    return "" if name.startswith("@") or source.startswith("no author") else name


class AssignPersonDialog(QDialog):
    """Pick a person, name a new one, or leave the posts without a person."""

    def __init__(
        self,
        people: Sequence[Person],
        count: int,
        sources: Sequence[str] = (),
        after_import: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("assignPersonDialog")
        self.setWindowTitle("Whose posts are these?" if after_import else "Assign a person")
        posts = "post" if count == 1 else "posts"
        if after_import:
            intro = f"<b>{count} new {posts} could not be linked to a person.</b>"
            if sources:
                intro += "<br>The file names: " + ", ".join(f"<i>{s}</i>" for s in sources)
        else:
            intro = f"<b>Link the {count} selected {posts} to a person.</b>"
        they = "it is" if count == 1 else "they are"
        intro += (
            f"<br>Until {they} linked, {they.split()[0]} cannot be scheduled: the person's consent and monthly "
            "limit cannot be checked."
        )
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)

        self.existing = QRadioButton("&An existing person:")
        self.person = QComboBox()
        self.person.setObjectName("assignPersonCombo")
        self.person.setAccessibleName("Person")
        for p in sorted(people, key=lambda p: p.name.casefold()):
            self.person.addItem(f"{p.name} — {p.department}" if p.department else p.name, p.id)
        self.new = QRadioButton("A &new person named:")
        self.new_name = QLineEdit(_author_of(sources[0]) if sources else "")
        self.new_name.setObjectName("assignNewName")
        self.new_name.setAccessibleName("New person's name")
        self.new_name.setPlaceholderText("Full name, as in People")
        self.nobody = QRadioButton(
            "&Leave them without a person for now (they cannot be scheduled)" if after_import
            else "&No person (unlink them; they cannot be scheduled)"
        )
        self.choices = QButtonGroup(self)
        for button in (self.existing, self.new, self.nobody):
            self.choices.addButton(button)
        self.error = QLabel()
        self.error.setObjectName("assignError")
        self.error.setStyleSheet(themed_css("color: #b00020;"))
        self.error.setWordWrap(True)
        self.error.hide()

        suggested = self._match(people, sources)
        if suggested is not None:
            self.person.setCurrentIndex(self.person.findData(suggested))
        if people and (suggested is not None or not self.new_name.text()):
            self.existing.setChecked(True)
        else:
            self.new.setChecked(True)
        self.person.setEnabled(bool(people))
        self.existing.setEnabled(bool(people))
        self.person.activated.connect(lambda _i: self.existing.setChecked(True))
        self.new_name.textEdited.connect(lambda _t: self.new.setChecked(True))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Link posts")
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        grid = QGridLayout()
        grid.addWidget(self.existing, 0, 0)
        grid.addWidget(self.person, 0, 1)
        grid.addWidget(self.new, 1, 0)
        grid.addWidget(self.new_name, 1, 1)
        grid.addWidget(self.nobody, 2, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(560, self.sizeHint().height())

    @staticmethod
    def _match(people: Sequence[Person], sources: Sequence[str]) -> int | None:
        names = {_author_of(s).casefold() for s in sources} - {""}
        found = [p.id for p in people if p.name.casefold() in names]
        return found[0] if len(found) == 1 else None

    def choice(self) -> tuple[str, int | str | None]:
        """(EXISTING, person id) | (NEW, name) | (NOBODY, None)."""
        if self.existing.isChecked():
            return EXISTING, self.person.currentData()
        if self.new.isChecked():
            return NEW, " ".join(self.new_name.text().split())
        return NOBODY, None

    def _on_ok_clicked(self) -> None:
        kind, value = self.choice()
        if kind == NEW and not value:
            self.error.setText("Type the new person's name, or choose another option.")
            self.error.show()
            self.new_name.setFocus()
            return
        if kind == EXISTING and value is None:
            self.error.setText("Choose a person from the list.")
            self.error.show()
            return
        self.accept()


class PersonAssigner(QObject):
    """Asks whose posts these are and links them, off the GUI thread; `assigned` reports how many changed."""

    assigned = Signal(int)
    left_unassigned = Signal(int)  # after an import: the user chose to leave this many without a person

    def __init__(self, people: PeopleService, parent: QWidget, ops: Operations | None = None) -> None:
        super().__init__(parent)
        self._people = people
        self._parent = parent
        self._tasks = TaskRunner(self)
        self._ops = ops or Operations(parent=self)
        self.dialog: AssignPersonDialog | None = None

    def ask_after_import(self, report: ImportReport) -> None:
        if report.unassigned_ids:
            self._ask(list(report.unassigned_ids), report.unassigned_sources, after_import=True)

    def assign(self, post_ids: Sequence[int]) -> None:
        if post_ids:
            self._ask(list(post_ids), (), after_import=False)

    def _ask(self, post_ids: list[int], sources: Sequence[str], after_import: bool) -> None:
        self._tasks.start(
            self._people.list_people, False,
            on_done=lambda people: self._open(people, post_ids, sources, after_import),
            on_error=self._on_error,
        )

    def _open(self, people: list[Person], post_ids: list[int], sources: Sequence[str], after_import: bool) -> None:
        dialog = AssignPersonDialog(people, len(post_ids), sources, after_import, self._parent)
        self.dialog = dialog

        def accepted() -> None:
            kind, value = dialog.choice()
            posts = Changes(post_ids=frozenset(post_ids))
            if kind == EXISTING:
                self._ops.write(self._people.assign_posts, post_ids, value, on_done=self.assigned.emit,
                                on_error=self._on_error, initiator=self._parent, changes=posts)
            elif kind == NEW:  # the new person (Changes.of) and so their posts
                self._ops.write(self._people.assign_posts_to_new_person, post_ids, Person(None, str(value)),
                                on_done=lambda _p: self.assigned.emit(len(post_ids)), on_error=self._on_error,
                                initiator=self._parent)
            elif after_import:
                self.left_unassigned.emit(len(post_ids))
            else:
                self._ops.write(self._people.assign_posts, post_ids, None, on_done=self.assigned.emit,
                                on_error=self._on_error, initiator=self._parent, changes=posts)

        dialog.accepted.connect(accepted)
        if after_import:
            dialog.rejected.connect(lambda: self.left_unassigned.emit(len(post_ids)))
        dialog.open()

    def _on_error(self, exc: BaseException, details: str) -> None:
        show_exception(self._parent, exc, details)
