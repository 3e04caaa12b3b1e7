"""The spaCy risk engine (an adapter of the core; never imports Qt).

from medshare_desktop.analysis import analyze, RiskEngine
"""

from __future__ import annotations

from medshare_desktop.analysis.engine import RiskEngine, analyze, default_engine

__all__ = ["RiskEngine", "analyze", "default_engine"]
