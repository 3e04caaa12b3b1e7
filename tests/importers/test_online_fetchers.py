"""Mastodon, Bluesky and feed fetchers (OnlineFetcher) against the local FakeApi fixtures."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from medshare_desktop.core.errors import ImportFormatError, ValidationError
from medshare_desktop.core.models import Platform, SourceAccount
from medshare_desktop.importers.errors import SourceUnreachableError
from medshare_desktop.importers.online import OnlineFetcher, SourceHttpError
from tests.importers.test_online_http import STATUSES_PATH, FakeApi, closed_port_url

MASTODON = SourceAccount(1, 1, Platform.MASTODON, "@drpatel@mastodon.example")
BLUESKY = SourceAccount(2, 1, Platform.BLUESKY, "@anikapatel.bsky.social")


@pytest.fixture
def api() -> Iterator[FakeApi]:
    server = FakeApi()
    yield server
    server.close()


@pytest.fixture
def fetcher(api: FakeApi) -> OnlineFetcher:
    return OnlineFetcher({"mastodon": api.url, "bluesky": api.url})


def blog(api: FakeApi) -> SourceAccount:
    return SourceAccount(3, 1, Platform.BLOG, "heartnotes.example.org", feed_url=f"{api.url}/blog/feed.xml")


def test_mastodon_statuses(fetcher: OnlineFetcher, api: FakeApi) -> None:
    fetched = fetcher.fetch(MASTODON)
    assert fetched.source_name == "@drpatel@mastodon.example"
    assert [p.external_id for p in fetched.posts] == [
        "https://mastodon.example/users/drpatel/statuses/113500000000000004",
        "https://mastodon.example/users/drpatel/statuses/113400000000000003",
    ]
    first, unlisted = fetched.posts
    assert first.text == (
        "Proud of our cardiology team: 200 patients screened at the #HeartMonth clinic today!\n\n"
        "Thank you all & see you next year."
    )
    assert first.platform is Platform.MASTODON and first.handle == "@drpatel@mastodon.example"
    assert first.author == "Dr. Anika Patel"
    assert first.posted_at == datetime(2026, 11, 20, 14, 5, tzinfo=UTC)
    assert first.url == "https://mastodon.example/@drpatel/113500000000000004"
    assert first.media == ("https://files.mastodon.example/media_attachments/files/022/original/clinic.jpg",)
    assert unlisted.text == "CW: long shift\n\nThirty hours on call.\nCoffee is a food group now."
    assert len(fetched.skipped) == 2
    assert "followers-only post (not public)" in fetched.skipped[0]
    assert "direct message (not public)" in fetched.skipped[1]
    assert fetched.cursor == "113500000000000004"
    lookup, statuses = (p for p, _h in api.requests)
    assert lookup == "/api/v1/accounts/lookup?acct=drpatel"
    assert statuses == f"{STATUSES_PATH}?exclude_reblogs=true&limit=40"


def test_mastodon_since_and_token(fetcher: OnlineFetcher, api: FakeApi) -> None:
    fetched = fetcher.fetch(MASTODON, token="tok-123", since="113400000000000003")
    assert [p.external_id.rsplit("/", 1)[-1] for p in fetched.posts] == ["113500000000000004"]  # type: ignore[union-attr]
    assert api.requests[-1][0].endswith("limit=40&since_id=113400000000000003")
    assert all(h["Authorization"] == "Bearer tok-123" for _p, h in api.requests)
    nothing_new = fetcher.fetch(MASTODON, since="113500000000000004")
    assert nothing_new.posts == () and nothing_new.cursor == "113500000000000004"


def test_mastodon_refresh_pages_back_to_the_last_seen_status(fetcher: OnlineFetcher, api: FakeApi) -> None:
    import json

    from tests.importers.test_online_http import DATA, statuses_page

    template = json.loads((DATA / "mastodon_statuses.json").read_bytes())[0]
    many = [
        {**template, "id": str(113_600_000_000_000_000 + i), "uri": f"https://mastodon.example/users/drpatel/statuses/{i}"}
        for i in range(1, 96)
    ]
    api.routes[STATUSES_PATH] = lambda query: statuses_page(many, query)
    fetched = fetcher.fetch(MASTODON, since="113600000000000000")
    assert len(fetched.posts) == 95  # three pages of 40, 40 and 15: none of the 95 new statuses is missed
    assert len({p.external_id for p in fetched.posts}) == 95
    assert fetched.cursor == "113600000000000095"
    pages = [p for p, _h in api.requests if p.startswith(STATUSES_PATH)]
    assert len(pages) == 3 and "max_id=113600000000000056" in pages[1]
    first_look = fetcher.fetch(MASTODON)  # no cursor yet: only the newest page
    assert len(first_look.posts) == 40


def test_bluesky_refresh_pages_back_to_the_last_post_seen(fetcher: OnlineFetcher, api: FakeApi) -> None:
    import json

    from tests.importers.test_online_http import DATA

    template = json.loads((DATA / "bluesky_author_feed.json").read_bytes())["feed"][0]

    def item(i: int) -> dict[str, object]:
        post = {**template["post"], "uri": f"at://did:plc:abc123xyz/app.bsky.feed.post/p{i:03d}"}
        post["record"] = {**template["post"]["record"], "createdAt": f"2026-11-{1 + i // 24:02d}T{i % 24:02d}:00:00.000Z"}
        return {"post": post}

    newest_first = [item(i) for i in range(119, -1, -1)]  # 120 posts, one an hour

    def pages(query: dict[str, list[str]]) -> tuple[int, bytes, str]:
        start = int(query.get("cursor", ["0"])[0])
        page = newest_first[start : start + 50]
        body = {"feed": page, **({"cursor": str(start + 50)} if start + 50 < len(newest_first) else {})}
        return 200, json.dumps(body).encode(), "application/json"

    api.routes["/xrpc/app.bsky.feed.getAuthorFeed"] = pages
    fetched = fetcher.fetch(BLUESKY, since="2026-11-01T09:30:00+00:00")  # post 9 was the newest seen
    assert len(fetched.posts) == 110  # posts 10..119 over three pages, none missed, none twice
    assert fetched.cursor == datetime(2026, 11, 5, 23, 0, tzinfo=UTC).isoformat()
    assert len(fetcher.fetch(BLUESKY).posts) == 50  # no cursor yet: only the newest page


def test_bluesky_posts_without_a_uri_are_all_kept(fetcher: OnlineFetcher, api: FakeApi) -> None:
    import json

    from tests.importers.test_online_http import DATA

    template = json.loads((DATA / "bluesky_author_feed.json").read_bytes())["feed"][0]
    items = []
    for i in range(3):
        post = {k: v for k, v in template["post"].items() if k != "uri"}
        post["record"] = {**template["post"]["record"], "text": f"Flu clinic update number {i}"}
        items.append({"post": post})
    api.routes["/xrpc/app.bsky.feed.getAuthorFeed"] = (200, json.dumps({"feed": items}).encode(), "application/json")
    assert [p.text for p in fetcher.fetch(BLUESKY).posts] == [f"Flu clinic update number {i}" for i in range(3)]


def test_mastodon_unknown_account(fetcher: OnlineFetcher, api: FakeApi) -> None:
    del api.routes["/api/v1/accounts/lookup"]
    with pytest.raises(SourceHttpError, match=r"^mastodon.example returned 404 for @drpatel@mastodon.example"):
        fetcher.fetch(MASTODON)


def test_mastodon_malformed_statuses(fetcher: OnlineFetcher, api: FakeApi) -> None:
    api.routes[STATUSES_PATH] = (200, b'{"error": "not a list"}', "application/json")
    with pytest.raises(ImportFormatError, match="not a list of statuses"):
        fetcher.fetch(MASTODON)


def test_bluesky_author_feed(fetcher: OnlineFetcher, api: FakeApi) -> None:
    fetched = fetcher.fetch(BLUESKY, token="bsky-tok")
    assert len(fetched.posts) == 2 and len(fetched.skipped) == 1
    assert "repost" in fetched.skipped[0]
    post = fetched.posts[0]
    assert post.platform is Platform.BLUESKY and post.handle == "anikapatel.bsky.social"
    assert post.external_id == "at://did:plc:abc123xyz/app.bsky.feed.post/3lbq2xyzabc2k"
    assert post.url == "https://bsky.app/profile/anikapatel.bsky.social/post/3lbq2xyzabc2k"
    assert post.text.startswith("Flu shots are free for all staff")
    assert post.posted_at == datetime(2026, 11, 21, 16, 45, tzinfo=UTC)
    assert post.media == ("https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:abc123xyz/bafkreiimage@jpeg",)
    path, headers = api.requests[-1]
    assert path == "/xrpc/app.bsky.feed.getAuthorFeed?actor=anikapatel.bsky.social&limit=50&filter=posts_no_replies"
    assert headers["Authorization"] == "Bearer bsky-tok"


def test_feed_attributed_to_the_account(fetcher: OnlineFetcher, api: FakeApi) -> None:
    fetched = fetcher.fetch(blog(api))
    assert [p.external_id for p in fetched.posts] == ["heartnotes-2026-11-lobby", "heartnotes-2026-10-habits"]
    assert all(p.platform is Platform.BLOG and p.handle == "heartnotes.example.org" for p in fetched.posts)
    assert fetched.posts[0].text.startswith("Why we screen in the lobby\n\nScreening where people")


def test_broken_feed_names_the_url(fetcher: OnlineFetcher, api: FakeApi) -> None:
    api.routes["/blog/feed.xml"] = (200, b"<html><body>Not a feed</body></html>", "text/html")
    with pytest.raises(ImportFormatError, match=r"/blog/feed\.xml: is not a readable RSS or Atom feed"):
        fetcher.fetch(blog(api))


def test_offline_for_every_kind() -> None:
    down = closed_port_url()
    fetcher = OnlineFetcher({"mastodon": down, "bluesky": down})
    feed = SourceAccount(3, 1, Platform.BLOG, "blog", feed_url=f"{down}/feed.xml")
    for account, host in ((MASTODON, "mastodon.example"), (BLUESKY, "127.0.0.1"), (feed, "127.0.0.1")):
        with pytest.raises(SourceUnreachableError, match=f"^Could not reach {host}") as caught:
            fetcher.fetch(account)
        assert fetcher.is_unreachable(caught.value)
    assert not fetcher.is_unreachable(SourceHttpError("h", 500, "x"))


def test_refreshable_and_token_keys() -> None:
    fetcher = OnlineFetcher()
    x = SourceAccount(4, 1, Platform.X, "@drpatel")
    assert "X has no open feed" in (fetcher.unsupported_reason(x) or "")
    assert fetcher.unsupported_reason(SourceAccount(5, 1, Platform.MASTODON, "@drpatel")) is not None
    assert fetcher.unsupported_reason(MASTODON) is None and fetcher.unsupported_reason(BLUESKY) is None
    with_feed = SourceAccount(6, 1, Platform.LINKEDIN, "anika", feed_url="https://Blog.Example.org/rss")
    assert fetcher.unsupported_reason(with_feed) is None
    assert fetcher.token_key(MASTODON) == "token:mastodon:mastodon.example"
    assert fetcher.token_key(BLUESKY) == "token:bluesky:public.api.bsky.app"
    assert fetcher.token_key(with_feed) == "token:feed:blog.example.org"
    assert fetcher.token_key(x) is None
    with pytest.raises(ValidationError, match="cannot be refreshed online"):
        fetcher.fetch(x)
