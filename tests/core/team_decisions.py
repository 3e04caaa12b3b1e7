"""The team's decisions the "Learn from our decisions" tests teach (one missed risk per sentence label), and
another desk as its own process: `python -m tests.core.team_decisions DB MODELS` teaches them on the
database DB and retrains there with its models folder MODELS, printing whether the new model was kept."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from medshare_desktop.core.models import ImportedPost, Platform, RiskCategory
from medshare_desktop.core.ports import PostFilter

# (post text, the words marked as a missed risk, its category), written for these tests
DECISIONS = [
    ("Sat with her in cubicle 5 while her daughter flew in from Leeds.", "Sat with her in cubicle 5", RiskCategory.PATIENT_STORY),
    ("Not much sleep on call again. Four cases before lunch.", "Not much sleep on call again", RiskCategory.DISCOVERABLE),
    ("Energy drink number five and theatre is still running, someone save me.", "Energy drink number five",
     RiskCategory.UNPROFESSIONAL),
    ("Told my cousin to halve her blood pressure pills until the dizziness goes, simple.", "halve her blood pressure pills",
     RiskCategory.MEDICAL_ADVICE),
]


def teach(services) -> None:  # type: ignore[no-untyped-def]
    """Import the decisions' posts and mark each one's missed risk, as a reviewer does in the risk panel."""
    posts = [ImportedPost(Platform.LINKEDIN, text, datetime(2026, 11, 2 + i, 8, tzinfo=UTC), author="Dr. Ortega",
                          external_id=f"shared-{i}") for i, (text, _w, _c) in enumerate(DECISIONS)]
    services.posts.store_imported(posts, [], "test")
    for text, words, category in DECISIONS:
        [row] = [r for r in services.posts.query(PostFilter(search=text.split(",")[0]), 0, 50)
                 if services.posts.get(r.id).text == text]
        start = text.index(words)
        services.missed_risks.mark(row.id, start, start + len(words), category, "")


def main(db: str, models: str) -> None:
    from medshare_desktop.bootstrap import build_services

    services = build_services(db, actor="desk-a", models_folder=Path(models))
    try:
        teach(services)
        result = services.learning.retrain()
        sys.stdout.write(f"accepted={result.accepted} {result.reason}\n")
    finally:
        services.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
