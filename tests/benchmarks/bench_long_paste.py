"""Time to analyse one huge paste with no full stops (the worst case for sentence-level work).

    python tests/benchmarks/bench_long_paste.py [--chars 255000] [--posts tests/data/risk_dev2.jsonl]

With --posts the paste is instead the texts of labelled posts one after another (thousands of sentences and
hundreds of findings: the worst case for per-finding work such as the finding check), timed with and without
the check.

A paste without punctuation is one "sentence" of tens of thousands of words. Before 2026-12-06 it went
whole through the pretrained NER and the PHI merge compared every candidate with every kept one: a
255,000-character paste took about a minute. Prints JSON lines {"name", "value", "unit"}.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from medshare_desktop.analysis import RiskEngine  # noqa: E402

WORDS = (
    "the patient was seen by our nurse and Maria said she felt tired after a long shift on the ward with "
    "Tom from Ashgrove today we had a visit"
).split()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=255_000)
    parser.add_argument("--posts", type=Path, help="a JSONL of posts whose texts make the paste")
    args = parser.parse_args(argv)
    if args.posts:
        texts = [json.loads(line)["text"] for line in args.posts.read_text(encoding="utf-8").splitlines() if line]
        text = "\n\n".join(texts * (1 + args.chars // max(1, sum(map(len, texts)))))[: args.chars]
        runs = (("risk.long_posts", RiskEngine()), ("risk.long_posts.no_check", RiskEngine(finding_check=False)))
    else:
        rng = random.Random(1)
        text = " ".join(rng.choice(WORDS) for _ in range(args.chars // 3))[: args.chars]
        runs = (("risk.long_paste", RiskEngine()),)
    for name, engine in runs:
        engine.analyze("warm up: a patient named Tom from Ashgrove")
        start = time.perf_counter()
        findings = engine.analyze(text)
        seconds = time.perf_counter() - start
        print(json.dumps({"name": f"{name}.seconds", "value": round(seconds, 2), "unit": "s", "chars": len(text)}))
        print(json.dumps({"name": f"{name}.findings", "value": len(findings), "unit": "findings"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
