from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import Platform
from medshare_desktop.importers import read_posts


def test_outbox(data: Path) -> None:
    result = read_posts(data / "mastodon" / "outbox.json")
    first, second = result.posts
    assert first.platform is Platform.MASTODON
    assert first.text == (
        "First shift in the new ED tonight. Fish & chips for the team <3\n\n"
        "Read more: https://hospital.example.org/ed\nThanks @cityhospital #EmergencyMedicine"
    )
    assert first.external_id == "https://mastodon.social/users/samokafor/statuses/111000000000000001"
    assert first.url == "https://mastodon.social/@samokafor/111000000000000001"
    assert (first.author, first.handle) == ("Dr. Sam Okafor", "@samokafor@mastodon.social")
    assert first.posted_at == datetime(2023, 9, 1, 7, 30, tzinfo=UTC)
    local = Path(first.media[0])  # a relative attachment that exists beside outbox.json
    assert local.is_file() and local.name == "team.jpg"
    # unlisted post: kept; content warning and paragraphs; script dropped; entities unescaped
    assert second.text == 'CW: hospital food\n\nLine one\nLine two\n\nSecond paragraph "quoted" — done'
    assert second.posted_at == datetime(2023, 9, 5, 9, 10, tzinfo=UTC)
    assert second.media == ("https://files.mastodon.social/media_attachments/files/111/clip.mp4",)
    for post in result.posts:
        assert "<" not in post.text.replace("<3", "") and "&amp;" not in post.text
    assert result.skipped == (
        "item 2: boost of https://mastodon.social/users/cityhospital/statuses/110999999999999999",
        "item 3: followers-only post (not public)",
        "item 4: direct message (not public)",
        "item 6: no text (media only)",
    )


def test_zip_and_folder(data: Path, mastodon_zip: Path) -> None:
    by_zip = read_posts(mastodon_zip)
    by_folder = read_posts(data / "mastodon")
    assert [p.text for p in by_zip.posts] == [p.text for p in by_folder.posts]
    assert by_zip.posts[0].media == ("/media_attachments/files/111/000/000/original/team.jpg",)
    assert by_zip.skipped == tuple(f"outbox.json {reason}" for reason in by_folder.skipped)


def test_author_from_actor_url_without_actor_json(tmp_path: Path, data: Path) -> None:
    (tmp_path / "outbox.json").write_bytes((data / "mastodon" / "outbox.json").read_bytes())
    first = read_posts(tmp_path / "outbox.json").posts[0]
    assert (first.author, first.handle) == ("", "@samokafor@mastodon.social")


def test_an_actor_that_is_not_a_web_address_leaves_the_post_without_a_handle(tmp_path: Path, data: Path) -> None:
    # found by the fuzz test: '[' in an actor address made urlsplit raise and the import die with a traceback
    text = (data / "mastodon" / "outbox.json").read_text(encoding="utf-8")
    (tmp_path / "outbox.json").write_text(text.replace("https://mastodon.social/users/samokafor", "https://[x/users/samokafor"))
    first = read_posts(tmp_path / "outbox.json").posts[0]
    assert first.handle == "" and first.text.startswith("First shift in the new ED tonight.")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"type": "OrderedCollection"}', 'no "orderedItems" list'),
        ("[]", "not an ActivityStreams outbox"),
        ('{"orderedItems": [5]}', "item 1: expected an activity object"),
        ('{"orderedItems": [{"type": "Create", "object": {"content": "<p>x</p>"}}]}', "item 1: published is empty"),
        ('{"orderedItems": [{"type": "Create"', "ends too early"),
    ],
)
def test_broken_outbox(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "outbox.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFormatError) as caught:
        read_posts(path)
    assert caught.value.path == "outbox.json"
    assert words in str(caught.value)
