"""RefreshService end to end: real services on each engine, OnlineFetcher against the local FakeApi,
tokens in the in-memory keyring."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from keyring.backends import fail

from medshare_desktop.bootstrap import Services, build_services
from medshare_desktop.core.models import Person, Platform, SourceAccount
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.services.refresh_service import OFFLINE_MESSAGE, RefreshService
from medshare_desktop.importers.online import OnlineFetcher
from medshare_desktop.secrets import KeyringTokenStore
from medshare_desktop.storage import unit_of_work_factory
from tests.importers.test_online_http import FakeApi, closed_port_url
from tests.keyring_memory import MemoryKeyring

TOKEN = "mst-Zq81-UNIQUE-token-value-4471"


@pytest.fixture
def api() -> Iterator[FakeApi]:
    server = FakeApi()
    yield server
    server.close()


@pytest.fixture
def built(db_url: str) -> Iterator[Services]:
    MemoryKeyring.clear()
    services = build_services(db_url, actor="tester")
    yield services
    services.close()
    MemoryKeyring.clear()


def watch(services: Services, api_url: str) -> Person:
    person = services.people.add_person(Person(None, "Dr. Anika Patel"))
    assert person.id is not None
    for account in (
        SourceAccount(None, person.id, Platform.MASTODON, "@drpatel@mastodon.example"),
        SourceAccount(None, person.id, Platform.BLUESKY, "anikapatel.bsky.social"),
        SourceAccount(None, person.id, Platform.BLOG, "heartnotes.example.org", feed_url=f"{api_url}/blog/feed.xml"),
        SourceAccount(None, person.id, Platform.X, "@drpatel"),
    ):
        services.people.add_account(account)
    ignored = services.people.add_account(SourceAccount(None, person.id, Platform.MASTODON, "@old@mastodon.example"))
    services.people.set_watched(ignored, False)
    return person


def refresher(services: Services, base: str, tokens: KeyringTokenStore | None = None) -> RefreshService:
    fetcher = OnlineFetcher({"mastodon": base, "bluesky": base})
    uow = unit_of_work_factory(services.database)
    return RefreshService(uow, fetcher, services.posts, tokens or KeyringTokenStore())


def test_refresh_stores_new_posts_once(built: Services, api: FakeApi) -> None:
    person = watch(built, api.url)
    service = refresher(built, api.url)
    steps: list[tuple[int, int]] = []
    report = service.refresh(progress=lambda d, t: steps.append((d, t)))
    assert report.lines == (  # in the repository's order: platform, then handle
        "heartnotes.example.org: 2 new, 0 already present",
        "anikapatel.bsky.social: 2 new, 0 already present, 1 skipped",
        "@drpatel@mastodon.example: 2 new, 0 already present, 2 skipped",
        "@drpatel: not refreshable (X has no open feed; add a feed address or import its archive file)",
    )
    assert (report.new, report.already_present, report.errors, report.offline) == (6, 0, (), False)
    assert report.summary() == "6 new, 0 already present from 3 account(s); 1 not refreshable online."
    assert steps[0] == (0, 4) and steps[-1] == (4, 4)
    assert built.posts.count(PostFilter(person_id=person.id)) == 6  # every post landed on its owner

    again = service.refresh()
    assert (again.new, again.already_present) == (0, 2)  # Mastodon and Bluesky asked only since the newest post
    assert api.requests[-1][0].endswith("&since_id=113500000000000004")
    assert again.lines[1].startswith("anikapatel.bsky.social: 0 new, 0 already present")
    assert again.lines[2] == "@drpatel@mastodon.example: 0 new, 0 already present"


def test_one_failing_account_does_not_stop_the_others(built: Services, api: FakeApi) -> None:
    watch(built, api.url)
    api.routes["/xrpc/app.bsky.feed.getAuthorFeed"] = (500, b"oops", "text/plain")
    api.routes["/api/v1/accounts/109876543210/statuses"] = (200, b"[{]", "application/json")
    report = refresher(built, api.url).refresh()
    assert report.new == 2 and not report.offline
    port = api.url.rsplit(":", 1)[1]
    assert report.errors[0] == f"anikapatel.bsky.social: 127.0.0.1:{port} returned 500 for anikapatel.bsky.social"
    assert report.errors[1].startswith("@drpatel@mastodon.example: http://127.0.0.1:")
    assert "not valid JSON" in report.errors[1]
    assert report.summary() == "2 new, 0 already present from 3 account(s); 2 failed; 1 not refreshable online."


def test_offline_reports_and_stores_nothing(built: Services) -> None:
    down = closed_port_url()
    watch(built, down)
    report = refresher(built, down).refresh()
    assert report.offline and report.new == 0
    assert report.summary() == OFFLINE_MESSAGE
    assert all(line.startswith("Could not reach ", line.index(": ") + 2) for line in report.errors)
    assert built.posts.count(PostFilter()) == 0


def test_cancel_stops_between_accounts(built: Services, api: FakeApi) -> None:
    watch(built, api.url)
    stop = False

    def progress(done: int, _total: int) -> None:
        nonlocal stop
        stop = done >= 1  # the user presses Cancel while the first account is fetched

    report = refresher(built, api.url).refresh(progress=progress, cancelled=lambda: stop)
    assert report.cancelled and len(report.accounts) == 1
    assert report.summary().endswith("(cancelled).")


def test_token_is_sent_and_never_stored(built: Services, api: FakeApi, tmp_path: Path, db_url: str) -> None:
    watch(built, api.url)
    tokens = KeyringTokenStore()
    tokens.set("token:mastodon:mastodon.example", TOKEN)
    report = refresher(built, api.url, tokens).refresh()
    assert report.new == 6
    sent = [h.get("Authorization") for p, h in api.requests if p.startswith("/api/v1/")]
    assert sent == [f"Bearer {TOKEN}"] * 2
    assert all("Authorization" not in h for p, h in api.requests if not p.startswith("/api/v1/"))
    needle = TOKEN.encode()
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    files += [p for p in Path(os.environ["MEDSHARE_DATA_DIR"]).rglob("*") if p.is_file()]
    if db_url.startswith("sqlite"):
        # the database is still open: its WAL is scanned too
        assert {"medshare.db", "medshare.db-wal"} <= {p.name for p in files}
    else:
        assert TOKEN not in "\n".join(every_stored_value(db_url))  # on a server, its rows are the database
    for path in files:
        assert needle not in path.read_bytes(), path


def every_stored_value(url: str) -> list[str]:
    """Every value in every table of the database at url, as text."""
    from sqlalchemy import MetaData, create_engine, select

    engine = create_engine(url)
    try:
        tables = MetaData()
        tables.reflect(engine)
        with engine.connect() as connection:
            rows = [row for table in tables.sorted_tables for row in connection.execute(select(table))]
    finally:
        engine.dispose()
    assert rows  # the posts just stored are there, so a token among them would be found
    return [str(value) for row in rows for value in row]


def test_no_keyring_still_refreshes_public_sources(built: Services, api: FakeApi) -> None:
    watch(built, api.url)
    report = refresher(built, api.url, KeyringTokenStore(backend=fail.Keyring())).refresh()
    assert report.new == 6 and report.errors == ()
    assert all("Authorization" not in h for _p, h in api.requests)
