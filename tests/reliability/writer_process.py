"""A second app instance doing normal writes for a while: `python -m tests.reliability.writer_process DB SECONDS TAG`.

Prints one JSON object: {"operations": n, "errors": ["ExceptionType: message", ...]}.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import UTC, datetime

from medshare_desktop.bootstrap import build_services
from medshare_desktop.core.models import ImportedPost, Person, Platform


def main(db: str, seconds: float, tag: str) -> None:
    services = build_services(db, actor=f"writer-{tag}")
    operations, errors, batch = 0, [], 0
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            try:
                batch += 1
                posts = [
                    ImportedPost(
                        Platform.LINKEDIN,
                        f"Writer w{tag}b{batch}x post {i}: thank you to the night shift team",
                        datetime(2026, 10, 1 + i % 28, 9, 0, tzinfo=UTC),
                        author=f"Dr. Writer {tag}",
                        external_id=f"{tag}-{batch}-{i}",
                    )
                    for i in range(20)
                ]
                services.posts.store_imported(posts, [], f"writer {tag}")
                services.people.add_person(Person(None, f"Dr. {tag} {batch}"))
                operations += 2
                for post in _mine(services, tag, batch):
                    reviewed = services.posts.start_review(post)
                    services.posts.approve(reviewed)
                    operations += 2
            except Exception as exc:  # noqa: BLE001 - every failure is reported to the test
                errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        services.close()
    sys.stdout.write(json.dumps({"operations": operations, "errors": errors[:20]}) + "\n")


def _mine(services, tag: str, batch: int):  # type: ignore[no-untyped-def]
    from medshare_desktop.core.ports import PostFilter

    rows = services.posts.query(PostFilter(search=f"w{tag}b{batch}x"), 0, 3)
    return [services.posts.get(r.id) for r in rows]


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), sys.argv[3])
