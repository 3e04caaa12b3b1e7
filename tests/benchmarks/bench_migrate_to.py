"""Moving the demo database to a team server (`medshare migrate-to`): how long a team waits.

    python tests/benchmarks/bench_migrate_to.py [--quick]

Starts a throw-away PostgreSQL cluster (tests/pg_server.py; MEDSHARE_TEST_PG_URL is used instead when set),
builds the demo database (320 posts, consents with a signed form, approvals with evidence snapshots, the
calendar, a sealed audit trail) and times ServerMoveService.move into a new empty database: migrations,
every row, the evidence file, per-table counts and SHA-256 read back, the audit trail verified on the
server, one commit. Also the same with 10x the posts (skipped with --quick). Prints one JSON object per
line: {"name", "value", "unit"}.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script from anywhere
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.keyring_memory.MemoryKeyring")
os.environ.pop("MEDSHARE_TEST_KEYRING_FILE", None)
os.environ.setdefault("MEDSHARE_DATA_DIR", tempfile.mkdtemp(prefix="bench-migrate-data-"))

from sqlalchemy.engine import make_url  # noqa: E402

from medshare_desktop.core.ports import PostFilter  # noqa: E402
from medshare_desktop.demo_data import demo_services  # noqa: E402
from tests import pg_server  # noqa: E402
from tests.conftest import make_imported  # noqa: E402


def _emit(name: str, value: float, unit: str) -> None:
    sys.stdout.write(json.dumps({"name": name, "value": round(value, 3), "unit": unit}) + "\n")


def _admin(url: str, sql: str) -> None:
    import psycopg

    parsed = make_url(url)
    with psycopg.connect(host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password,
                         dbname="postgres", autocommit=True) as conn:
        conn.execute(sql)


def main() -> None:
    quick = "--quick" in sys.argv
    runs = 1 if quick else 3
    cluster = None
    admin_url = os.environ.get("MEDSHARE_TEST_PG_URL")
    if not admin_url:
        folder = Path(tempfile.mkdtemp(prefix="bench-migrate-pg-"))
        folder.chmod(0o755)  # the server runs as its own user
        cluster = pg_server.start(folder / "cluster")
        admin_url = cluster.url()
    services = demo_services(analyzer=lambda _text: [])
    counter = 0

    def target() -> str:
        nonlocal counter
        counter += 1
        name = f"bench_move_{os.getpid()}_{counter}"
        _admin(admin_url, f'CREATE DATABASE "{name}"')
        return make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    try:
        assert services.server_move is not None
        timings, report = [], None
        for _ in range(runs):
            url = target()
            started = time.perf_counter()
            report = services.server_move.move(url)
            timings.append(time.perf_counter() - started)
        assert report is not None
        _emit("migrate-to: demo database to an empty server", statistics.median(timings), "s")
        _emit("migrate-to: demo database rows moved", report.rows, "rows")
        _emit("migrate-to: demo database audit events moved and verified", report.audit_events, "events")
        if not quick:
            extra = 3_200 - services.posts.count(PostFilter())
            services.posts.store_imported(make_imported(extra, start=10_000), [], "bench")
            url = target()
            started = time.perf_counter()
            report = services.server_move.move(url)
            _emit("migrate-to: 3,200 posts to an empty server", time.perf_counter() - started, "s")
            _emit("migrate-to: 3,200-post database rows moved", report.rows, "rows")
    finally:
        services.close()
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
