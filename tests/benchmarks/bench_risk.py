"""Risk engine speed: load time, p95 latency for a 3,000-character post, batch throughput.

    python tests/benchmarks/bench_risk.py [--quick]

`run(quick)` returns [{"name", "value", "unit"}, ...]: risk.load_s, risk.p50_/p95_ms_3000_chars (after
warm-up, one post at a time), risk.p95_ms_3000_chars_best_of_3 (each post timed three times and its
fastest run kept: the engine's own cost without a busy machine's stalls) and risk.throughput_posts_per_s
(nlp.pipe batches, one core, posts of typical social-media length) and risk.encoder_share_of_sentences (the share
of sentences the cascade sends to the sentence encoder; --textcat-only switches that stage off). Targets: p95 <= 20 ms,
>= 300 posts/s.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SENTENCES = [
    "Proud of our cardiology team for another year of great outcomes.",
    "Had a patient today, a 67-year-old man from Springfield, who reminded me why I do this.",
    "Barely slept, 30 hours on call and the ED is boarding again.",
    "Reminder: talk to your doctor about colon cancer screening if you are over 45.",
    "Call the clinic at 555-201-3344 to book your flu shot.",
    "Mrs. Alvarez in room 412 was discharged on March 3 after a long stay.",
    "We were short-staffed again, unsafe ratios all night.",
    "New paper out in JAMA on sepsis bundles, link in bio https://example.org/paper.",
    "DM me your symptoms and I'll tell you what to take.",
    "Grateful for the nurses on 5 West who made this week bearable.",
    "Her MRN 00482913 was on the sticker, so I covered it before posting the photo.",
    "Great discussion at grand rounds about antibiotic stewardship.",
]


def make_post(chars: int, rng: random.Random) -> str:
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < chars:
        parts.append(rng.choice(SENTENCES))
    return " ".join(parts)[:chars]


def run(
    quick: bool = False, textcat_only: bool = False, head_dir: Path | None = None, check: bool = True
) -> list[dict[str, object]]:
    rng = random.Random(7)
    started = time.perf_counter()
    from medshare_desktop.analysis import RiskEngine

    engine = RiskEngine(head_dir=head_dir, finding_check=check)
    load_s = time.perf_counter() - started
    cascade = engine.nlp.get_pipe("medshare_sentence_model") if "medshare_sentence_model" in engine.nlp.pipe_names else None
    if cascade is not None and textcat_only:
        cascade.textcat_only()

    long_posts = [make_post(3000, rng) for _ in range(30 if quick else 100)]
    for post in long_posts[:10]:  # warm-up
        engine.analyze(post)
    timings = []
    best = [float("inf")] * len(long_posts)
    for _ in range(3):
        for index, post in enumerate(long_posts):
            t0 = time.perf_counter()
            engine.analyze(post)
            elapsed = (time.perf_counter() - t0) * 1000
            timings.append(elapsed)
            best[index] = min(best[index], elapsed)
    p95 = statistics.quantiles(timings, n=20)[18]
    p50 = statistics.median(timings)
    p95_best = statistics.quantiles(best, n=20)[18]

    # the synthetic post's risky sentences are all caught by rules, so none reaches the encoder: also time the
    # long posts of development set 2 (1,200-3,000 characters, written as real posts)
    dev2 = ROOT / "tests" / "data" / "risk_dev2.jsonl"
    real_ms: list[float] = []
    if dev2.is_file():
        real_posts = [json.loads(line)["text"] for line in dev2.read_text("utf-8").splitlines() if line.strip()]
        if cascade is not None:
            cascade.scored = cascade.encoded = 0
        for _ in range(2):
            for post in real_posts:
                t0 = time.perf_counter()
                engine.analyze(post)
                real_ms.append((time.perf_counter() - t0) * 1000)
    real_share = cascade.encoded / cascade.scored if cascade is not None and cascade.scored else 0.0

    posts = [make_post(rng.randint(120, 600), rng) for _ in range(500 if quick else 3000)]
    engine.analyze_many(posts[:50])
    if cascade is not None:
        cascade.scored = cascade.encoded = 0
    t0 = time.perf_counter()
    engine.analyze_many(posts, batch_size=128)
    throughput = len(posts) / (time.perf_counter() - t0)
    share = cascade.encoded / cascade.scored if cascade is not None and cascade.scored else 0.0
    return [
        {"name": "risk.load_s", "value": round(load_s, 3), "unit": "s"},
        {"name": "risk.p50_ms_3000_chars", "value": round(p50, 2), "unit": "ms"},
        {"name": "risk.p95_ms_3000_chars", "value": round(p95, 2), "unit": "ms"},
        {"name": "risk.p95_ms_3000_chars_best_of_3", "value": round(p95_best, 2), "unit": "ms"},
        {"name": "risk.throughput_posts_per_s", "value": round(throughput, 1), "unit": "posts/s"},
        {"name": "risk.encoder_share_of_sentences", "value": round(share, 3), "unit": "share"},
    ] + ([
        {"name": "risk.p50_ms_dev2_long_posts", "value": round(statistics.median(real_ms), 2), "unit": "ms"},
        {"name": "risk.p95_ms_dev2_long_posts", "value": round(statistics.quantiles(real_ms, n=20)[18], 2), "unit": "ms"},
        {"name": "risk.encoder_share_of_sentences_dev2", "value": round(real_share, 3), "unit": "share"},
    ] if real_ms else [])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--textcat-only", action="store_true", help="without the encoder stage (before/after)")
    parser.add_argument("--head", type=Path, help="a team's head folder (bench_taught_gate.py --keep) instead of the shipped one")
    parser.add_argument("--no-check", action="store_true", help="without the finding check (before/after)")
    args = parser.parse_args(argv)
    for row in run(args.quick, args.textcat_only, args.head, not args.no_check):
        print(json.dumps(row))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
