"""The throw-away demo database keeps everything it writes in its own temporary folder."""

from __future__ import annotations

from pathlib import Path

from medshare_desktop.core.ports import PostFilter


def test_the_demo_keeps_its_database_backups_and_evidence_together_in_one_temporary_folder() -> None:
    from medshare_desktop.demo_data import demo_services

    services = demo_services()
    try:
        folder = Path(services.database_url.removeprefix("sqlite:///")).parent
        assert folder.name.startswith("medshare-demo-")
        assert Path(services.evidence_location).parent == folder
        assert services.backups is not None and Path(services.backups.location()).parent == folder
        assert services.posts.count(PostFilter()) == 320
    finally:
        services.close()
