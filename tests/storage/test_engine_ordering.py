"""Lists come in one order on both engines: text in SQLite's byte order (a PostgreSQL server sorts by its own
collation, usually a language's, which ignores case and punctuation first) and ties broken by the id."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.models import Finding, Person, RiskCategory, Severity
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.storage.database import make_engine
from medshare_desktop.storage.migrate import upgrade_to_head
from tests.conftest import make_imported

NAMES = ["Oakes", "dr. a", "O'Neil", "Dr. B", "Élise"]
IN_ORDER = ["dr. a", "Dr. B", "O'Neil", "Oakes", "Élise"]  # by lower(name); a language would put Élise before O
AUTHORS = ["Oakes", "O'Neil", "dr. a", "Oakes", "Dr. B"]
BY_AUTHOR = ["Dr. B", "O'Neil", "Oakes", "Oakes", "dr. a"]  # as written; a language: dr. a, Dr. B, O'Neil, …


def _check_orders(services) -> None:  # type: ignore[no-untyped-def]
    for name in NAMES:
        services.people.add_person(Person(None, name))
    assert [p.name for p in services.people.list_people()] == IN_ORDER

    posts = [replace(p, author=a, posted_at=datetime(2026, 10, 1, 9, tzinfo=UTC))  # one time: ties on it too
             for p, a in zip(make_imported(len(AUTHORS)), AUTHORS, strict=True)]
    services.posts.store_imported(posts, [], "order.json")
    rows = services.posts.query(PostFilter(sort="author", descending=False))
    assert [r.author for r in rows] == BY_AUTHOR
    assert rows[2].id < rows[3].id  # the same author: by id
    newest_first = services.posts.query(PostFilter(sort="posted_at"))
    assert [r.id for r in newest_first] == sorted((r.id for r in rows), reverse=True)  # same time: by id

    # findings starting at the same place are listed in the order they were found
    post_id = rows[0].id
    found = [Finding(0, 5, "Dr. B", RiskCategory.PHI, kind, Severity.LOW, f"rule.{kind}", "m")
             for kind in ("name", "age", "date")]
    services.posts.store_findings(post_id, found)
    assert [r.finding.kind for r in services.posts.findings(post_id)] == ["name", "age", "date"]


def test_people_posts_and_findings_come_in_one_order_on_both_engines(services) -> None:  # type: ignore[no-untyped-def]
    _check_orders(services)


@pytest.mark.postgresql
def test_a_server_whose_database_sorts_by_a_language_still_lists_as_sqlite_does(pg_server) -> None:  # type: ignore[no-untyped-def]
    from tests.pg_databases import _admin_connect

    name = "medshare_order_icu"
    with _admin_connect(pg_server.admin_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        try:
            conn.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"
                         " LOCALE 'C.UTF-8'")
        except Exception as exc:  # noqa: BLE001 - a server built without ICU
            pytest.skip(f"this PostgreSQL has no ICU collations: {exc}")
    pg_server.created.append(name)
    url = pg_server.url_for(name)
    engine = make_engine(url)
    try:
        upgrade_to_head(engine, url)
        with engine.connect() as conn:  # the fault this guards against: the server's own order differs
            plain = conn.exec_driver_sql("SELECT n FROM (VALUES ('Dr. B'), ('dr. a')) AS t(n) ORDER BY n").scalars()
            assert list(plain) == ["dr. a", "Dr. B"]
    finally:
        engine.dispose()
    services = build_services(url, actor="tester")
    try:
        _check_orders(services)
    finally:
        services.close()
        pg_server.drop(name)
