"""Fixtures for the importer tests: paths to the files in tests/data/imports and zip archives
built from them (the archives themselves are not kept in the repository)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, prefix + path.relative_to(folder).as_posix())
    return target


@pytest.fixture(scope="session")
def data() -> Path:
    return DATA


@pytest.fixture(scope="session")
def make_zip() -> Callable[..., Path]:
    return zip_folder


@pytest.fixture
def x_zip(tmp_path: Path) -> Path:
    return zip_folder(DATA / "x_archive", tmp_path / "twitter-2024-11-01-abc123.zip")


@pytest.fixture
def mastodon_zip(tmp_path: Path) -> Path:
    return zip_folder(DATA / "mastodon", tmp_path / "archive-20240101-abc.zip")


@pytest.fixture
def linkedin_zip(tmp_path: Path) -> Path:
    return zip_folder(DATA / "linkedin", tmp_path / "Basic_LinkedInDataExport_01-01-2024.zip")


@pytest.fixture
def zip_without_tweets(tmp_path: Path) -> Path:
    target = tmp_path / "twitter-archive.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.write(DATA / "x_archive" / "data" / "account.js", "data/account.js")
        archive.writestr("Your archive.html", "<html>Your archive</html>")
    return target


@pytest.fixture
def truncated_zip(x_zip: Path) -> Path:
    data = x_zip.read_bytes()
    target = x_zip.with_name("truncated.zip")
    target.write_bytes(data[: len(data) * 2 // 3])
    return target


@pytest.fixture
def corrupt_member_zip(tmp_path: Path) -> Path:
    """A zip whose directory is intact but whose tweets.js data is damaged (CRC mismatch)."""
    target = tmp_path / "corrupt.zip"
    content = (DATA / "x_archive" / "data" / "tweets.js").read_bytes()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("data/tweets.js", content)
    raw = bytearray(target.read_bytes())
    offset = raw.index(b"Flu shots")
    raw[offset : offset + 3] = b"XXX"
    target.write_bytes(bytes(raw))
    return target
