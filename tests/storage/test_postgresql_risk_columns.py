"""A team server keeps the inbox's risk columns in step with the findings, as SQLite's triggers do.

Before migration 0016 a PostgreSQL database had post.risk_level and post.open_findings but nothing
that maintained them: every post showed as clean. The upgrade recomputes the posts already there, and
afterwards any writer (the app, a script, psql) keeps them right.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from medshare_desktop.storage.database import make_engine
from medshare_desktop.storage.migrate import upgrade_to_head

pytestmark = pytest.mark.postgresql

_POST = ("INSERT INTO post (id, platform, external_id, url, author, text, media, posted_at, imported_at, state,"
         " reject_reason, shared_url, content_hash, risk_summary, version)"
         " VALUES (:id, 'linkedin', :ext, '', 'Dr. A', 'text', '', now(), now(), 'new', '', '', :hash, '', 1)")
_FINDING = ("INSERT INTO finding (id, post_id, start, \"end\", text, category, kind, severity, rule, message,"
            " suggestion, resolution, resolution_reason, resolved_by)"
            " VALUES (:id, :post, 0, 4, 'text', 'phi', 'name', :severity, 'r', 'm', '', :resolution, '', '')")


def _risk(conn) -> dict[int, tuple[int, int]]:
    return {r[0]: (r[1], r[2]) for r in conn.execute(text("SELECT id, risk_level, open_findings FROM post"))}


def test_a_server_database_from_before_the_triggers_gets_its_risk_recomputed_and_then_kept(pg_server) -> None:
    name = pg_server.new_database(migrated=False)
    url = pg_server.url_for(name)
    engine = make_engine(url)
    try:
        upgrade_to_head(engine, url, revision="0015")
        with engine.begin() as conn:
            for post in (1, 2, 3):
                conn.execute(text(_POST), {"id": post, "ext": f"x{post}", "hash": f"{post:064d}"})
            conn.execute(text(_FINDING), {"id": 1, "post": 1, "severity": "high", "resolution": None})
            conn.execute(text(_FINDING), {"id": 2, "post": 1, "severity": "low", "resolution": None})
            conn.execute(text(_FINDING), {"id": 3, "post": 2, "severity": "medium", "resolution": "accepted"})
            assert _risk(conn) == {1: (0, 0), 2: (0, 0), 3: (0, 0)}  # the fault: nothing kept them

        upgrade_to_head(engine, url)
        with engine.begin() as conn:
            assert _risk(conn) == {1: (3, 2), 2: (0, 0), 3: (0, 0)}

        # any writer, not only the app: resolve, reopen, move and delete findings by hand
        with engine.begin() as conn:
            conn.execute(text("UPDATE finding SET resolution = 'false_positive' WHERE id = 1"))
            conn.execute(text("UPDATE finding SET resolution = NULL WHERE id = 3"))
            conn.execute(text(_FINDING), {"id": 4, "post": 3, "severity": "low", "resolution": None})
        with engine.begin() as conn:
            assert _risk(conn) == {1: (1, 1), 2: (2, 1), 3: (1, 1)}
            conn.execute(text("UPDATE finding SET post_id = 3 WHERE id = 3"))
            assert _risk(conn) == {1: (1, 1), 2: (0, 0), 3: (2, 2)}
            conn.execute(text("DELETE FROM finding WHERE post_id = 3"))
            assert _risk(conn) == {1: (1, 1), 2: (0, 0), 3: (0, 0)}
    finally:
        engine.dispose()
        pg_server.drop(name)
