"""Hypothesis: malformed, truncated, huge and oddly encoded inputs to `medshare scan` and every importer
end in a clean result or a clear error — never another exception, a hang or a partial write."""

from __future__ import annotations

import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medshare_desktop.bootstrap import build_services
from tests.reliability.fuzz_cases import (
    IMPORT_TARGETS,
    KINDS,
    check_import,
    check_scan,
    huge,
    mutate,
    sample_bytes,
    target_id,
    time_limit,
)

# ~100 inputs per importer in the suite (MEDSHARE_FUZZ_EXAMPLES to change); thousands in tests/benchmarks/fuzz_inputs.py.
EXAMPLES = int(os.environ.get("MEDSHARE_FUZZ_EXAMPLES", "100"))
SMALL_KINDS = [k for k in KINDS if k != "huge"]  # files of a few MB: once per importer, below
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a hang is caught by time_limit instead
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def shared_services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    services = build_services(f"sqlite:///{tmp_path_factory.mktemp('fuzz-db')}/fuzz.db", actor="fuzz")
    yield services
    services.close()


@pytest.mark.parametrize("target", IMPORT_TARGETS, ids=[target_id(t) for t in IMPORT_TARGETS])
def test_a_bad_import_stores_everything_or_nothing(shared_services: object, tmp_path: Path, target: tuple) -> None:
    fmt, name, _ = target
    sample = sample_bytes(target)

    @FUZZ
    @given(rng=st.randoms(use_true_random=False))
    def run(rng: random.Random) -> None:
        _, data = mutate(sample, rng, SMALL_KINDS)
        with time_limit(20):
            check_import(shared_services, data, fmt, name, tmp_path)

    run()


@pytest.mark.parametrize("target", IMPORT_TARGETS, ids=[target_id(t) for t in IMPORT_TARGETS])
def test_a_huge_file_imports_or_is_refused_whole(shared_services: object, tmp_path: Path, target: tuple) -> None:
    fmt, name, _ = target
    data = huge(sample_bytes(target), random.Random(target_id(target)), size=1_000_000)  # 3 MB in the benchmark
    with time_limit(30):
        check_import(shared_services, data, fmt, name, tmp_path)


odd_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)) | st.sampled_from(["\u202e", "\ufeff", "\u0301", "\r"]),
    max_size=400,
)


@FUZZ
@given(
    data=st.one_of(
        st.binary(max_size=600),
        odd_text.map(lambda t: t.encode("utf-8")),
        st.tuples(odd_text, st.sampled_from(["utf-16", "latin-1", "utf-32", "cp1252"])).map(
            lambda p: p[0].encode(p[1], errors="replace")
        ),
        st.just(b"Call 617-555-0142 about MRN 12345678 and Mrs. Jones in room 4").map(lambda b: b[:-7]),
    )
)
def test_scan_takes_any_bytes(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    folder = tmp_path_factory.mktemp("scan")
    with time_limit(20):
        check_scan(data, folder)


def test_scan_of_a_large_file_finishes(tmp_path: Path) -> None:
    paragraph = "Grand rounds went well. Thanks to Dr. Rivera and the night shift on 4 West. " * 4
    with time_limit(30):
        assert check_scan((paragraph * 1500).encode()[:200_000], tmp_path) == "clean"


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00\x00broken", b"", b"\x00" * 1000, "caf\u00e9".encode("latin-1")],
    ids=["utf32-bom", "empty", "nul-bytes", "latin-1"],
)
def test_scan_from_a_subprocess_exits_0_1_or_2_with_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "medshare_desktop", "scan", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.returncode == 2:
        assert result.stderr.count("\n") == 1 and "in.txt" in result.stderr


def test_scan_json_keeps_one_finding_per_line_when_the_text_holds_unicode_line_breaks(tmp_path: Path) -> None:
    # found by tests/benchmarks/fuzz_inputs.py: U+2028 inside a finding's text split its JSON line in two
    text = "Call 617-555-0142\u2028about MRN 12345678 and Mrs.\u2029Jones\x85in room 4"
    assert check_scan(text.encode(), tmp_path) == "clean"
