"""A post pasted by hand: text plus (optionally) its URL, author, platform and time."""

from __future__ import annotations

from datetime import UTC, datetime

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import ImportedPost, Platform
from medshare_desktop.importers.html_text import tidy
from medshare_desktop.importers.urls import url_facts


def read_pasted(
    text: str,
    url: str = "",
    author: str = "",
    platform: Platform | None = None,
    posted_at: datetime | None = None,
) -> ImportedPost:
    """The post for pasted text. The platform (unless given) is guessed from the URL's host:
    linkedin.com, x.com/twitter.com, instagram.com, facebook.com, bsky.app, any host with a
    /@user path → Mastodon, any other web address → blog, no address → other. The handle and
    external id are taken from the URL where it holds them (x.com/<user>/status/<id>, …).

    posted_at defaults to now; a naive posted_at is local time (what the user typed) and is
    converted to UTC. Raises ValidationError when the text is blank or the URL is not a web
    address.
    """
    clean = tidy(text)
    if not clean:
        raise ValidationError("The pasted text is empty; paste the post's text.")
    link = url.strip()
    if link and not link.lower().startswith(("http://", "https://")):
        if "." in link.split("/")[0] and " " not in link:
            link = f"https://{link}"
        else:
            raise ValidationError(f"The URL {link[:60]!r} is not a web address (https://…).")
    facts = url_facts(link)
    chosen = platform or facts.platform
    same_site = chosen is facts.platform
    moment = posted_at or datetime.now(UTC)
    return ImportedPost(
        platform=chosen,
        text=clean,
        posted_at=moment.astimezone(UTC),
        author=author.strip(),
        handle=facts.handle if same_site else "",
        external_id=facts.external_id if same_site else None,
        url=link,
    )
