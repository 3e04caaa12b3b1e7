"""Shared fixtures: one engine for the whole analysis suite (building it takes ~1 s)."""

from __future__ import annotations

import pytest

from medshare_desktop.analysis import RiskEngine


@pytest.fixture(scope="session")
def engine() -> RiskEngine:
    return RiskEngine()
