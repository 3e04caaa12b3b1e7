"""Migration 0012 on a team server: the posts already there become searchable, any writer keeps the index
right, and the database's owner (not a superuser) can run it, unaccent included."""

from __future__ import annotations

import os

import psycopg
import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import make_url

from medshare_desktop.storage.database import make_engine
from medshare_desktop.storage.migrate import alembic_config, upgrade_to_head

pytestmark = pytest.mark.postgresql

_POST = ("INSERT INTO post (id, platform, external_id, url, author, text, media, posted_at, imported_at, state,"
         " reject_reason, shared_url, content_hash, risk_summary, version)"
         " VALUES (:id, 'linkedin', :ext, '', :author, :text, '', now(), now(), 'new', '', '', :hash, '', 1)")
_FOUND = "SELECT id FROM post WHERE search_vector @@ medshare_search_query(CAST(:words AS text[])) ORDER BY id"


def _found(conn, *words: str) -> list[int]:
    return list(conn.execute(text(_FOUND), {"words": list(words)}).scalars())


@pytest.fixture
def owned_database(pg_server):
    """An empty database owned by a role that may log in and nothing more (no superuser, no CREATEDB)."""
    admin = make_url(pg_server.admin_url)
    role, password = f"fts_owner_{os.getpid()}", "owner-test-only"
    name = pg_server.new_database(migrated=False)
    with psycopg.connect(host=admin.host, port=admin.port, user=admin.username, password=admin.password,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        conn.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}'")
        conn.execute(f'ALTER DATABASE "{name}" OWNER TO "{role}"')
    with psycopg.connect(host=admin.host, port=admin.port, user=admin.username, password=admin.password,
                         dbname=name, autocommit=True) as conn:
        conn.execute(f'ALTER SCHEMA public OWNER TO "{role}"')
    yield pg_server.url_for(name, user=role, password=password)
    pg_server.drop(name)
    with psycopg.connect(host=admin.host, port=admin.port, user=admin.username, password=admin.password,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_posts_from_before_the_index_are_found_and_any_writer_keeps_it(owned_database) -> None:
    url = owned_database
    engine = make_engine(url)
    try:
        upgrade_to_head(engine, url, revision="0011")
        with engine.begin() as conn:
            for post, (author, body) in enumerate([
                ("Dr. Élodie Moreau", "Café at the École de santé"),
                ("Dr. Lee", "patient_safety week: #SafetyFirst, info@stmarys-hospital.org"),
                ("Nurse Okafor", "Healthcare workers: patient care first"),
            ], start=1):
                conn.execute(text(_POST), {"id": post, "ext": f"x{post}", "hash": f"{post:064d}", "author": author,
                                           "text": body})

        upgrade_to_head(engine, url, revision="0012")  # as the database's owner: unaccent, functions, column, index
        with engine.begin() as conn:
            assert _found(conn, "cafe") == [1] and _found(conn, "ÉCOLE") == [1] and _found(conn, "elodie") == [1]
            assert _found(conn, "patient_safety") == [2] and _found(conn, "stmarys") == [2]
            assert _found(conn, "care") == [3] and _found(conn, "health") == [3] and _found(conn, "patient") == [2, 3]
            assert _found(conn, "_") == [] and _found(conn, "care", "cafe") == []
            # by hand, as a script or psql would: the generated column follows every change
            conn.execute(text("UPDATE post SET text = 'Flu shots today', repurposed_text = 'Grippe : vaccinés' "
                              "WHERE id = 1"))
            conn.execute(text("UPDATE post SET author = 'Dr. Zoë Ångström' WHERE id = 3"))
            assert _found(conn, "cafe") == [] and _found(conn, "flu") == [1] and _found(conn, "grippe") == [1]
            assert _found(conn, "vaccines") == [1] == _found(conn, "VACCINÉS")  # the repurposed text too
            assert _found(conn, "zoe", "angstrom") == [3] and _found(conn, "okafor") == []

        engine.dispose()
        config = alembic_config(url)
        command.downgrade(config, "0011")
        with engine.begin() as conn:
            columns = set(conn.execute(text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'post'")).scalars())
            functions = set(conn.execute(text(
                "SELECT proname FROM pg_proc WHERE proname LIKE 'medshare_search%'")).scalars())
            assert "search_vector" not in columns and functions == set()
        upgrade_to_head(engine, url, revision="0012")
        with engine.begin() as conn:
            assert _found(conn, "flu") == [1] and _found(conn, "zoe") == [3]
    finally:
        engine.dispose()


def test_a_search_is_one_constant_query_the_gin_index_can_answer(pg_url) -> None:
    """The words become a tsquery once, when the statement is planned (the function is immutable), so the
    GIN index can answer it: with a sequential scan ruled out, the plan reads ix_post_search_vector. (At
    100,000 posts the planner picks it by itself for a rare word: tests/benchmarks/bench_search_engines.py.)"""
    engine = make_engine(pg_url)
    try:
        with engine.begin() as conn:
            conn.execute(text(
                "INSERT INTO post (platform, external_id, url, author, text, media, posted_at, imported_at, state,"
                " reject_reason, shared_url, content_hash, risk_summary, version)"
                " SELECT 'linkedin', 'x' || i, '', 'Dr. A', 'rounds on ward ' || i, '', now(), now(), 'new', '', '',"
                " lpad(i::text, 64, '0'), '', 1 FROM generate_series(1, 200) AS i"))
            conn.execute(text("UPDATE post SET text = 'a rare Zèbra' WHERE id = (SELECT min(id) FROM post)"))
            conn.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(conn.execute(text(
                "EXPLAIN SELECT id FROM post WHERE search_vector @@ medshare_search_query(CAST(:w AS text[]))"
            ), {"w": ["ZEBR"]}).scalars())
            assert "ix_post_search_vector" in plan and "'''zebr'':*'::tsquery" in plan and "medshare_search_query" not in plan
            assert _found(conn, "zebr") == [conn.execute(text("SELECT min(id) FROM post")).scalar()]
    finally:
        engine.dispose()
