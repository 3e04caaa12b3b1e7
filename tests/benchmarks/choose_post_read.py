"""Choose the thresholds of the short-post read (`rules/encoder_gate.toml [post_read]`) on the dev lists.

    python tests/benchmarks/choose_post_read.py [--write]

A post of up to three sentences is also read whole by the encoder, and the head alone flags it with a class
at that class's threshold (`head.json` gate.post_thresholds). The thresholds are chosen on one half of the
hand-written dev lists (`tests/data/fatigue_dev.jsonl` for fatigue, `tone_dev.jsonl` for unprofessional
tone, and with --classes `story_dev.jsonl` and `advice_dev.jsonl`; ids with an odd number), by remarks found minus look-alikes flagged (the highest threshold wins a
tie), among the thresholds that flag none of the engine's must-not-flag sentences of that category (NEGATIVES
in tests/analysis/test_categories.py: "A drunk driver hit a family of four; please drive safely." is no
unprofessional remark); the other half (even ids) only confirms, and development sets 3 and 4 show what it
costs on whole posts. Never a held-out set. --write saves the chosen thresholds into the shipped head.json (and its
SHA256SUMS). Prints JSON lines.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from medshare_desktop.analysis import RiskEngine  # noqa: E402
from medshare_desktop.analysis.evaluation import evaluate, load_corpus  # noqa: E402
from medshare_desktop.analysis.sentence_head import SentenceHead  # noqa: E402
from medshare_desktop.analysis.train_sentence_head import update_shipped_head  # noqa: E402
from tests.analysis.test_categories import NEGATIVES  # noqa: E402

DATA = ROOT / "tests" / "data"
GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
OFF = 1.01
# class -> (dev list, its label field, the category a found remark must get)
LISTS = {
    "fatigue": ("fatigue_dev.jsonl", "on_duty_fatigue", "discoverable"),
    "unprofessional": ("tone_dev.jsonl", "unprofessional", "unprofessional"),
    "story": ("story_dev.jsonl", "patient_story", "patient_story"),
    "advice": ("advice_dev.jsonl", "medical_advice", "medical_advice"),
}


def emit(record: dict[str, object]) -> None:
    print(json.dumps(record), flush=True)


def half(rows: list[dict], train: bool) -> list[dict]:
    return [row for row in rows if (int(str(row["id"]).rsplit("-", 1)[1]) % 2 == 1) == train]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--classes", default="fatigue,unprofessional",
                        help="classes to choose (story and advice were measured on 2026-12-06 and not shipped)")
    args = parser.parse_args(argv)
    engine = RiskEngine()
    head = engine.nlp.get_pipe("medshare_sentence_model")._head
    if head is None:
        raise SystemExit("no sentence head or encoder: nothing to choose")
    lists = {name: [json.loads(line) for line in (DATA / file).read_text("utf-8").splitlines() if line.strip()]
             for name, (file, _, _) in LISTS.items() if name in args.classes.split(",")}

    def score(name: str, rows: list[dict]) -> tuple[int, int, int, int]:
        _, field, category = LISTS[name]
        results = engine.analyze_many([row["text"] for row in rows])
        hits = [any(f.category.value == category for f in found) for found in results]
        positive = [hit for hit, row in zip(hits, rows, strict=True) if row[field]]
        negative = [hit for hit, row in zip(hits, rows, strict=True) if not row[field]]
        return sum(positive), len(positive), sum(negative), len(negative)

    head.post_thresholds = dict.fromkeys(lists, OFF)
    chosen: dict[str, float] = {}
    for name in lists:
        results = {}
        for t in GRID:
            head.post_thresholds[name] = t
            found, of, flagged, of_alikes = score(name, half(lists[name], True))
            category = LISTS[name][2]
            spec = [t_ for t_, found_ in zip(NEGATIVES[category], engine.analyze_many(NEGATIVES[category]), strict=True)
                    if any(f.category.value == category for f in found_)]
            if not spec:
                results[t] = found - flagged
            emit({"class": name, "threshold": t, "train_found": f"{found}/{of}", "train_look_alikes": f"{flagged}/{of_alikes}",
                  "must_not_flag_flagged": len(spec)})
        best = max(results.values())
        chosen[name] = max(t for t, v in results.items() if v == best)
        head.post_thresholds[name] = chosen[name]
    for name in lists:
        for label, thresholds in (("off", {**chosen, name: OFF}), ("chosen", chosen)):
            head.post_thresholds = dict(thresholds)
            found, of, flagged, of_alikes = score(name, half(lists[name], False))
            emit({"class": name, "validation_half": label, "found": f"{found}/{of}", "look_alikes": f"{flagged}/{of_alikes}"})
    if "fatigue" in lists:
        # longer posts are not read whole: each fatigue remark placed third in a five-sentence post whose other
        # sentences are one-sentence look-alikes of the story and tone lists (reading windows around a tiredness
        # word there was measured on 2026-12-06 and not shipped, docs/risk_results.md)
        filler = [row["text"] for name, field in (("story_dev.jsonl", "patient_story"), ("tone_dev.jsonl", "unprofessional"))
                  for row in map(json.loads, (DATA / name).read_text("utf-8").splitlines()) if not row[field]]
        filler = [t for t in filler if t.count(".") <= 1 and t.endswith((".", "!"))]
        for train in (True, False):
            rng = random.Random(0)
            rows = []
            for row in half(lists["fatigue"], train):
                a, b, c = rng.sample(filler, 3)
                rows.append({**row, "text": f"{a} {b} {row['text']} {c}"})
            found, of, flagged, of_alikes = score("fatigue", rows)
            emit({"class": "fatigue", "long_posts": "choosing half" if train else "confirming half",
                  "found": f"{found}/{of}", "look_alikes": f"{flagged}/{of_alikes}"})
    dev = [item for n in ("dev3", "dev4") for item in load_corpus(DATA / f"risk_{n}.jsonl")]
    for label, thresholds in (("off", dict.fromkeys(lists, OFF)), ("chosen", chosen)):
        head.post_thresholds = dict(thresholds)
        metrics = {r["name"]: r["value"] for r in evaluate(dev, lambda t, c: engine.analyze_many(t, c)).metrics()}
        emit({"dev3_dev4": label, **{k.removeprefix("risk."): round(v, 3) for k, v in metrics.items()
                                     if k.startswith(("risk.overall.", *(f"risk.{LISTS[n][2]}." for n in lists)))}})
    emit({"name": "chosen", "post_thresholds": chosen})
    if args.write:
        def change(saved: SentenceHead) -> None:
            saved.meta.setdefault("gate", {})["post_thresholds"] = {k: v for k, v in chosen.items() if v <= 1.0}

        emit({"name": "written", "value": str(update_shipped_head(change))})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
