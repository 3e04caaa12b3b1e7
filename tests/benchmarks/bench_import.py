"""Import benchmark: reading a generic JSON archive with read_posts (reading only; storing is
measured elsewhere).

    python tests/benchmarks/bench_import.py [--quick]

prints one JSON object per line: {"name", "value", "unit"}.
"""

from __future__ import annotations

import gc
import json
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


def main(argv: list[str]) -> int:
    for row in run(quick="--quick" in argv):
        sys.stdout.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
