"""Importer exceptions; both are MedshareErrors whose message is fit for a dialog."""

from __future__ import annotations

from medshare_desktop.core.errors import ImportFormatError, MedshareError

CANCELLED_MESSAGE = "Import cancelled; nothing was imported."


class ImportCancelled(MedshareError):  # noqa: N818 - the name is part of the importer API
    """The user cancelled a running import; no posts are returned."""

    def __init__(self) -> None:
        super().__init__(CANCELLED_MESSAGE)


class SourceUnreachableError(ImportFormatError):
    """A feed URL could not be fetched (offline, DNS, HTTP error, timeout)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(url, "", f"could not be reached ({reason})")
        self.args = (f"Could not reach {url}: {reason}",)
