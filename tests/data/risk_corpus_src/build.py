#!/usr/bin/env python3
"""Build tests/data/risk_corpus.jsonl from the marked-up source files.

Source format (files ``*.txt`` in this directory, read in sorted order):

    @@@ p0101 linkedin
    We admitted [[phi:name|Mrs. Alvarez]] on [[phi:date|March 3]] ...

* A line ``@@@ <id> <platform>`` starts a post; every following line up to the
  next header belongs to the post text (leading/trailing blank lines are
  stripped, inner newlines are kept).
* Lines starting with ``%%`` are comments and are ignored everywhere.
* ``[[category:kind|text]]`` marks a risky span. Spans may nest (for example
  a phi name inside a patient_story clause). ``[[category|text]]`` uses the
  category's default kind. Category aliases: ps = patient_story,
  disc = discoverable, unpro = unprofessional, adv = medical_advice.

Run ``python tests/data/risk_corpus_src/build.py [--holdout|--holdout2|--holdout3|--holdout4|--holdout5|--holdout6|--dev|--dev2|--dev3|--dev4|--dev5|--holdout7|--dev6|--holdout8|--holdout9|--holdout10|--holdout11|--holdout12|--holdout13|--holdout14|--holdout15|--holdout16]`` to validate, print
statistics and (re)write the JSONL. ``--check`` validates and compares with
the existing JSONL without writing it.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "risk_corpus.jsonl"
# --holdout builds the held-out set from its own sources (ids h0101…) with the same markup and checks
SETS = {
    "corpus": (HERE, OUT, "p"),
    "holdout": (HERE.parent / "risk_holdout_src", HERE.parent / "risk_holdout.jsonl", "h"),
    # a development set for rule work (ids d0101…) and a second held-out set (ids g0101…)
    "dev": (HERE.parent / "risk_dev_src", HERE.parent / "risk_dev.jsonl", "d"),
    "holdout2": (HERE.parent / "risk_holdout2_src", HERE.parent / "risk_holdout2.jsonl", "g"),
    "dev2": (HERE.parent / "risk_dev2_src", HERE.parent / "risk_dev2.jsonl", "e"),
    # a third development set (ids k0101…) and a third held-out set (ids m0101…)
    "dev3": (HERE.parent / "risk_dev3_src", HERE.parent / "risk_dev3.jsonl", "k"),
    "holdout3": (HERE.parent / "risk_holdout3_src", HERE.parent / "risk_holdout3.jsonl", "m"),
    # a fourth held-out set (ids q0101…)
    "holdout4": (HERE.parent / "risk_holdout4_src", HERE.parent / "risk_holdout4.jsonl", "q"),
    # a fifth held-out set (ids r0101…)
    "holdout5": (HERE.parent / "risk_holdout5_src", HERE.parent / "risk_holdout5.jsonl", "r"),
    # a sixth held-out set (ids s0101…), written blind; see RISK_HOLDOUT6.md
    "holdout6": (HERE.parent / "risk_holdout6_src", HERE.parent / "risk_holdout6.jsonl", "s"),
    # a fourth development set (ids n0101…), weighted to unprofessional tone and advice
    "dev4": (HERE.parent / "risk_dev4_src", HERE.parent / "risk_dev4.jsonl", "n"),
    # a fifth development set (ids u0101…), written blind; see RISK_DEV5.md
    "dev5": (HERE.parent / "risk_dev5_src", HERE.parent / "risk_dev5.jsonl", "u"),
    # a seventh held-out set (ids v0101…), written blind; see RISK_HOLDOUT7.md
    "holdout7": (HERE.parent / "risk_holdout7_src", HERE.parent / "risk_holdout7.jsonl", "v"),
    # a sixth development set (ids w0101…), PHI in long narratives; see RISK_DEV6.md
    "dev6": (HERE.parent / "risk_dev6_src", HERE.parent / "risk_dev6.jsonl", "w"),
    # an eighth held-out set (ids x0101…), written blind; see RISK_HOLDOUT8.md
    "holdout8": (HERE.parent / "risk_holdout8_src", HERE.parent / "risk_holdout8.jsonl", "x"),
    # a ninth held-out set (ids y0101…), written blind; see RISK_HOLDOUT9.md
    "holdout9": (HERE.parent / "risk_holdout9_src", HERE.parent / "risk_holdout9.jsonl", "y"),
    # a tenth held-out set (ids j0101…), written blind; see RISK_HOLDOUT10.md
    "holdout10": (HERE.parent / "risk_holdout10_src", HERE.parent / "risk_holdout10.jsonl", "j"),
    # an eleventh held-out set (ids b0101…), written blind; see RISK_HOLDOUT11.md
    "holdout11": (HERE.parent / "risk_holdout11_src", HERE.parent / "risk_holdout11.jsonl", "b"),
    # a twelfth held-out set (ids c0101…), written blind; see RISK_HOLDOUT12.md
    "holdout12": (HERE.parent / "risk_holdout12_src", HERE.parent / "risk_holdout12.jsonl", "c"),
    # a thirteenth held-out set (ids l0101…), written blind; see RISK_HOLDOUT13.md
    "holdout13": (HERE.parent / "risk_holdout13_src", HERE.parent / "risk_holdout13.jsonl", "l"),
    # a fourteenth held-out set (ids t0101…), written blind; see RISK_HOLDOUT14.md
    "holdout14": (HERE.parent / "risk_holdout14_src", HERE.parent / "risk_holdout14.jsonl", "t"),
    # a fifteenth held-out set (ids o0101…), written blind; see RISK_HOLDOUT15.md
    "holdout15": (HERE.parent / "risk_holdout15_src", HERE.parent / "risk_holdout15.jsonl", "o"),
    # a sixteenth held-out set (ids z0101…), written blind; see RISK_HOLDOUT16.md
    "holdout16": (HERE.parent / "risk_holdout16_src", HERE.parent / "risk_holdout16.jsonl", "z"),
}

PLATFORMS = ("linkedin", "x", "instagram", "facebook", "mastodon", "blog")

KINDS: dict[str, tuple[str, ...]] = {
    "phi": (
        "name", "date", "age", "location", "phone", "fax", "email", "url",
        "ip_address", "ssn", "mrn", "health_plan", "account", "license",
        "vehicle", "device", "photo",
    ),
    "patient_story": ("encounter",),
    "discoverable": ("fatigue", "error", "staffing", "safety"),
    "unprofessional": (
        "profanity", "discrimination", "intoxication",
        "disparaging_patient", "disparaging_colleague",
    ),
    "medical_advice": ("diagnosis", "treatment"),
}
DEFAULT_KIND = {"patient_story": "encounter"}
ALIASES = {
    "ps": "patient_story",
    "story": "patient_story",
    "disc": "discoverable",
    "unpro": "unprofessional",
    "adv": "medical_advice",
}

def header_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(rf"^@@@\s+({prefix}\d{{4}})\s+(\S+)\s*$")


HEADER = header_pattern("p")
TOKEN = re.compile(r"\[\[([a-z_]+)(?::([a-z_]+))?\||\]\]")


class CorpusError(Exception):
    pass


def parse_markup(src: str, where: str) -> tuple[str, list[dict]]:
    """Strip the markup from ``src``; return (text, spans)."""
    out: list[str] = []
    pos = 0  # position in src
    length = 0  # length of text produced so far
    stack: list[tuple[str, str, int]] = []
    spans: list[dict] = []
    for m in TOKEN.finditer(src):
        chunk = src[pos:m.start()]
        out.append(chunk)
        length += len(chunk)
        pos = m.end()
        if m.group(0) == "]]":
            if not stack:
                raise CorpusError(f"{where}: ']]' without an opening '[['")
            cat, kind, start = stack.pop()
            spans.append({"start": start, "end": length, "category": cat, "kind": kind})
        else:
            cat = ALIASES.get(m.group(1), m.group(1))
            if cat not in KINDS:
                raise CorpusError(f"{where}: unknown category {m.group(1)!r}")
            kind = m.group(2) or DEFAULT_KIND.get(cat)
            if kind is None:
                raise CorpusError(f"{where}: category {cat!r} needs an explicit kind")
            if kind not in KINDS[cat]:
                raise CorpusError(f"{where}: kind {kind!r} not allowed for {cat!r}")
            stack.append((cat, kind, length))
    if stack:
        raise CorpusError(f"{where}: unclosed span {stack[-1][:2]}")
    out.append(src[pos:])
    text = "".join(out)
    if "[[" in text or "]]" in text:
        raise CorpusError(f"{where}: stray '[[' or ']]' left in text")
    spans.sort(key=lambda s: (s["start"], -s["end"], s["category"], s["kind"]))
    return text, spans


def validate_post(post: dict, where: str) -> None:
    text = post["text"]
    if not text.strip():
        raise CorpusError(f"{where}: empty post")
    if post["platform"] not in PLATFORMS:
        raise CorpusError(f"{where}: unknown platform {post['platform']!r}")
    by_cat: dict[str, list[dict]] = {}
    for s in post["spans"]:
        seg = text[s["start"]:s["end"]]
        if s["end"] <= s["start"] or not seg.strip():
            raise CorpusError(f"{where}: empty span {s}")
        if seg != seg.strip():
            raise CorpusError(f"{where}: span has surrounding whitespace: {seg!r}")
        by_cat.setdefault(s["category"], []).append(s)
    for cat, spans in by_cat.items():
        spans = sorted(spans, key=lambda s: s["start"])
        for a, b in zip(spans, spans[1:]):
            if b["start"] < a["end"]:
                raise CorpusError(
                    f"{where}: overlapping {cat} spans "
                    f"{text[a['start']:a['end']]!r} / {text[b['start']:b['end']]!r}"
                )


def load(folder: Path = HERE, header: re.Pattern[str] = HEADER) -> list[dict]:
    posts: list[dict] = []
    seen: set[str] = set()
    files = sorted(folder.glob("*.txt"))
    if not files:
        raise CorpusError("no source files found")
    for path in files:
        current: dict | None = None
        lines: list[str] = []

        def flush() -> None:
            if current is None:
                return
            where = f"{path.name}:{current['line']} ({current['id']})"
            src = "\n".join(lines).strip("\n").rstrip()
            text, spans = parse_markup(src, where)
            post = {"id": current["id"], "platform": current["platform"],
                    "text": text, "spans": spans}
            validate_post(post, where)
            posts.append(post)

        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.startswith("%%"):
                continue
            if line.startswith("@@@"):
                m = header.match(line)
                if not m:
                    raise CorpusError(f"{path.name}:{lineno}: bad header {line!r}")
                flush()
                pid, platform = m.groups()
                if pid in seen:
                    raise CorpusError(f"{path.name}:{lineno}: duplicate id {pid}")
                seen.add(pid)
                current = {"id": pid, "platform": platform, "line": lineno}
                lines = []
            elif current is None:
                if line.strip():
                    raise CorpusError(f"{path.name}:{lineno}: text before first header")
            else:
                lines.append(line)
        flush()
    posts.sort(key=lambda p: p["id"])
    return posts


def render(posts: list[dict]) -> str:
    return "".join(
        json.dumps(p, ensure_ascii=False, separators=(", ", ": ")) + "\n" for p in posts
    )


def stats(posts: list[dict]) -> str:
    lines: list[str] = []
    n = len(posts)
    clean = sum(1 for p in posts if not p["spans"])
    lines.append(f"posts: {n}")
    lines.append(f"no-risk posts: {clean} ({clean / n:.1%})")
    plat = Counter(p["platform"] for p in posts)
    lines.append("platforms: " + ", ".join(f"{k}={plat[k]}" for k in PLATFORMS))
    lines.append("")
    lines.append(f"{'category':<16}{'posts':>7}{'spans':>7}")
    span_cat = Counter(s["category"] for p in posts for s in p["spans"])
    post_cat = Counter(c for p in posts for c in {s["category"] for s in p["spans"]})
    for cat in KINDS:
        lines.append(f"{cat:<16}{post_cat[cat]:>7}{span_cat[cat]:>7}")
    multi = sum(1 for p in posts if len({s["category"] for s in p["spans"]}) > 1)
    lines.append(f"posts with findings in 2+ categories: {multi}")
    lines.append("")
    lines.append("spans per category/kind:")
    kinds = Counter((s["category"], s["kind"]) for p in posts for s in p["spans"])
    for cat, ks in KINDS.items():
        for k in ks:
            lines.append(f"  {cat + '/' + k:<38}{kinds[(cat, k)]:>5}")
    lines.append("")
    lengths = sorted(len(p["text"]) for p in posts)
    buckets = [(0, 100), (100, 280), (280, 600), (600, 1200), (1200, 2000), (2000, 3200)]
    lines.append("length distribution (characters):")
    for lo, hi in buckets:
        c = sum(1 for x in lengths if lo <= x < hi)
        lines.append(f"  {lo:>5}-{hi - 1:<5}{c:>5}")
    lines.append(
        f"  min={lengths[0]} median={lengths[n // 2]} max={lengths[-1]} "
        f"over1200={sum(1 for x in lengths if x > 1200)}"
    )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    chosen = next((name for name in SETS if f"--{name}" in argv), "corpus")
    folder, out, prefix = SETS[chosen]
    try:
        posts = load(folder, header_pattern(prefix))
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    data = render(posts)
    print(stats(posts))
    if "--check" in argv:
        if not out.exists() or out.read_text(encoding="utf-8") != data:
            print(f"\n{out.name} is out of date; run build.py", file=sys.stderr)
            return 1
        print(f"\n{out.name} is up to date")
        return 0
    out.write_text(data, encoding="utf-8")
    print(f"\nwrote {len(posts)} posts to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
