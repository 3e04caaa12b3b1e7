"""Putting a backup back: shared by `medshare restore` and the start-up dialog for an unusable database (no Qt).

An unusable database file (damaged, foreign, its key missing) is renamed beside itself, never
deleted; a usable one is backed up first. The restore is recorded in the restored database's audit
trail, and the database is brought to the current schema.
"""

from __future__ import annotations

from pathlib import Path

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.services.backup_service import BackupPreview, RestoreReport, record_restore
from medshare_desktop.paths import backup_dir
from medshare_desktop.storage import unit_of_work_factory
from medshare_desktop.storage.backup import restore_file


def restore_database(backup: Path, db_file: Path, actor: str | None = None) -> RestoreReport:
    """Replace `db_file` with `backup` (the caller holds the instance lock); returns what was restored."""
    facts, safety = restore_file(backup, db_file, backup_dir())
    services = build_services(str(db_file), actor=actor)  # brings a restored older schema up to date
    try:
        report = RestoreReport(backup.name, BackupPreview(**facts), str(safety) if safety else None)
        record_restore(unit_of_work_factory(services.database), services.audit, report)
    finally:
        services.close()
    return report
