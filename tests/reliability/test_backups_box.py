"""The Settings → Backups box: back up now, preview, restore after confirmation — all in workers."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytestqt")

from medshare_desktop.core.models import Person  # noqa: E402
from medshare_desktop.core.services.backup_service import BackupService  # noqa: E402
from medshare_desktop.storage import unit_of_work_factory  # noqa: E402
from medshare_desktop.storage.backup import SqliteBackupStore  # noqa: E402


@pytest.fixture
def backups(services, tmp_path: Path) -> BackupService:  # type: ignore[no-untyped-def]
    store = SqliteBackupStore(services.database, tmp_path / "backups")
    return BackupService(store, unit_of_work_factory(services.database), services.audit)


def test_back_up_preview_and_restore(qtbot, services, backups) -> None:  # type: ignore[no-untyped-def]
    from medshare_desktop.ui.settings.backups_box import BackupsBox

    asked: list[str] = []

    def confirm(_parent, backup, preview) -> bool:  # type: ignore[no-untyped-def]
        asked.append(backup.name)
        return True

    services.people.add_person(Person(None, "Dr. Before"))
    box = BackupsBox(backups, confirm=confirm)
    qtbot.addWidget(box)
    qtbot.waitUntil(lambda: not box._tasks.busy())
    assert box.table.rowCount() == 0 and not box.restore_button.isEnabled()

    with qtbot.waitSignal(box.backed_up, timeout=10_000):
        box.back_up_button.click()
    qtbot.waitUntil(lambda: box.table.rowCount() == 1)
    box.table.selectRow(0)
    qtbot.waitUntil(lambda: "1 people" in box.preview.text(), timeout=10_000)
    assert box.restore_button.isEnabled()

    services.people.add_person(Person(None, "Dr. After"))
    with qtbot.waitSignal(box.restored, timeout=10_000) as blocker:
        box.restore_button.click()
    assert asked and "Restored" in blocker.args[0]
    assert [p.name for p in services.people.list_people()] == ["Dr. Before"]
    qtbot.waitUntil(lambda: box.table.rowCount() == 2)  # the safety copy taken before the restore
    qtbot.waitUntil(lambda: not box._tasks.busy())


def test_a_declined_confirmation_restores_nothing(qtbot, services, backups) -> None:  # type: ignore[no-untyped-def]
    from medshare_desktop.ui.settings.backups_box import BackupsBox

    backups.back_up_now()
    services.people.add_person(Person(None, "Dr. Stays"))
    box = BackupsBox(backups, confirm=lambda *_: False)
    qtbot.addWidget(box)
    qtbot.waitUntil(lambda: box.table.rowCount() == 1)
    box.table.selectRow(0)
    box.restore_button.click()
    qtbot.waitUntil(lambda: not box._tasks.busy())
    assert [p.name for p in services.people.list_people()] == ["Dr. Stays"]


def test_the_encryption_box_says_when_sqlcipher_is_missing(qtbot, services, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from medshare_desktop.storage import encryption
    from medshare_desktop.ui.settings.encryption_box import EncryptionBox

    monkeypatch.setattr(encryption, "sqlcipher_module", lambda: None)
    box = EncryptionBox(services.encryption, confirm=lambda _parent: pytest.fail("nothing to confirm"))
    qtbot.addWidget(box)
    qtbot.waitUntil(lambda: "not available" in box.state.text())
    assert "unencrypted" in box.state.text() and not box.encrypt_button.isEnabled()


def test_the_encryption_box_encrypts_after_confirmation(qtbot, services) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("sqlcipher3")
    from medshare_desktop.ui.settings.encryption_box import EncryptionBox

    asked: list[bool] = []
    box = EncryptionBox(services.encryption, confirm=lambda _parent: asked.append(True) or True)
    qtbot.addWidget(box)
    qtbot.waitUntil(box.encrypt_button.isEnabled)
    assert "not encrypted" in box.state.text()
    with qtbot.waitSignal(box.encrypted, timeout=20_000) as blocker:
        box.encrypt_button.click()
    assert asked and "now encrypted" in blocker.args[0]
    qtbot.waitUntil(lambda: "is encrypted with SQLCipher" in box.state.text())
    assert box.encrypt_button.isHidden()
    assert services.encryption.status().encrypted and len(services.people.list_people()) == 0
