"""The consent page driven end to end: add with evidence, schedule gated by consent, revoke, flag, unschedule."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDate, Qt  # noqa: E402
from PySide6.QtGui import QDesktopServices, QPdfWriter  # noqa: E402
from PySide6.QtPrintSupport import QPrintDialog, QPrinter  # noqa: E402

from medshare_desktop.bootstrap import Services, build_services  # noqa: E402
from medshare_desktop.core.errors import ConsentError  # noqa: E402
from medshare_desktop.core.models import (
    Channel,
    ConsentRecord,
    ConsentScope,
    ImportedPost,
    Person,
    Platform,
    SourceAccount,
)  # noqa: E402
from medshare_desktop.core.ports import PostFilter  # noqa: E402
from medshare_desktop.core.services.consent_service import ConsentService  # noqa: E402
from medshare_desktop.storage import unit_of_work_factory  # noqa: E402
from medshare_desktop.storage.evidence_store import FileEvidenceStore  # noqa: E402
from medshare_desktop.ui.consent.consent_dialog import ConsentDialog  # noqa: E402
from medshare_desktop.ui.consent.consent_page import ConsentPage  # noqa: E402
from medshare_desktop.ui.consent.consent_sheet import print_sheet  # noqa: E402
from medshare_desktop.ui.consent.revoke_dialog import RevokeDialog  # noqa: E402

TODAY = date.today()
PDF = b"%PDF-1.4\n% signed consent form\n%%EOF\n"


@pytest.fixture()
def services(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Services:
    monkeypatch.setenv("MEDSHARE_DATA_DIR", str(tmp_path / "data"))
    built = build_services(db_url, actor="tester")
    yield built
    built.close()


@pytest.fixture()
def consent(services: Services, tmp_path: Path) -> ConsentService:
    return ConsentService(
        unit_of_work_factory(services.database), services.audit, evidence=FileEvidenceStore(tmp_path / "evidence")
    )


@pytest.fixture()
def page(qtbot, services: Services, consent: ConsentService) -> ConsentPage:  # noqa: ANN001
    widget = ConsentPage(consent, services.people, schedule=services.schedule)
    qtbot.addWidget(widget)
    widget.resize(1300, 800)
    widget.show()
    with qtbot.waitSignal(widget.refreshed, timeout=10_000):
        widget.refresh()
    return widget


def add_person_with_post(services: Services, name: str) -> tuple[Person, int]:
    person = services.people.add_person(Person(None, name, department="Cardiology"))
    handle = name.split()[-1].lower()
    services.people.add_account(SourceAccount(None, person.id, Platform.LINKEDIN, handle))  # type: ignore[arg-type]
    post = ImportedPost(
        Platform.LINKEDIN,
        f"Proud of our team, says {name}.",
        datetime(2026, 1, 5, 9, tzinfo=UTC),
        name,
        handle,
        f"ext-{handle}",
    )
    services.posts.store_imported([post], [], "test")
    post_id = services.posts.query(PostFilter(person_id=person.id), 0, 5)[0].id
    services.posts.approve(services.posts.start_review(services.posts.get(post_id)))
    return person, post_id


def cell(page: ConsentPage, row: int, column: int) -> str:
    return page.proxy.index(row, column).data()


def refreshed_after(qtbot, page: ConsentPage, action) -> None:  # noqa: ANN001
    with qtbot.waitSignal(page.refreshed, timeout=10_000):
        action()
    qtbot.waitUntil(lambda: not page._tasks.busy(), timeout=10_000)


def test_add_evidence_schedule_revoke_flag_unschedule(qtbot, page, services, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    person, post_id = add_person_with_post(services, "Dr Ana Ruiz")
    refreshed_after(qtbot, page, page.refresh)
    assert page.proxy.rowCount() == 1 and cell(page, 0, 2) == "– None"
    day = TODAY + timedelta(days=7)
    with pytest.raises(ConsentError, match="Dr Ana Ruiz has no valid consent"):
        services.schedule.schedule(post_id, day)

    page.open_add_dialog(person.id)
    dialog = page.dialog
    assert isinstance(dialog, ConsentDialog) and dialog.person.currentText() == "Dr Ana Ruiz"
    dialog.attach_file(str(tmp_path / "nowhere.pdf"))  # bad evidence: refused, named
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=5000)
    assert "nowhere.pdf does not exist" in dialog.error.text()
    form = tmp_path / "signed.pdf"
    form.write_bytes(PDF)
    dialog.attach_file(str(form))
    qtbot.waitUntil(lambda: dialog.evidence_label.text().startswith("✔"), timeout=5000)
    dialog.scopes[ConsentScope.NAME].setChecked(True)
    dialog.channels[Channel.PUBLIC_SOCIAL].setChecked(True)
    dialog.expires.setDate(QDate.currentDate().addDays(-1))  # ends before it starts: refused in the dialog
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.isVisible() and "cannot expire" in dialog.error.text()
    dialog.expires.setDate(QDate.currentDate().addYears(1))
    refreshed_after(qtbot, page, lambda: dialog.buttons.button(dialog.buttons.StandardButton.Save).click())
    assert cell(page, 0, 2) == "✔ Valid" and cell(page, 0, 3) == "– None"

    qtbot.waitUntil(lambda: page.details.history.rowCount() == 1, timeout=5000)
    record = page.details.selected_record()
    assert record.evidence_sha256 == hashlib.sha256(PDF).hexdigest() and record.recorded_by == "tester"
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(page.details.evidence_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert Path(opened[0]).read_bytes() == PDF and Path(opened[0]).name.startswith(record.evidence_sha256)

    share = services.schedule.schedule(post_id, day)  # consent granted: scheduling works
    assert page.banner.isHidden()

    page.open_revoke_dialog(record)
    revoke = page.dialog
    assert isinstance(revoke, RevokeDialog)
    revoke.accept()  # no reason: refused
    assert revoke.isVisible() and "reason" in revoke.error.text()
    revoke.reason.setPlainText("  \n\t ")  # nor only blanks, with the error under the field
    revoke.accept()
    assert revoke.isVisible() and revoke.error.isVisible() and revoke.reason.accessibleDescription()
    revoke.reason.setPlainText("Asked by e-mail to stop.")
    refreshed_after(qtbot, page, revoke.accept)
    assert cell(page, 0, 2) == "⊘ Revoked"
    assert page.banner.isVisible() and share.id in page.banner.buttons
    assert share.id in services.schedule.month(day.year, day.month).flagged
    with pytest.raises(ConsentError):
        services.schedule.schedule(post_id, day + timedelta(days=1))
    qtbot.waitUntil(lambda: page.details.history.rowCount() == 2, timeout=5000)  # the revocation is a new version

    refreshed_after(qtbot, page, lambda: qtbot.mouseClick(page.banner.buttons[share.id], Qt.MouseButton.LeftButton))
    assert page.banner.isHidden()
    assert services.schedule.month(day.year, day.month).entries == []


def test_filters_search_sort_reminders_export_and_sheet(qtbot, page, services, consent, tmp_path, monkeypatch) -> None:  # noqa: ANN001

    people = [services.people.add_person(Person(None, n)) for n in ("Zoe Late", "Amy Soon", "Bob None", "Cy Print")]
    social = frozenset({Channel.PUBLIC_SOCIAL})
    consent.add_record(
        ConsentRecord(None, people[0].id, frozenset(ConsentScope), social, TODAY, TODAY + timedelta(days=80))
    )
    consent.add_record(
        ConsentRecord(None, people[1].id, frozenset({ConsentScope.NAME}), social, TODAY, TODAY + timedelta(days=5))
    )
    consent.add_record(
        ConsentRecord(None, people[3].id, frozenset({ConsentScope.PHOTO}), frozenset({Channel.PRINT}), TODAY, None)
    )
    refreshed_after(qtbot, page, page.refresh)
    assert [cell(page, r, 0) for r in range(4)] == ["Amy Soon", "Zoe Late", "Bob None", "Cy Print"]  # next expiry first
    # counted from the day the page shows it (a run that crosses midnight sees 4 days)
    assert cell(page, 0, 6).endswith(f"(in {(TODAY + timedelta(days=5) - date.today()).days} d)")

    page.filters.search.setText("zoe")
    assert page.proxy.rowCount() == 1 and cell(page, 0, 0) == "Zoe Late"
    page.filters.search.clear()
    page.filters.status.setCurrentIndex(page.filters.status.findData("expiring"))
    assert [cell(page, r, 0) for r in range(page.proxy.rowCount())] == ["Amy Soon"]
    page.filters.status.setCurrentIndex(page.filters.status.findData("valid"))
    page.filters.scope.setCurrentIndex(page.filters.scope.findData("video"))
    assert [cell(page, r, 0) for r in range(page.proxy.rowCount())] == ["Zoe Late"]
    page.filters.status.setCurrentIndex(0)
    page.filters.scope.setCurrentIndex(0)
    page.filters.channel.setCurrentIndex(page.filters.channel.findData("print"))
    row = [cell(page, r, 0) for r in range(4)].index("Cy Print")
    assert cell(page, row, 3) == "✔ Valid" and cell(page, row, 2) == "– None"

    assert page.expiry.list.count() == 1 and "Amy Soon" in page.expiry.list.item(0).text()
    refreshed_after(qtbot, page, lambda: page.expiry.window.setCurrentIndex(2))  # 90 days
    assert page.expiry.list.count() == 2

    target = tmp_path / "register.csv"
    page.export_to(str(target))
    qtbot.waitUntil(lambda: "Exported 3" in page.status.text(), timeout=5000)
    assert target.read_text(encoding="utf-8").splitlines()[0].startswith("person,department,scopes")

    page.select_person(people[0].id)
    qtbot.waitUntil(lambda: page.details.details() is not None and page.details.details().person.id == people[0].id)
    pdf = tmp_path / "sheet.pdf"
    writer = QPdfWriter(str(pdf))
    print_sheet(page.details.details(), writer)
    del writer
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 1000

    monkeypatch.setattr(QPrintDialog, "open", lambda self: None)  # the "Print sheet…" button, dialog stubbed
    qtbot.mouseClick(page.details.print_button, Qt.MouseButton.LeftButton)
    dialog, printer = page._print_dialog
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    dialog.done(1)  # finished(Accepted) without the platform dialog re-reading its widgets
    assert (tmp_path / "printed.pdf").read_bytes().startswith(b"%PDF")


def test_table_model_passes_the_qt_model_tester(qtbot, page, services, qtmodeltester) -> None:  # noqa: ANN001
    services.people.add_person(Person(None, "Solo Person"))
    refreshed_after(qtbot, page, page.refresh)
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)
