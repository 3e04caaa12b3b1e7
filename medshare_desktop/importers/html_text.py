"""HTML (Mastodon statuses, feed summaries) to plain text: no markup is ever kept."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from medshare_desktop.importers.common import clean_text

_BLOCKS = {"p", "div", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol"}
_SKIPPED = {"script", "style", "template", "head", "title"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SKIPPED:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip_depth = max(self._skip_depth - 1, 0)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: <br> → newline, paragraphs → blank line, links → their
    text, entities unescaped, runs of spaces collapsed, no tags left."""
    if "<" not in html and "&" not in html:
        return tidy(html)
    collector = _TextCollector()
    try:
        collector.feed(html)
        collector.close()
    except (AssertionError, ValueError):  # very old html.parser versions on broken markup
        pass
    return tidy("".join(collector.parts))


def tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in clean_text(text).split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
