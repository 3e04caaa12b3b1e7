"""The value every importer returns."""

from __future__ import annotations

from dataclasses import dataclass

from medshare_desktop.core.models import ImportedPost


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Posts read from one source, in source order, plus one reason per skipped record.

    `skipped` holds sentences such as "line 14: no text" or "tweet 1849…: retweet of @who";
    `source_name` is the file name (or URL) the posts came from.
    """

    posts: tuple[ImportedPost, ...]
    skipped: tuple[str, ...]
    source_name: str

    def summary(self) -> str:
        return f"{len(self.posts)} posts read from {self.source_name}, {len(self.skipped)} skipped"
