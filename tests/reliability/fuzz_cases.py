"""Bad inputs for `medshare scan` and every importer, and the one rule they are held to: a clean result
or a clear MedshareError — never another exception, a hang, or a partial write.

Shared by tests/reliability/test_fuzz_inputs.py (hypothesis) and tests/benchmarks/fuzz_inputs.py.
"""

from __future__ import annotations

import contextlib
import io
import json
import random
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
# (format, file name to write, a valid sample to mutate)
IMPORT_TARGETS = [
    ("csv", "posts.csv", DATA / "generic" / "posts.csv"),
    ("json", "posts.json", DATA / "generic" / "posts.json"),
    ("x-archive", "tweets.js", DATA / "x_archive" / "data" / "tweets.js"),
    ("linkedin", "Shares.csv", DATA / "linkedin" / "Shares.csv"),
    ("mastodon", "outbox.json", DATA / "mastodon" / "outbox.json"),
    ("rss", "feed.xml", DATA / "rss" / "feed.rss"),
    ("rss", "atom.xml", DATA / "rss" / "atom.xml"),
    ("auto", "export.json", DATA / "generic" / "posts.json"),
    ("auto", "archive.zip", None),  # a zipped X archive, built by sample_bytes()
    ("pasted", "", DATA / "generic" / "posts.csv"),  # text pasted into the inbox: services.imports.import_pasted
]


def target_id(target: tuple[str, str, Path | None]) -> str:
    fmt, name, _ = target
    return f"{fmt}:{name}" if name else fmt


def sample_bytes(target: tuple[str, str, Path | None]) -> bytes:
    """The valid input a target's bad inputs are derived from."""
    _, name, path = target
    if path is not None:
        return path.read_bytes()
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in sorted((DATA / "x_archive").rglob("*")):
            if member.is_file():
                archive.write(member, member.relative_to(DATA / "x_archive").as_posix())
    return buffer.getvalue()
ENCODINGS = ["utf-8-sig", "utf-16", "utf-16-be", "utf-32", "latin-1", "cp1252", "shift_jis", "cp037"]
ODD_TEXT = ["\u202e", "\u0000", "\ud800", "\ufeff", "e\u0301", "\U0001f9ec", "\r", "\u2028", "𝔇𝔯.", "\x1b[31m"]


class TimeLimit(Exception):
    pass


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Fail an example that runs longer than `seconds` (a hang), where SIGALRM exists.

    Work grows with the input (the risk engine reads about 1 MB in 10 s): give big inputs `limit_for()`.
    """
    if sys.platform == "win32":
        yield
        return

    def expired(_signum: int, _frame: Any) -> None:
        raise TimeLimit(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


KINDS = ["random", "truncate", "flip", "insert", "encode", "odd-text", "duplicate", "huge"]


def limit_for(data: bytes, base: float = 30.0) -> float:
    """Seconds an input may take before it counts as a hang: `base` plus 30 s per MB."""
    return base + 30.0 * len(data) / 1_000_000


def mutate(
    sample: bytes, rng: random.Random, kinds: list[str] = KINDS, huge_size: int = 3_000_000
) -> tuple[str, bytes]:
    """One bad input derived from a valid sample: (kind, bytes)."""
    kind = rng.choice(kinds)
    at = rng.randrange(len(sample) + 1)
    if kind == "random":
        return kind, rng.randbytes(rng.randrange(2000))
    if kind == "truncate":
        return kind, sample[:at]
    if kind == "flip":
        junk = rng.randbytes(rng.randrange(1, 16))
        return kind, sample[:at] + junk + sample[at + len(junk) :]
    if kind == "insert":
        return kind, sample[:at] + rng.randbytes(rng.randrange(1, 64)) + sample[at:]
    if kind == "encode":
        return kind, sample.decode("utf-8", errors="replace").encode(rng.choice(ENCODINGS), errors="replace")
    if kind == "odd-text":
        text = sample.decode("utf-8", errors="replace")
        cut = rng.randrange(len(text) + 1)
        odd = "".join(rng.choices(ODD_TEXT, k=rng.randrange(1, 6)))
        return kind, (text[:cut] + odd + text[cut:]).encode("utf-8", errors="surrogatepass")
    if kind == "duplicate":
        return kind, sample * rng.randrange(2, 50)
    return kind, huge(sample, rng, huge_size)


def huge(sample: bytes, rng: random.Random, size: int = 3_000_000) -> bytes:
    """A few MB: the sample repeated (mostly invalid after the first copy) or one endless record."""
    if rng.random() < 0.5:
        return (sample * (size // max(len(sample), 1) + 1))[:size]
    return sample[: len(sample) // 2] + b"A" * size + sample[len(sample) // 2 :]


def check_scan(data: bytes, folder: Path) -> str:
    """Run `medshare scan --json FILE` in-process; returns 'clean' | 'refused', or raises on a contract breach."""
    from medshare_desktop.cli import parse_args, run

    path = folder / "input.txt"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = run(parse_args(["scan", "--json", str(path)]))
    if status == 2:
        assert err.getvalue().count("\n") == 1 and err.getvalue().startswith("medshare: error:"), err.getvalue()
        return "refused"
    assert status in (0, 1), status
    # scan reads files as Python's open() does: universal newlines ("\r\n" and "\r" become "\n")
    text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    for line in out.getvalue().splitlines():  # every line reader must see one finding per line
        record = json.loads(line)
        assert text[record["start"] : record["end"]] == record["text"]
    assert (status == 1) == bool(out.getvalue())
    return "clean"


def check_import(services: Any, data: bytes, fmt: str, name: str, folder: Path) -> str:
    """Import through the services; counts before and after prove all-or-nothing. 'clean' | 'refused'."""
    from medshare_desktop.core.errors import MedshareError
    from medshare_desktop.core.ports import PostFilter

    before = services.posts.count(PostFilter())
    try:
        if fmt == "pasted":
            report = services.imports.import_pasted(data.decode("utf-8", errors="replace"))
        else:
            path = folder / name
            path.write_bytes(data)
            report = services.imports.import_source(str(path), fmt)
    except MedshareError as error:
        assert str(error).strip()
        assert services.posts.count(PostFilter()) == before, "a refused import stored posts"
        return "refused"
    assert services.posts.count(PostFilter()) == before + report.new, "the report does not match what was stored"
    return "clean"
