"""LinkedIn data export: Shares.csv (from the export zip, its extracted folder, or the file).

Columns: Date ("2024-03-05 14:22:10", UTC), ShareLink, ShareCommentary, SharedUrl, MediaUrl,
Visibility. The author's name comes from Profile.csv beside it when present.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.core.models import ImportedPost, Platform
from medshare_desktop.importers.common import Monitor, clean_text, parse_timestamp, split_media, unique
from medshare_desktop.importers.generic_csv import iter_rows
from medshare_desktop.importers.sources import Member, is_zip, open_zip, read_small
from medshare_desktop.importers.urls import linkedin_urn

REQUIRED = ("Date", "ShareCommentary")
COLUMNS = ("Date", "ShareLink", "ShareCommentary", "SharedUrl", "MediaUrl", "Visibility")
MISSING = "is not a LinkedIn data export: it has no Shares.csv"


def _locate(path: Path, stack: ExitStack) -> tuple[Member, Member | None]:
    if path.is_file() and (is_zip(path) or path.suffix.lower() == ".zip"):
        archive = stack.enter_context(open_zip(path))
        infos = {i.filename.rsplit("/", 1)[-1].lower(): i for i in archive.infolist() if not i.is_dir()}
        if "shares.csv" not in infos:
            raise ImportFormatError(path.name, "", MISSING)
        profile = infos.get("profile.csv")
        return (
            Member.of_zip(archive, infos["shares.csv"], path.name),
            Member.of_zip(archive, profile, path.name) if profile else None,
        )
    if path.is_dir():
        shares = next((p for p in path.iterdir() if p.name.lower() == "shares.csv"), None)
        if shares is None:
            raise ImportFormatError(path.name, "", MISSING)
        path = shares
    profile_path = next((p for p in path.parent.glob("*") if p.name.lower() == "profile.csv"), None)
    return Member.of_file(path), Member.of_file(profile_path) if profile_path else None


def read_profile_name(member: Member | None) -> str:
    """ "First Last" from Profile.csv; "" when absent or unreadable."""
    if member is None:
        return ""
    try:
        rows = csv.DictReader(io.StringIO(read_small(member), newline=""))
        row = next(rows)
    except (ImportFormatError, csv.Error, StopIteration, ValueError):
        return ""
    first, last = (row.get("First Name") or "").strip(), (row.get("Last Name") or "").strip()
    return f"{first} {last}".strip()


def iter_linkedin(path: Path, monitor: Monitor) -> Iterator[ImportedPost | str]:
    """Yields each record's post, or the reason it is skipped."""
    with ExitStack() as stack:
        shares, profile = _locate(path, stack)
        author = read_profile_name(profile)
        monitor.start(shares.size)
        for row, where in iter_rows(shares, monitor, REQUIRED, COLUMNS):
            yield _share(row, where, shares, author)


def _share(row: dict[str, str], where: str, shares: Member, author: str) -> ImportedPost | str:
    text = clean_text(row.get("ShareCommentary", ""))
    if not text:
        return f"{where}: no text (a share without commentary)"
    shared_url = row.get("SharedUrl", "").strip()
    if shared_url and shared_url not in text:
        text = f"{text}\n\n{shared_url}"
    try:
        posted_at = parse_timestamp(row.get("Date", ""))
    except ValueError as err:
        raise ImportFormatError(shares.label, where, f"Date {err}") from None
    link = row.get("ShareLink", "").strip()
    return ImportedPost(
        platform=Platform.LINKEDIN,
        text=text,
        posted_at=posted_at,
        author=author,
        external_id=linkedin_urn(link),
        url=link,
        media=unique(split_media(row.get("MediaUrl", ""))),
    )
