"""Every earlier schema revision upgrades to head with its data intact.

For each revision in Alembic's script directory (except head), a database is created at that
revision, filled with raw SQL rows valid for it (only the tables and columns that exist there),
upgraded to head, and read back through the services.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.rules.audit_chain import event_hash
from medshare_desktop.storage import Database
from medshare_desktop.storage.migrate import alembic_config, current_revision, head_revision, upgrade_to_head

AT = datetime(2026, 10, 1, 9, 30, tzinfo=UTC)
STAMP = "2026-10-01 09:30:00.000000"
HASH = "ab" * 32

# Rows valid at every revision; columns a revision does not have are left out when inserting.
ROWS: dict[str, list[dict[str, object]]] = {
    "person": [
        {
            "id": 1,
            "name": "Dr. Ada Lovelace",
            "role": "physician",
            "department": "Cardiology",
            "email": "",
            "monthly_limit": 3,
            "active": 1,
            "aliases": "Ada",
        },
    ],
    "source_account": [
        {"id": 1, "person_id": 1, "platform": "linkedin", "handle": "ada", "watched": 1, "feed_url": ""},
    ],
    "post": [
        {
            "id": 1,
            "source_account_id": 1,
            "person_id": 1,
            "platform": "linkedin",
            "external_id": "x-1",
            "url": "https://example.org/1",
            "author": "Dr. Ada Lovelace",
            "text": "Proud of our cardiology team",
            "media": "",
            "posted_at": STAMP,
            "imported_at": STAMP,
            "state": "scheduled",
            "repurposed_text": None,
            "reject_reason": "",
            "shared_url": "",
            "content_hash": HASH,
            "risk_summary": "",
            "version": 3,
        },
    ],
    "finding": [
        {
            "id": 1,
            "post_id": 1,
            "start": 0,
            "end": 5,
            "text": "Proud",
            "category": "phi",
            "kind": "name",
            "severity": "low",
            "rule": "r",
            "message": "m",
            "suggestion": "",
            "resolution": "false_positive",
            "resolution_reason": "not a name",
            "resolved_by": "ann",
            "resolved_at": STAMP,
        },
    ],
    "consent_record": [
        {
            "id": 1,
            "person_id": 1,
            "scopes": "name,photo",
            "channels": "public_social",
            "granted_on": "2026-01-01",
            "expires_on": None,
            "revoked_on": None,
            "revoke_reason": "",
            "evidence_path": "form.pdf",
            "evidence_sha256": HASH,
            "notes": "",
            "recorded_by": "ann",
            "recorded_at": STAMP,
            "supersedes_id": None,
            "superseded": 0,
        },
    ],
    "scheduled_share": [
        {
            "id": 1,
            "post_id": 1,
            "day": "2026-12-01",
            "channel": "public_social",
            "override_reason": "",
            "created_by": "ann",
        },
    ],
    "setting": [{"key": "cadence.monthly_limit", "value": "2"}],
    "evidence_file": [
        {
            "sha256": HASH,
            "stored_name": f"{HASH}.pdf",
            "original_name": "form.pdf",
            "media_type": "application/pdf",
            "size_bytes": 10,
            "metadata_stripped": 1,
            "stored_by": "ann",
            "stored_at": STAMP,
        },
    ],
    "photo_tag": [{"id": 1, "post_id": 1, "person_id": 1, "tagged_by": "ann", "tagged_at": STAMP}],
}


def earlier_revisions() -> list[str]:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [s.revision for s in scripts.walk_revisions() if s.revision != head_revision()]


def _audit_rows() -> list[dict[str, object]]:
    digest = event_hash("", AT, "ann", "person.added", "person", 1, "", '{"name": "Dr. Ada Lovelace"}')
    return [
        {
            "id": 1,
            "at": STAMP,
            "actor": "ann",
            "action": "person.added",
            "entity": "person",
            "entity_id": 1,
            "before": "",
            "after": '{"name": "Dr. Ada Lovelace"}',
            "prev_hash": "",
            "hash": digest,
        }
    ]


def fill(db: Path) -> dict[str, int]:
    """Insert ROWS into the tables that exist at this revision; returns rows per table."""
    inserted: dict[str, int] = {}
    with sqlite3.connect(db) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        for table, rows in {**ROWS, "audit_event": _audit_rows()}.items():
            if table not in tables:
                continue
            columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
            for row in rows:
                values = {k: v for k, v in row.items() if k in columns}
                names = ", ".join(f'"{k}"' for k in values)
                conn.execute(
                    f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(values))})", list(values.values())
                )
            inserted[table] = len(rows)
    return inserted


@pytest.mark.parametrize("revision", earlier_revisions() or ["(none)"])
def test_a_database_at_an_earlier_revision_upgrades_to_head_with_its_data(revision: str, tmp_path: Path) -> None:
    if revision == "(none)":
        pytest.skip("only one schema revision exists so far")
    url = f"sqlite:///{tmp_path}/old.db"
    database = Database(url)
    upgrade_to_head(database.engine, url, None, revision=revision)
    assert current_revision(database.engine) == revision
    inserted = fill(tmp_path / "old.db")
    backup = upgrade_to_head(database.engine, url, tmp_path / "backups")
    assert current_revision(database.engine) == head_revision() and backup is not None
    database.dispose()

    with sqlite3.connect(tmp_path / "old.db") as conn:
        for table, count in inserted.items():
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count, table
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    services = build_services(url, actor="tester")
    try:
        post = services.posts.get(1)
        assert post.text == "Proud of our cardiology team" and post.version == 3 and post.person_id == 1
        assert [p.name for p in services.people.list_people()] == ["Dr. Ada Lovelace"]
        assert [f.resolution_reason for f in services.posts.findings(1)] == ["not a name"]
        assert services.audit.verify() == []
        assert len(services.schedule.month(2026, 12).entries) == 1
        assert services.posts.count(PostFilter(search="cardiology")) == 1  # the full-text index came along
    finally:
        services.close()


def test_every_revision_is_reachable_in_one_line_from_the_first() -> None:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(scripts.get_heads()) == 1, "two heads: merge them before release"
    assert scripts.get_base() == "0001"
