"""Import benchmarks, one JSON object per line: {"name", "value", "unit"}.

    python tests/benchmarks/bench_import.py [--quick] [--large-mb N] [--code DIR]

- reading a 100,000-post generic JSON archive with read_posts (reading only);
- a large X archive (a generated data/tweets.js of N MB, default 300, 40 with --quick) imported end
  to end by `medshare import` in a child process run under `nice`: posts/s and the child's peak RSS;
- one 58 MB JSON record (a million small objects) read by the streaming JSON reader.

`--code DIR` runs the child imports with another source tree (e.g. `git archive` of an older commit
unpacked in DIR) to measure before/after on the same files. Generated files go to a temporary folder
under /tmp and are removed afterwards.
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):  # run as a script from anywhere
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from medshare_desktop.importers import read_posts  # noqa: E402

_PLATFORMS = ("linkedin", "x", "mastodon", "blog")
_TEXT = (
    "Grand rounds this week: {i} residents presented cases on sepsis, heart failure and stroke "
    "pathways. Thank you to the whole team for the preparation — slides are on the intranet. "
    "#MedEd #Teamwork"
)


def make_json_archive(path: Path, n: int) -> Path:
    """Writes an n-post generic JSON file (the documented {"posts": [...]} shape)."""
    start = datetime(2024, 1, 1, 8, 0, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"exported_by": "bench_import", "posts": [\n')
        for i in range(n):
            platform = _PLATFORMS[i % len(_PLATFORMS)]
            record = {
                "text": _TEXT.format(i=i),
                "posted_at": (start + timedelta(minutes=17 * i)).isoformat(),
                "platform": platform,
                "author": f"Dr. Example {i % 250}",
                "handle": f"@doc{i % 250}",
                "external_id": f"{platform}-{i}",
                "url": f"https://example.org/posts/{i}",
                "media": [f"https://example.org/media/{i}.jpg"] if i % 3 == 0 else [],
            }
            handle.write(("," if i else "") + json.dumps(record, ensure_ascii=False) + "\n")
        handle.write("]}\n")
    return path


def run(quick: bool) -> list[dict]:
    n = 10_000 if quick else 100_000
    with tempfile.TemporaryDirectory(prefix="medshare-bench-") as folder:
        path = make_json_archive(Path(folder) / "posts.json", n)
        gc.collect()
        started = time.perf_counter()
        result = read_posts(path)
        elapsed = time.perf_counter() - started
        assert len(result.posts) == n, f"read {len(result.posts)} of {n} posts"
        del result
        gc.collect()
        tracemalloc.start()
        try:
            read_posts(path)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return [
        {"name": "import.read_json_posts_per_s", "value": round(n / elapsed, 1), "unit": "posts/s"},
        {"name": "import.read_peak_mb", "value": round(peak / (1024 * 1024), 1), "unit": "MB"},
    ]


_TWEET = {
    "tweet": {
        "edit_info": {"initial": {"editTweetIds": ["0"], "editableUntil": "2024-03-05T15:22:10.000Z",
                                  "editsRemaining": "5", "isEditEligible": True}},
        "retweeted": False,
        "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
        "entities": {"hashtags": [{"text": "MedEd", "indices": ["120", "126"]}], "symbols": [], "user_mentions": [],
                     "urls": [{"url": "https://t.co/abc", "expanded_url": "https://example.org/grand-rounds",
                               "display_url": "example.org/grand-rounds", "indices": ["90", "113"]}]},
        "display_text_range": ["0", "140"],
        "favorite_count": "12",
        "truncated": False,
        "retweet_count": "3",
        "favorited": False,
        "lang": "en",
    }
}


def make_tweets_js(path: Path, megabytes: int) -> int:
    """Writes an X archive's data/tweets.js of about `megabytes` MB; returns the number of tweets."""
    start = datetime(2019, 1, 1, 8, 0, tzinfo=UTC)
    target, n = megabytes * 1024 * 1024, 0
    with path.open("w", encoding="utf-8") as handle:
        handle.write("window.YTD.tweets.part0 = [\n")
        while handle.tell() < target:
            tweet = dict(_TWEET["tweet"])
            moment = start + timedelta(minutes=37 * n)
            tweet.update(
                id_str=str(1_000_000_000 + n),
                id=str(1_000_000_000 + n),
                created_at=moment.strftime("%a %b %d %H:%M:%S +0000 %Y"),
                full_text=_TEXT.format(i=n) + " https://t.co/abc",
            )
            handle.write(("," if n else "") + json.dumps({"tweet": tweet}, indent=2) + "\n")
            n += 1
        handle.write("]\n")
    return n


