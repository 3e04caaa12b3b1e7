"""Start-up reads the schema version with one query and imports Alembic only when a migration is due."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from medshare_desktop.storage import open_database
from medshare_desktop.storage.migrate import alembic_config, current_revision, head_revision, revision_graph

OPEN_AND_REPORT = """
import sys
from medshare_desktop.storage import open_database
database = open_database(sys.argv[1], None)
from medshare_desktop.storage.migrate import current_revision
print(current_revision(database.engine), "alembic" in sys.modules)
"""


def _open_in_fresh_process(url: str) -> tuple[str, bool]:
    out = subprocess.run([sys.executable, "-c", OPEN_AND_REPORT, url], capture_output=True, text=True, check=True)
    revision, imported = out.stdout.split()
    return revision, imported == "True"


def test_the_revisions_read_from_the_files_are_alembics_own() -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert revision_graph() == {s.revision: s.down_revision for s in scripts.walk_revisions()}
    assert head_revision() == scripts.get_current_head()


def test_an_up_to_date_database_opens_without_importing_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/up_to_date.db"
    open_database(url, None).dispose()  # created and migrated here

    revision, alembic_imported = _open_in_fresh_process(url)

    assert revision == head_revision()
    assert not alembic_imported


def test_a_database_behind_the_newest_revision_is_still_upgraded(tmp_path: Path) -> None:
    from medshare_desktop.storage.database import Database
    from medshare_desktop.storage.migrate import upgrade_to_head

    url = f"sqlite:///{tmp_path}/old.db"
    database = Database(url)
    upgrade_to_head(database.engine, url, None, revision="0004")
    assert current_revision(database.engine) == "0004"
    database.dispose()

    revision, alembic_imported = _open_in_fresh_process(url)

    assert revision == head_revision()
    assert alembic_imported


def test_a_new_empty_database_has_no_revision_until_migrated(tmp_path: Path) -> None:
    from medshare_desktop.storage.database import Database

    database = Database(f"sqlite:///{tmp_path}/empty.db")
    try:
        assert current_revision(database.engine) is None
    finally:
        database.dispose()
