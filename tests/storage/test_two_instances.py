"""Two app instances on one database: the instance guard, no "database is locked", stale edits refused."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.errors import ConcurrentEditError
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.storage.instance_guard import acquire_instance, lock_path, read_owner
from tests.conftest import make_imported

ROOT = Path(__file__).resolve().parents[2]
HOLD = (
    "import sys, time; from medshare_desktop.storage.instance_guard import acquire_instance; "
    "g = acquire_instance(sys.argv[1]); print('held', flush=True); time.sleep(120)"
)


def _python(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)


def test_a_second_instance_opens_read_only_with_a_notice_naming_the_first(tmp_path: Path) -> None:
    db = tmp_path / "medshare.db"
    holder = _python("-c", HOLD, str(db))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        guard = acquire_instance(db)
        assert guard.read_only and str(holder.pid) in guard.notice and "read-only" in guard.notice
        assert read_owner(db)["pid"] == holder.pid
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
    taken = acquire_instance(db)  # the holder died without cleaning up: its lock is stale
    try:
        assert not taken.read_only and f"process {holder.pid}" in taken.notice
        assert read_owner(db)["pid"] == os.getpid()
    finally:
        taken.release()
    assert lock_path(db).read_text() == ""  # a clean exit leaves no owner behind
    with acquire_instance(db) as again:
        assert not again.read_only and again.notice == ""


def test_a_second_instance_can_wait_for_the_first_to_close(tmp_path: Path) -> None:
    db = tmp_path / "medshare.db"
    first = acquire_instance(db)
    assert acquire_instance(db, wait_seconds=0.3).read_only
    first.release()
    assert not acquire_instance(db, wait_seconds=0.3).read_only


def test_a_read_only_database_refuses_writes(tmp_path: Path) -> None:
    from sqlalchemy.exc import OperationalError

    from medshare_desktop.storage import Database

    url = f"sqlite:///{tmp_path}/medshare.db"
    build_services(url).close()
    database = Database(url, read_only=True)
    with pytest.raises(OperationalError, match="readonly"), database.begin() as session:
        session.connection().exec_driver_sql("INSERT INTO setting (key, value) VALUES ('a', 'b')")
    database.dispose()


def test_two_writing_processes_never_see_database_is_locked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/shared.db"
    build_services(url).close()
    writers = [_python("-m", "tests.reliability.writer_process", url, "3", tag) for tag in ("a", "b")]
    results = [json.loads(w.communicate(timeout=120)[0]) for w in writers]
    for result in results:
        assert result["errors"] == [], result["errors"]
        assert result["operations"] > 20
    services = build_services(url)
    try:
        assert services.audit.verify() == []
    finally:
        services.close()


def test_a_stale_update_from_another_instance_is_refused(db_url: str) -> None:
    first, second = build_services(db_url, actor="ann"), build_services(db_url, actor="bob")
    try:
        first.posts.store_imported(make_imported(1), [], "test")
        post_id = first.posts.query(PostFilter())[0].id
        seen_by_ann = first.posts.get(post_id)
        seen_by_bob = second.posts.get(post_id)
        second.posts.repurpose(seen_by_bob, "Bob's wording")
        with pytest.raises(ConcurrentEditError):
            first.posts.repurpose(seen_by_ann, "Ann's wording")
        kept = first.posts.get(post_id)
        assert kept.repurposed_text == "Bob's wording" and kept.version == seen_by_ann.version + 1
    finally:
        first.close()
        second.close()
