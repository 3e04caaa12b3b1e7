"""Databases on the test run's PostgreSQL server: one template migrated once, a fresh copy per test.

The server is MEDSHARE_TEST_PG_URL (a role allowed to create databases and roles) when it is set,
otherwise a throw-away cluster (tests/pg_server.py). When neither is possible the PostgreSQL tests
are skipped, unless MEDSHARE_TEST_PG=required (set by .ci/run) makes that a failure.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

TEMPLATE = "medshare_template"
_counter = itertools.count(1)


def _admin_connect(url: str, database: str | None = None):  # noqa: ANN202 - a psycopg connection
    import psycopg

    parsed = make_url(url)
    return psycopg.connect(host=parsed.host or "127.0.0.1", port=parsed.port or 5432, user=parsed.username,
                           password=parsed.password, dbname=database or parsed.database or "postgres", autocommit=True)


@dataclass
class PgServer:
    admin_url: str  # a superuser (or CREATEDB + CREATEROLE) on the server's maintenance database
    cluster: object | None = None
    template_ready: bool = False
    created: list[str] = field(default_factory=list)

    def url_for(self, database: str, user: str | None = None, password: str | None = None) -> str:
        parsed = make_url(self.admin_url).set(database=database)
        if user is not None:
            parsed = parsed.set(username=user, password=password)
        return parsed.render_as_string(hide_password=False)

    def _ensure_template(self) -> None:
        if self.template_ready:
            return
        from medshare_desktop.storage.database import make_engine
        from medshare_desktop.storage.migrate import upgrade_to_head

        with _admin_connect(self.admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
        url = self.url_for(TEMPLATE)
        engine = make_engine(url)
        try:
            upgrade_to_head(engine, url)
        finally:
            engine.dispose()
        self.template_ready = True

    def new_database(self, *, migrated: bool = True) -> str:
        """The name of a new database: a copy of the migrated template, or empty."""
        if migrated:
            self._ensure_template()
        name = f"medshare_t{os.getpid()}_{next(_counter)}"
        with _admin_connect(self.admin_url) as conn:
            if migrated:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}" STRATEGY FILE_COPY')
            else:
                conn.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return name

    def drop(self, name: str) -> None:
        with _admin_connect(self.admin_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if name in self.created:
            self.created.remove(name)

    def fresh_database(self, *, migrated: bool = True) -> Iterator[str]:
        name = self.new_database(migrated=migrated)
        try:
            yield self.url_for(name)
        finally:
            self.drop(name)

    def close(self) -> None:
        for name in list(self.created):
            try:
                self.drop(name)
            except Exception:  # noqa: BLE001 - the cluster goes away next anyway
                pass
        if self.cluster is not None:
            self.cluster.stop()  # type: ignore[attr-defined]
            shutil.rmtree(self.cluster.folder, ignore_errors=True)  # type: ignore[attr-defined]


def server_for_run(tmp_path_factory: pytest.TempPathFactory) -> PgServer:
    required = os.environ.get("MEDSHARE_TEST_PG", "") == "required"
    given = os.environ.get("MEDSHARE_TEST_PG_URL")
    if given:
        return PgServer(given)
    from tests import pg_server

    try:
        # not under pytest's own temporary folder: that is private to the user running the tests, and
        # under root the server runs as `postgres`, which must be able to reach its data folder
        folder = Path(tempfile.mkdtemp(prefix="medshare-pg-"))
        cluster = pg_server.start(folder)
    except Exception as exc:  # noqa: BLE001 - reported as the skip or failure reason
        if required:
            pytest.fail(f"MEDSHARE_TEST_PG=required but no PostgreSQL server could be started: {exc}")
        pytest.skip(f"no PostgreSQL server for the team-mode tests: {exc}")
    return PgServer(cluster.url(), cluster=cluster)
