from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import Platform
from medshare_desktop.importers import read_pasted


@pytest.mark.parametrize(
    ("url", "platform", "handle", "external_id"),
    [
        (
            "https://www.linkedin.com/feed/update/urn:li:activity:7170000000000000001/",
            Platform.LINKEDIN,
            "",
            "urn:li:activity:7170000000000000001",
        ),
        (
            "https://www.linkedin.com/posts/jane-rivera_stroke-activity-7170000000000000009-AbCd",
            Platform.LINKEDIN,
            "",
            "urn:li:activity:7170000000000000009",
        ),
        ("https://x.com/drjrivera/status/1765000000000000002", Platform.X, "@drjrivera", "1765000000000000002"),
        (
            "https://twitter.com/drjrivera/status/1765000000000000002?s=20",
            Platform.X,
            "@drjrivera",
            "1765000000000000002",
        ),
        ("https://mobile.twitter.com/drjrivera", Platform.X, "", None),
        ("https://www.instagram.com/p/C4abcDEF/", Platform.INSTAGRAM, "", None),
        ("https://m.facebook.com/story.php?id=1", Platform.FACEBOOK, "", None),
        ("https://bsky.app/profile/jane.bsky.social/post/3kabc", Platform.BLUESKY, "@jane.bsky.social", None),
        (
            "https://mastodon.social/@samokafor/111000000000000001",
            Platform.MASTODON,
            "@samokafor@mastodon.social",
            "https://mastodon.social/users/samokafor/statuses/111000000000000001",
        ),
        ("https://med-mastodon.com/@doc", Platform.MASTODON, "@doc@med-mastodon.com", None),
        ("https://okafor.example.org/2024/02/sepsis", Platform.BLOG, "", None),
        ("", Platform.OTHER, "", None),
    ],
)
def test_platform_from_url(url: str, platform: Platform, handle: str, external_id: str | None) -> None:
    post = read_pasted("Hello  world ", url=url)
    assert post.platform is platform
    assert (post.handle, post.external_id) == (handle, external_id)
    assert post.text == "Hello world"
    assert post.url == url


def test_given_values_win() -> None:
    moment = datetime(2024, 3, 5, 9, 0, tzinfo=timezone(timedelta(hours=-5)))
    post = read_pasted(
        "Text", url="https://x.com/a/status/1", author=" Dr. A ", platform=Platform.LINKEDIN, posted_at=moment
    )
    assert post.platform is Platform.LINKEDIN
    assert (post.handle, post.external_id) == ("", None)  # the URL's facts are not LinkedIn's
    assert post.author == "Dr. A"
    assert post.posted_at == datetime(2024, 3, 5, 14, tzinfo=UTC)


def test_defaults_and_scheme() -> None:
    before = datetime.now(UTC)
    post = read_pasted("Text\r\n\r\n\r\nmore", url="x.com/doc/status/5")
    assert post.url == "https://x.com/doc/status/5"
    assert post.text == "Text\n\nmore"
    assert before <= post.posted_at <= datetime.now(UTC)
    assert post.posted_at.tzinfo is UTC


@pytest.mark.parametrize(("text", "url"), [("   \n ", ""), ("ok", "not a url"), ("ok", "javascript:alert(1)")])
def test_rejects(text: str, url: str) -> None:
    with pytest.raises(ValidationError):
        read_pasted(text, url=url)
