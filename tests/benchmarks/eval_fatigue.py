"""Share of on-duty fatigue remarks the risk engine finds, and of look-alikes it flags (aggregate only).

    python tests/benchmarks/eval_fatigue.py [--data tests/data/fatigue_phrasings.jsonl]

The data file holds one JSON object per line: {"id", "text", "on_duty_fatigue": true|false}. A remark
counts as found when the engine gives any `discoverable` finding on it. Prints JSON lines
{"name", "value", "unit", "n"}:

- fatigue.on_duty.found_share: on-duty remarks with a discoverable finding (target >= 0.90)
- fatigue.look_alike.flagged_share: remarks that are not on-duty fatigue but get one (lower is better)

Texts are never printed: `fatigue_phrasings.jsonl` is an unseen set (tests/data/RISK_HOLDOUT5.md);
`tests/data/fatigue_validation.jsonl` is the development list the thresholds were chosen on.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from medshare_desktop.analysis import RiskEngine  # noqa: E402
from medshare_desktop.core.models import RiskCategory  # noqa: E402

DEFAULT_DATA = ROOT / "tests" / "data" / "fatigue_phrasings.jsonl"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    rows = [json.loads(line) for line in args.data.read_text(encoding="utf-8").splitlines() if line.strip()]
    engine = RiskEngine()
    found = {True: 0, False: 0}
    total = {True: 0, False: 0}
    for row in rows:
        on_duty = bool(row["on_duty_fatigue"])
        findings = engine.analyze(row["text"])
        total[on_duty] += 1
        if any(f.category == RiskCategory.DISCOVERABLE for f in findings):
            found[on_duty] += 1
    for name, key in (("fatigue.on_duty.found_share", True), ("fatigue.look_alike.flagged_share", False)):
        share = found[key] / total[key] if total[key] else 0.0
        print(json.dumps({"name": name, "value": round(share, 3), "unit": "ratio", "n": total[key]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