_IMPORT = """
import sys
from medshare_desktop.__main__ import main
sys.exit(main(["--db", sys.argv[1], "import", sys.argv[2]]))
"""
_READ = """
import sys
from medshare_desktop.importers import read_posts
print(len(read_posts(sys.argv[2]).posts))
"""
_TIMED = """
import resource, sys, time
snippet, sys.argv = sys.argv[1], sys.argv[1:]  # the snippet sees its own arguments as sys.argv[1:]
started = time.perf_counter()
try:
    exec(compile(snippet, "<bench>", "exec"), {"__name__": "__bench__"})
except SystemExit:
    pass
elapsed = time.perf_counter() - started
print(f"{elapsed} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}", file=sys.stderr)
"""


def timed_child(snippet: str, args: list[str], code: Path, data_dir: Path) -> tuple[str, float, float]:
    """Runs `snippet` under nice in a fresh process on the source tree `code`; (its output, seconds, peak RSS MB)."""
    env = dict(os.environ, PYTHONPATH=str(code), MEDSHARE_DATA_DIR=str(data_dir))
    done = subprocess.run(
        ["nice", "-n", "10", sys.executable, "-c", _TIMED, snippet, *args],
        capture_output=True, text=True, env=env, cwd=code, timeout=3600, check=False,
    )
    lines = done.stderr.strip().splitlines()
    try:
        seconds, peak = (float(v) for v in lines[-1].split())
    except (IndexError, ValueError):
        seconds, peak = float("nan"), float("nan")
    return (done.stdout.strip() or done.stderr.strip()[-300:]), seconds, peak


def run_large(megabytes: int, code: Path) -> list[dict]:
    rows = []
    with tempfile.TemporaryDirectory(prefix="medshare-bench-large-", dir="/tmp") as folder:
        data = Path(folder) / "data"
        data.mkdir()
        n = make_tweets_js(data / "tweets.js", megabytes)
        size_mb = (data / "tweets.js").stat().st_size / (1024 * 1024)
        output, seconds, peak = timed_child(_IMPORT, [f"sqlite:///{folder}/big.db", str(data / "tweets.js")], code,
                                            Path(folder) / "appdata")
        sys.stderr.write(f"large import of {n:,} tweets ({size_mb:,.0f} MB): {output}\n")
        rows += [
            {"name": f"import.x_archive_{megabytes}mb_posts_per_s", "value": round(n / seconds, 1), "unit": "posts/s"},
            {"name": f"import.x_archive_{megabytes}mb_peak_rss_mb", "value": round(peak, 1), "unit": "MB"},
        ]
        record = Path(folder) / "record.json"
        items = [{"k": i, "v": f"https://example.org/m/{i}.jpg"} for i in range(280_000)]  # one 15.5 MB record
        record.write_text(json.dumps([{"text": "one", "posted_at": "2026-10-01", "extra": items}]), encoding="utf-8")
        del items
        output, seconds, peak = timed_child(_READ, ["", str(record)], code, Path(folder) / "appdata")
        rows += [
            {"name": "import.json_15mb_record_s", "value": round(seconds, 2), "unit": "s"},
            {"name": "import.json_15mb_record_peak_rss_mb", "value": round(peak, 1), "unit": "MB"},
        ]
    return rows


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    megabytes = int(argv[argv.index("--large-mb") + 1]) if "--large-mb" in argv else (40 if quick else 300)
    code = Path(argv[argv.index("--code") + 1]).resolve() if "--code" in argv else Path(__file__).resolve().parents[2]
    rows = ([] if "--large-only" in argv else run(quick)) + run_large(megabytes, code)
    for row in rows:
        sys.stdout.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
