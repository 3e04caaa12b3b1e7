"""The writes tests/benchmarks/kill_test.py kills at random moments, and the checks after each kill.

Run as `python -m tests.reliability.crash_scenarios MODE DB [EXTRA]` (the worker): it prints
"ready" once started, then writes until it ends or is killed.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

NEW_TABLES_0002 = {"evidence_file", "photo_tag"}
CORE_TABLES = {"person", "post", "consent_record", "scheduled_share", "audit_event", "setting"}


def _url(db: Path) -> str:
    return f"sqlite:///{db}"


def _no_analyzer(_text: str) -> list[Any]:
    return []


def copy_template(template: Path | None, db: Path) -> None:
    """The database and, as a user moving one must, its audit head witness beside it."""
    if template is not None:
        shutil.copy(template, db)
        witness = template.with_name(template.name + ".audit-head")
        if witness.exists():
            shutil.copy(witness, db.with_name(db.name + ".audit-head"))


def _query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _counts(db: Path) -> dict[str, int]:
    return {
        t: _query(db, f"SELECT count(*) FROM {t}")[0][0] for t in ("person", "post", "consent_record", "audit_event")
    }


def _demo_database(db: Path) -> None:
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.demo_data import seed_demo

    services = build_services(_url(db), actor="kill-test")
    try:
        seed_demo(services, analyzer=_no_analyzer)
    finally:
        services.close()


def _schedule_invariants(db: Path) -> tuple[int, int]:
    """(shares on posts that are not scheduled/shared, scheduled posts without a share)."""
    orphan = _query(
        db,
        "SELECT count(*) FROM scheduled_share s JOIN post p ON p.id = s.post_id "
        "WHERE p.state NOT IN ('scheduled', 'shared')",
    )[0][0]
    bare = _query(
        db,
        "SELECT count(*) FROM post p WHERE p.state = 'scheduled' "
        "AND NOT EXISTS (SELECT 1 FROM scheduled_share s WHERE s.post_id = p.id)",
    )[0][0]
    return orphan, bare


def prepare(mode: str, work: Path, posts: int) -> tuple[Path | None, str, dict[str, Any]]:
    """(template database copied before each run, extra worker argument, facts the check compares with)."""
    from medshare_desktop.bootstrap import build_services

    template = work / "template.db"
    if mode == "import":
        from tests.benchmarks.bench_import import make_json_archive

        build_services(_url(template)).close()
        archive = make_json_archive(work / "posts.json", posts)
        return template, str(archive), {"posts": posts}
    if mode == "schedule":
        _demo_database(template)
        shares = _query(template, "SELECT count(*) FROM scheduled_share")[0][0]
        last = _query(template, "SELECT max(id) FROM audit_event")[0][0]
        return template, "", {"shares": shares, "last_event": last, "invariants": _schedule_invariants(template)}
    if mode == "migrate":
        from alembic import command
        from sqlalchemy import create_engine

        from medshare_desktop.storage.migrate import alembic_config

        _demo_database(template)
        engine = create_engine(_url(template))
        config = alembic_config(_url(template))
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.downgrade(config, "0001")
        engine.dispose()
        return template, "", {"counts": _counts(template)}
    if mode == "create":
        return None, "", {}
    raise ValueError(mode)


def check(mode: str, db: Path, baseline: dict[str, Any]) -> str:
    """'integrity' | 'partial' | 'complete' | 'absent' for the database a killed worker left."""
    if not db.exists():
        return "absent"
    if _query(db, "PRAGMA integrity_check")[0][0] != "ok":
        return "integrity"
    tables = {r[0] for r in _query(db, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    if mode == "create":
        if not tables - {"alembic_version"}:
            verdict = "absent"
        else:
            verdict = "complete" if CORE_TABLES | NEW_TABLES_0002 <= tables else "partial"
        return verdict if _reopens(db) else "partial"
    if mode == "migrate":
        revision = _query(db, "SELECT version_num FROM alembic_version")[0][0]
        if _counts(db) != baseline["counts"]:
            return "partial"
        if revision == "0001":
            verdict = "partial" if tables & NEW_TABLES_0002 else "absent"
        else:
            verdict = "complete" if NEW_TABLES_0002 <= tables else "partial"
        return verdict if _reopens(db) else "partial"
    if not _chain_intact(db):
        return "partial"
    if mode == "import":
        count = _query(db, "SELECT count(*) FROM post")[0][0]
        imported = _query(db, "SELECT count(*) FROM audit_event WHERE action = 'posts.imported'")[0][0]
        if count == 0 and imported == 0:
            return "absent"
        return "complete" if count == baseline["posts"] and imported == 1 else "partial"
    shares = _query(db, "SELECT count(*) FROM scheduled_share")[0][0]
    events = dict(
        _query(db, f"SELECT action, count(*) FROM audit_event WHERE id > {baseline['last_event']} GROUP BY action")
    )
    expected = baseline["shares"] + events.get("share.scheduled", 0) - events.get("share.unscheduled", 0)
    consistent = shares == expected and _schedule_invariants(db) == baseline["invariants"]
    return "complete" if consistent else "partial"


def _chain_intact(db: Path) -> bool:
    from medshare_desktop.bootstrap import build_services

    services = build_services(_url(db), actor="kill-check")
    try:
        return services.audit.verify() == []
    finally:
        services.close()


def _reopens(db: Path) -> bool:
    """The app can open (and finish migrating) the database after the crash, keeping the data."""
    from medshare_desktop.storage import open_database

    try:
        open_database(_url(db), db.parent / "backups").dispose()
    except Exception as exc:  # noqa: BLE001 - any failure to reopen counts against the crash
        sys.stderr.write(f"reopen failed: {exc}\n")
        return False
    return True


def _schedule_forever(services: Any) -> None:
    from medshare_desktop.core.errors import MedshareError

    rng = random.Random()
    approved = [p.id for p in services.schedule.approved_unscheduled()]
    shares: list[int] = []
    first = date.today().replace(day=1) + timedelta(days=40)
    while True:
        day = first + timedelta(days=rng.randrange(60))
        try:
            if shares and rng.random() < 0.5:
                share = shares.pop(rng.randrange(len(shares)))
                if rng.random() < 0.5:
                    services.schedule.move(share, day, override_reason="kill test")
                    shares.append(share)
                else:
                    services.schedule.unschedule(share)
            elif approved:
                post = approved[rng.randrange(len(approved))]
                shares.append(services.schedule.schedule(post, day, override_reason="kill test").id)
        except MedshareError:
            continue


def worker(mode: str, db: Path, extra: str) -> None:
    from medshare_desktop.bootstrap import build_services
    from medshare_desktop.paths import backup_dir
    from medshare_desktop.storage import open_database

    services = build_services(_url(db), actor="kill-test") if mode in ("import", "schedule") else None
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    if mode == "import":
        services.imports.import_source(extra, "json")  # type: ignore[union-attr]
    elif mode == "schedule":
        _schedule_forever(services)
    else:
        open_database(_url(db), backup_dir()).dispose()


if __name__ == "__main__":
    worker(sys.argv[1], Path(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else "")
