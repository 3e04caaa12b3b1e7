"""Engine behaviour: API, offsets, batches, empty/huge/odd input, no Qt, thread-safe default engine."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medshare_desktop.analysis import RiskEngine, analyze
from medshare_desktop.analysis import engine as engine_module
from medshare_desktop.core.models import Finding, RiskCategory, Severity

SAMPLE = (
    "Had a patient today, Mrs. Alvarez, 94-year-old, in room 412. Call her son at 555-123-4567. "
    "Barely slept, 30 hours on call. What a drug seeker. You should stop taking your statin."
)


def test_analyze_function_returns_sorted_findings() -> None:
    findings = analyze(SAMPLE)
    assert findings and all(isinstance(f, Finding) for f in findings)
    assert [f.start for f in findings] == sorted(f.start for f in findings)
    assert {f.category for f in findings} >= {
        RiskCategory.PHI,
        RiskCategory.PATIENT_STORY,
        RiskCategory.DISCOVERABLE,
        RiskCategory.UNPROFESSIONAL,
        RiskCategory.MEDICAL_ADVICE,
    }


def test_offsets_match_text(engine: RiskEngine) -> None:
    for finding in engine.analyze(SAMPLE):
        assert SAMPLE[finding.start : finding.end] == finding.text
        assert finding.severity in set(Severity)
        assert finding.rule and finding.message and finding.suggestion


def test_analyze_many_matches_single_calls(engine: RiskEngine) -> None:
    texts = [SAMPLE, "", "Nothing to see here.", "Email me at jo@example.com, she is my patient."]
    assert engine.analyze_many(texts) == [engine.analyze(t) for t in texts]


@pytest.mark.parametrize("text", ["", " ", "\n\n", "🙂", "\u200b\u200b", "...", "a"])
def test_trivial_text(engine: RiskEngine, text: str) -> None:
    assert engine.analyze(text) == []


def test_odd_unicode_keeps_offsets(engine: RiskEngine) -> None:
    text = "🚑\u200b Patient José Ñúñez 👩‍⚕️ called from 555-867-5309 — café ☕ RTL: مرحبا \U0001f600 SSN 123-45-6789"
    findings = engine.analyze(text)
    assert {f.kind for f in findings} >= {"phone", "ssn"}
    for finding in findings:
        assert text[finding.start : finding.end] == finding.text


def test_huge_text_does_not_hang(engine: RiskEngine) -> None:
    unit = "Patient MRN 12345678 seen today. Barely slept. aaaa " * 5 + "x" * 300 + "\n"
    text = (unit * (200_000 // len(unit) + 1))[:200_000]
    started = time.perf_counter()
    findings = engine.analyze(text)
    assert time.perf_counter() - started < 20
    assert len(findings) > 100
    for finding in findings[:50] + findings[-50:]:
        assert text[finding.start : finding.end] == finding.text


def test_long_text_without_spaces(engine: RiskEngine) -> None:
    text = "9" * 150_000 + " call 555-123-4567"
    findings = engine.analyze(text)
    assert all(text[f.start : f.end] == f.text for f in findings)


def test_chunks_cover_text_exactly() -> None:
    text = ("word " * 50_000) + "tail"
    pieces = list(engine_module._chunks(text, size=10_000))
    assert "".join(piece for _, piece in pieces) == text
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_valid_offsets(text: str) -> None:
    for finding in analyze(text):
        assert 0 <= finding.start <= finding.end <= len(text)
        assert text[finding.start : finding.end] == finding.text


def test_default_engine_created_once_under_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine_module, "_default_engine", None)
    created: list[RiskEngine] = []
    original = engine_module.RiskEngine

    class Counting(original):  # type: ignore[misc, valid-type]
        def __init__(self) -> None:
            super().__init__()
            created.append(self)

    monkeypatch.setattr(engine_module, "RiskEngine", Counting)
    threads = [threading.Thread(target=engine_module.default_engine) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(created) == 1


def test_building_the_engine_does_not_import_qt() -> None:
    code = (
        "import sys; from medshare_desktop.analysis import analyze; analyze('x');"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; print(bad); sys.exit(bool(bad))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, timeout=120)
