"""Bring posts in: read a source (cancellable, off the GUI thread) and store it as it is read, in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from medshare_desktop.core.errors import ValidationError
from medshare_desktop.core.models import ImportReport
from medshare_desktop.core.ports import PostReader
from medshare_desktop.core.services.post_service import PostService


class ImportService:
    def __init__(self, reader: PostReader, posts: PostService) -> None:
        self._reader = reader
        self._posts = posts

    def import_source(
        self,
        source: str,
        fmt: str = "auto",
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
        person_id: int | None = None,
    ) -> ImportReport:
        """Store the posts in batches as they are read, all in one transaction: memory stays flat however
        large the file, and a cancel or a bad record part-way rolls every batch back (nothing is stored).

        Posts are linked to people by the account or name the source gives; `person_id` says whose
        posts these are (every new post is linked to that person). The report lists the new posts
        left without a person, for the caller to ask about.
        """
        read = self._reader.stream(source, fmt, progress, cancelled)
        return self._posts.store_stream(read.items, read.source_name, person_id)

    def import_pasted(self, text: str, url: str = "", author: str = "", person_id: int | None = None) -> ImportReport:
        if not text.strip():
            raise ValidationError("Paste the post's text first.")
        post = self._reader.read_pasted(text.strip(), url.strip(), author.strip())
        return self._posts.store_imported([post], [], "pasted text", person_id)
