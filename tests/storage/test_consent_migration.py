"""Migration 0002 upgrades a 0001 database with data in it, and the new repositories work on it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import inspect, text

from medshare_desktop.core.models import Channel, ConsentScope
from medshare_desktop.core.ports import StoredEvidence
from medshare_desktop.storage import Database, unit_of_work_factory
from medshare_desktop.storage.migrate import current_revision, head_revision, upgrade_to_head


def test_upgrade_from_0001_keeps_consents_and_adds_the_new_tables(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/old.db"
    database = Database(url)
    upgrade_to_head(database.engine, url, tmp_path / "backups", revision="0001")
    assert current_revision(database.engine) == "0001"
    now = datetime(2026, 1, 1, 12, 0)
    with database.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO person (id, name, role, department, email, active, aliases) "
                "VALUES (1, 'Dr Ana Ruiz', 'physician', 'ICU', '', 1, '')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO consent_record (id, person_id, scopes, channels, granted_on, revoke_reason, evidence_path,"
                " evidence_sha256, notes, recorded_by, recorded_at, superseded) VALUES (1, 1, 'name,photo',"
                " 'public_social', '2026-01-01', '', '/old/form.pdf', :sha, 'paper form', 'sam', :now, 0)"
            ),
            {"sha": "c" * 64, "now": now},
        )
        conn.execute(
            text(
                "INSERT INTO post (id, platform, url, author, text, media, posted_at, imported_at, state,"
                " reject_reason, shared_url, content_hash, risk_summary, version, person_id) VALUES"
                " (1, 'linkedin', '', 'Dr Ana Ruiz', 'hello', 'a.jpg', :now, :now, 'approved', '', '', 'h1', '', 1, 1)"
            ),
            {"now": now},
        )

    backup = upgrade_to_head(database.engine, url, tmp_path / "backups")
    assert backup is not None and backup.exists()
    assert current_revision(database.engine) == head_revision()
    tables = set(inspect(database.engine).get_table_names())
    assert {"evidence_file", "photo_tag"} <= tables

    uow = unit_of_work_factory(database)
    with uow() as tx:
        [record] = tx.consents.current(1)
        assert record.scopes == frozenset({ConsentScope.NAME, ConsentScope.PHOTO})
        assert record.channels == frozenset({Channel.PUBLIC_SOCIAL})
        assert record.granted_on == date(2026, 1, 1) and record.evidence_sha256 == "c" * 64
        tags = tx.photo_tags.replace(1, [1], "sam", datetime.now(UTC))
        assert [(t.post_id, t.person_id, t.person_name) for t in tags] == [(1, 1, "Dr Ana Ruiz")]
        saved = tx.evidence.add(StoredEvidence("d" * 64, "d" * 64 + ".pdf", "form.pdf", "application/pdf", 10))
        assert tx.evidence.get("d" * 64) == saved
        assert tx.photo_tags.posts_showing(1) == [1]
    with database.engine.begin() as conn:  # deleting the post removes its tags (ON DELETE CASCADE)
        conn.execute(text("DELETE FROM post WHERE id = 1"))
    with uow() as tx:
        assert tx.photo_tags.for_post(1) == []
    database.dispose()


def test_downgrade_to_0001_drops_only_the_new_tables(tmp_path: Path) -> None:
    from alembic import command

    from medshare_desktop.storage.migrate import alembic_config

    url = f"sqlite:///{tmp_path}/d.db"
    database = Database(url)
    upgrade_to_head(database.engine, url)
    config = alembic_config(url)
    with database.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0001")
    tables = set(inspect(database.engine).get_table_names())
    assert "photo_tag" not in tables and "evidence_file" not in tables and "consent_record" in tables
    database.dispose()
