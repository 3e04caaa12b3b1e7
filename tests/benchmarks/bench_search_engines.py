"""Inbox search over 100,000 posts on both engines: SQLite (FTS5) and PostgreSQL (tsvector + GIN).

    python tests/benchmarks/bench_search_engines.py [--quick] [--pg-url postgresql+psycopg://...]

The same posts (a seeded mix of hospital words, accents and hashtags) are imported through the app's
own import path into a SQLite file and a PostgreSQL database: MEDSHARE_TEST_PG_URL's server (or
--pg-url: a role that may create databases), else a private throw-away cluster (tests/pg_server.py).
For each search it prints one JSON line per engine, {"name": "search.<engine>.<search>_median_ms",
"value", "unit"}: the median of what the inbox asks (the first page of 200 and the count capped at
10,001), plus the plain `ILIKE '%word%'` PostgreSQL used before migration 0012, for comparison.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

SEARCHES = {
    "rare_word": "zygomatic",  # 12 posts
    "common_word": "team",  # about one post in three
    "prefix": "card",  # cardiology, cardiac, cardiologist, card...
    "typed_or": "sepsis OR stroke",  # FTS5's operator is a word in the inbox: every word must match
    "two_words": "residents sepsis",
    "accented": "école",
    "one_letter": "t",
}
_COMMON = ("grand rounds residents presented sepsis pathways heart failure stroke nurses doctors emergency "
           "department discharge planning handover thank you whole slides intranet protocols communicate "
           "better during handoffs cardiology cardiac cardiologist card vaccine flu clinic week proud").split()
_ACCENTED = ("école", "café", "naïve", "Zoë", "Ångström", "São", "Málaga", "résumé", "coöperation", "façade")


def emit(name: str, value: float, unit: str) -> None:
    print(json.dumps({"name": name, "value": round(value, 2), "unit": unit}), flush=True)


def make_posts(n: int) -> list[object]:
    from medshare_desktop.core.models import ImportedPost, Platform

    rng = random.Random(17)
    platforms = list(Platform)
    start = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    rare = set(rng.sample(range(n), 12))
    posts = []
    for i in range(n):
        words = rng.choices(_COMMON, k=rng.randint(18, 45))
        if i % 3 == 0:
            words.insert(rng.randrange(len(words)), "team")
        if i % 7 == 0:
            words.insert(rng.randrange(len(words)), rng.choice(_ACCENTED))
        if i in rare:
            words.insert(rng.randrange(len(words)), "zygomatic")
        text = " ".join(words).capitalize() + f". #{rng.choice(_COMMON)} #{i} https://example.org/p/{i}"
        posts.append(ImportedPost(platforms[i % len(platforms)], text, start + timedelta(minutes=17 * i),
                                  author=f"Dr. Example {i % 250}", handle=f"@doc{i % 250}",
                                  external_id=f"bench-{i}", url=f"https://example.org/posts/{i}"))
    return posts


def load(services: object, posts: list[object]) -> float:
    started = time.perf_counter()
    for i in range(0, len(posts), 5_000):
        services.posts.store_imported(posts[i : i + 5_000], [], "bench")  # type: ignore[attr-defined]
    return time.perf_counter() - started


def inbox_ms(services: object, search: str, runs: int = 9) -> tuple[float, int]:
    """Median ms of the inbox's first page + capped count for a search, and how many posts it counts."""
    from medshare_desktop.core.ports import PostFilter

    flt = PostFilter(search=search)
    times, count = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        services.posts.query(flt, 0, 200)  # type: ignore[attr-defined]
        count = services.posts.count(flt, 10_001)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), count


def ilike_ms(engine: object, word: str, runs: int = 5) -> float:
    """What PostgreSQL did before 0012: ILIKE '%word%' on text, author and repurposed text."""
    from sqlalchemy import text

    where = "(text ILIKE :w OR author ILIKE :w OR repurposed_text ILIKE :w)"
    times = []
    with engine.connect() as conn:  # type: ignore[attr-defined]
        for _ in range(runs):
            t0 = time.perf_counter()
            conn.execute(text(f"SELECT id FROM post WHERE {where} ORDER BY posted_at DESC, id DESC LIMIT 200"),
                         {"w": f"%{word}%"}).all()
            conn.execute(text(f"SELECT count(*) FROM (SELECT id FROM post WHERE {where} LIMIT 10001) AS s"),
                         {"w": f"%{word}%"}).scalar()
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _server(folder: Path, given: str) -> tuple[str, object | None]:
    if given:
        return given, None
    from tests import pg_server

    cluster = pg_server.start(folder / "pg")
    return cluster.url(), cluster


def main(argv: list[str]) -> int:
    import psycopg
    from sqlalchemy.engine import make_url

    from medshare_desktop.bootstrap import build_services

    n = 10_000 if "--quick" in argv else 100_000
    given = argv[argv.index("--pg-url") + 1] if "--pg-url" in argv else os.environ.get("MEDSHARE_TEST_PG_URL", "")
    folder = Path(tempfile.mkdtemp(prefix="medshare-bench-search-"))
    admin_url, cluster = _server(folder, given)
    admin = make_url(admin_url)
    name = f"medshare_bench_search_{os.getpid()}"

    def admin_sql(sql: str) -> None:
        with psycopg.connect(host=admin.host, port=admin.port, user=admin.username, password=admin.password,
                             dbname=admin.database or "postgres", autocommit=True) as conn:
            conn.execute(sql)

    admin_sql(f'CREATE DATABASE "{name}"')
    urls = {"sqlite": f"sqlite:///{folder}/bench.db",
            "postgresql": admin.set(database=name).render_as_string(hide_password=False)}
    try:
        posts = make_posts(n)
        built = {engine: build_services(url, actor="bench") for engine, url in urls.items()}
        for engine, services in built.items():
            emit(f"search.{engine}.import_{n}_posts_s", load(services, posts), "s")
        with built["postgresql"].database.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.exec_driver_sql("ANALYZE post")
        for label, search in SEARCHES.items():
            counts = {}
            for engine, services in built.items():
                ms, counts[engine] = inbox_ms(services, search)
                emit(f"search.{engine}.{label}_median_ms", ms, "ms")
            if len(set(counts.values())) != 1:
                print(json.dumps({"name": f"search.{label}_counts_differ", "value": counts, "unit": "posts"}))
            emit(f"search.{label}_posts", counts["sqlite"], "posts")
        for label in ("rare_word", "common_word"):
            emit(f"search.postgresql_ilike_before.{label}_median_ms",
                 ilike_ms(built["postgresql"].database.engine, SEARCHES[label]), "ms")  # type: ignore[attr-defined]
        for services in built.values():
            services.close()
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if cluster is not None:
            cluster.stop()  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
