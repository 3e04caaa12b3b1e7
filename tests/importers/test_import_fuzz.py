"""Property tests: whatever bytes an importer is given, it returns a clean result or raises
ImportFormatError — never another exception, never a hang."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshare_desktop.core.errors import ImportFormatError
from medshare_desktop.importers import ImportResult, content_hash, detect_format, read_pasted, read_posts
from tests.reliability.fuzz_cases import IMPORT_TARGETS

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
FUZZ = settings(
    max_examples=int(os.environ.get("MEDSHARE_FUZZ_EXAMPLES", "200")),
    deadline=timedelta(seconds=5),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# (format, file name to write, a valid sample to mutate): one per importer
CASES = IMPORT_TARGETS[:6]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "utf-32"]


@st.composite
def mangled(draw: st.DrawFn, sample: bytes) -> bytes:
    choice = draw(st.sampled_from(["random", "truncate", "flip", "insert", "encode"]))
    if choice == "random":
        return draw(st.binary(max_size=600))
    if choice == "encode":
        encoding = draw(st.sampled_from(ENCODINGS))
        return sample.decode("utf-8").encode(encoding, errors="replace")
    at = draw(st.integers(0, len(sample)))
    if choice == "truncate":
        return sample[:at]
    junk = draw(st.binary(min_size=1, max_size=8))
    if choice == "flip":
        return sample[:at] + junk + sample[at + len(junk) :]
    return sample[:at] + junk + sample[at:]


def _check(path: Path, fmt: str) -> None:
    try:
        result = read_posts(path, fmt)
    except ImportFormatError as err:
        assert str(err)
        return
    assert isinstance(result, ImportResult)
    for post in result.posts:
        assert post.text.strip()
        assert post.posted_at.utcoffset() == timedelta(0)
        content_hash(post)


@pytest.mark.parametrize(("fmt", "name", "sample_path"), CASES, ids=[c[0] for c in CASES])
def test_importers_never_crash(
    tmp_path_factory: pytest.TempPathFactory, fmt: str, name: str, sample_path: Path
) -> None:
    folder = tmp_path_factory.mktemp(f"fuzz-{fmt}")
    sample = sample_path.read_bytes()

    @FUZZ
    @given(content=mangled(sample))
    def run(content: bytes) -> None:
        path = folder / name
        path.write_bytes(content)
        _check(path, fmt)
        try:
            detected = detect_format(path)
        except ImportFormatError:
            return
        _check(path, detected)

    run()


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


VALID_ZIP = _zip_bytes(
    {
        "data/tweets.js": (DATA / "x_archive" / "data" / "tweets.js").read_bytes(),
        "data/account.js": (DATA / "x_archive" / "data" / "account.js").read_bytes(),
    }
)


@st.composite
def zip_inputs(draw: st.DrawFn) -> bytes:
    choice = draw(st.sampled_from(["truncate", "flip", "members", "random"]))
    if choice == "random":
        return b"PK\x03\x04" + draw(st.binary(max_size=400))
    if choice == "members":
        tweets = draw(
            st.one_of(st.binary(max_size=300), mangled((DATA / "x_archive" / "data" / "tweets.js").read_bytes()))
        )
        account = draw(st.binary(max_size=100))
        return _zip_bytes({"data/tweets.js": tweets, "data/account.js": account})
    at = draw(st.integers(0, len(VALID_ZIP)))
    if choice == "truncate":
        return VALID_ZIP[:at]
    junk = draw(st.binary(min_size=1, max_size=8))
    return VALID_ZIP[:at] + junk + VALID_ZIP[at + len(junk) :]


@pytest.mark.parametrize("fmt", ["auto", "x-archive", "mastodon", "linkedin"])
def test_zips_never_crash(tmp_path_factory: pytest.TempPathFactory, fmt: str) -> None:
    folder = tmp_path_factory.mktemp("fuzz-zip")

    @settings(FUZZ, max_examples=100)
    @given(content=zip_inputs())
    def run(content: bytes) -> None:
        path = folder / "archive.zip"
        path.write_bytes(content)
        _check(path, fmt)

    run()


@FUZZ
@given(text=st.text(max_size=200), url=st.text(max_size=80), author=st.text(max_size=20))
def test_pasted_never_crashes(text: str, url: str, author: str) -> None:
    from medshare_desktop.core.errors import ValidationError

    try:
        post = read_pasted(text, url=url, author=author)
    except ValidationError:
        return
    assert post.text and post.posted_at.utcoffset() == timedelta(0)
    content_hash(post)
