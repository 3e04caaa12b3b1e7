"""Side-by-side PHI comparison of the MedShare risk engine and Microsoft Presidio (measuring only).

One command (system python; each tool runs in its own interpreter, one after the other):

    python3 -m venv /tmp/presidio-venv && /tmp/presidio-venv/bin/pip install presidio-analyzer  # once
    python3 tests/benchmarks/compare_presidio.py --markdown /tmp/presidio_compare.md

Modes:
  --tool ours --out F.json       run our engine (needs medshare_desktop: the system python)
  --tool presidio --out F.json   run Presidio (needs presidio-analyzer: the venv's python)
  (no --tool)                    merge: runs both workers as subprocesses (--ours-python,
                                 --presidio-python), or reuses their JSON with --ours-json /
                                 --presidio-json (e.g. re-run only ours after a rule change), then
                                 prints JSON lines {"name", "value", "unit", ...} and, with
                                 --markdown PATH, writes the side-by-side tables.

Sets: tests/data/risk_corpus.jsonl (our labelled posts, `phi` spans only), the public
synthetic-clinical-queries set (value labels located with str.find, see eval_phi_public.py) and, as
an extra, presidio-research synth_dataset_v2 (general PII, not clinical; Presidio's own test data).

Presidio configuration: presidio-analyzer's default AnalyzerEngine and recognizers, language "en",
default score_threshold 0 (every result counts; --presidio-min-score re-scores at another
threshold), NlpEngineProvider {"nlp_engine_name": "spacy", "models": [{"lang_code": "en",
"model_name": <dir of spacy.blank("en").to_disk()>}]}: no statistical model, so no NER and no
PERSON / LOCATION / NRP / AGE results, only pattern recognizers. tldextract is pointed at its
bundled public-suffix snapshot so nothing is downloaded.

Scoring (per common kind, table KINDS below): a labelled span is recalled when a finding of the
same mapped kind overlaps it; a finding is a true positive when it overlaps a labelled span of the
same mapped kind (so a Presidio URL inside an e-mail, or an ITIN on an SSN, counts as a false
positive). Findings of unmapped kinds are ignored. Summary rows: micro sums over the structured
kinds, over all common kinds, and "any_phi_lenient" (overlap with any labelled PHI, any kind).
no_phi_flagged_share: texts without any PHI label that get any finding (ours: any `phi` finding;
Presidio: any result). Speed, after warm-up on the first 20 texts: one text at a time
(posts/s and p95 ms over one pass) and batched (ours: analyze_many / nlp.pipe; Presidio:
BatchAnalyzerEngine, batch_size 64; best of 3 passes). The tools run one after the other.
Context is None for our engine (no People register). Benchmark sentences are never printed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from eval_phi_public import CLINICAL, DEFAULT_DATA, SYNTH, Item, load_clinical_queries, load_presidio_synth  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "risk_corpus.jsonl"
DEFAULT_PRESIDIO_PYTHON = "/tmp/presidio-venv/bin/python"
WARMUP = 20
BATCH_REPEATS = 3

# common kind -> (labels in the three sets, our `phi` finding kinds, Presidio entity types)
KINDS: dict[str, tuple[set[str], set[str], set[str]]] = {
    "name": ({"name", "NAME", "PERSON"}, {"name"}, {"PERSON"}),
    "location": (
        {"location", "GEOGRAPHIC_LOCATION", "STREET_ADDRESS", "GPE", "ZIP_CODE"},
        {"location"},
        {"LOCATION"},
    ),
    "date": ({"date", "DATE", "DATE_TIME"}, {"date"}, {"DATE_TIME"}),
    "phone_fax": ({"phone", "fax", "PHONE_NUMBER", "FAX_NUMBER"}, {"phone", "fax"}, {"PHONE_NUMBER"}),
    "email": ({"email", "EMAIL_ADDRESS"}, {"email"}, {"EMAIL_ADDRESS"}),
    "url": ({"url", "DOMAIN_NAME"}, {"url"}, {"URL"}),
    "ip_address": ({"ip_address", "IP_ADDRESS"}, {"ip_address"}, {"IP_ADDRESS"}),
    "ssn": ({"ssn", "SOCIAL_SECURITY_NUMBER", "US_SSN"}, {"ssn"}, {"US_SSN"}),
    "id_number": (
        {
            "mrn", "health_plan", "account", "license", "vehicle", "device",
            "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_BENEFICIARY_NUMBER", "ACCOUNT_NUMBER",
            "CERTIFICATE_LICENSE_NUMBER", "UNIQUE_IDENTIFIER",
            "CREDIT_CARD", "IBAN_CODE", "US_DRIVER_LICENSE",
        },
        {"mrn", "health_plan", "account", "license", "vehicle", "device", "identifier"},
        {
            "CREDIT_CARD", "IBAN_CODE", "US_BANK_NUMBER", "US_DRIVER_LICENSE", "US_ITIN", "US_PASSPORT",
            "MEDICAL_LICENSE", "UK_NHS", "CRYPTO", "MAC_ADDRESS", "UUID",
        },
    ),
}  # fmt: skip
STRUCTURED = ("date", "phone_fax", "email", "url", "ip_address", "ssn", "id_number")
SUMMARY = {"structured": STRUCTURED, "all_common": tuple(KINDS)}
TOOLS = ("ours", "presidio")
Spans = list[tuple[int, int, str, float]]


# ---------------------------------------------------------------------------------------- data
def load_corpus(path: Path = CORPUS) -> list[Item]:
    items: list[Item] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            spans = [(s["kind"], s["start"], s["end"]) for s in data["spans"] if s["category"] == "phi"]
            items.append((data["text"], spans))
    return items


def load_sets(data: Path, names: list[str]) -> dict[str, list[Item]]:
    loaders = {
        "risk_corpus": lambda: load_corpus(),
        "clinical_queries": lambda: load_clinical_queries(data / CLINICAL),
        "presidio_synth": lambda: load_presidio_synth(data / SYNTH),
    }
    return {name: loaders[name]() for name in names}


# ---------------------------------------------------------------------------------------- tools
class Ours:
    config = "medshare_desktop.analysis.RiskEngine(), context=None, `phi` findings only"

    def __init__(self) -> None:
        sys.path.insert(0, str(ROOT))
        from medshare_desktop.analysis import RiskEngine

        self.engine = RiskEngine()

    def one(self, text: str) -> Spans:
        return [(f.start, f.end, f.kind, 1.0) for f in self.engine.analyze(text) if f.category.value == "phi"]

    def batch(self, texts: list[str]) -> None:
        self.engine.analyze_many(texts)


class Presidio:
    def __init__(self) -> None:
        os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")  # bundled snapshot, no download
        import spacy
        from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine
        from presidio_analyzer.nlp_engine import NlpEngineProvider

        model_dir = Path(tempfile.gettempdir()) / f"presidio-spacy-blank-en-{spacy.__version__}"
        if not (model_dir / "config.cfg").exists():
            spacy.blank("en").to_disk(model_dir)
        nlp_config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": str(model_dir)}]}
        engine = NlpEngineProvider(nlp_configuration=nlp_config).create_engine()
        self.analyzer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])
        self.batcher = BatchAnalyzerEngine(analyzer_engine=self.analyzer)
        self.config = (
            f"presidio-analyzer {_dist_version('presidio-analyzer')}, "
            f"spaCy {spacy.__version__}, NlpEngineProvider {json.dumps(nlp_config)}, default recognizers: "
            + ", ".join(sorted(self.analyzer.get_supported_entities("en")))
        )

    def one(self, text: str) -> Spans:
        return [
            (r.start, r.end, r.entity_type, float(r.score)) for r in self.analyzer.analyze(text=text, language="en")
        ]

    def batch(self, texts: list[str]) -> None:
        self.batcher.analyze_iterator(texts, language="en", batch_size=64)


def _dist_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


def run_tool(tool: str, sets: dict[str, list[Item]]) -> dict[str, Any]:
    started = time.perf_counter()
    runner: Ours | Presidio = Ours() if tool == "ours" else Presidio()
    out: dict[str, Any] = {"tool": tool, "config": runner.config, "load_s": time.perf_counter() - started, "sets": {}}
    for name, items in sets.items():
        texts = [text for text, _ in items]
        for text in texts[:WARMUP]:
            runner.one(text)
        spans, ms = [], []
        for text in texts:
            t0 = time.perf_counter()
            spans.append(runner.one(text))
            ms.append((time.perf_counter() - t0) * 1000)
        runner.batch(texts[:WARMUP])
        batch_s = float("inf")
        for _ in range(BATCH_REPEATS):  # best of N: the machine may be shared
            t0 = time.perf_counter()
            runner.batch(texts)
            batch_s = min(batch_s, time.perf_counter() - t0)
        out["sets"][name] = {"spans": spans, "ms": ms, "batch_s": batch_s, "chars": sum(map(len, texts))}
    return out


# ---------------------------------------------------------------------------------------- scoring
def _overlaps(s: int, e: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < e2 and s2 < e for s2, e2 in spans)


def _tally(items: list[Item], found: list[Spans], labels: set[str], kinds: set[str], min_score: float) -> dict[str, Any]:
    """Labels of `labels` recalled by findings of `kinds`, and findings that hit such a label."""
    c = {"labelled": 0, "recalled": 0, "found": 0, "tp": 0}
    for (_, gold), spans in zip(items, found, strict=True):
        g = [(s, e) for label, s, e in gold if label in labels]
        mine = [(s, e) for s, e, k, sc in spans if k in kinds and sc >= min_score]
        c["labelled"] += len(g)
        c["recalled"] += sum(_overlaps(s, e, mine) for s, e in g)
        c["found"] += len(mine)
        c["tp"] += sum(_overlaps(s, e, g) for s, e in mine)
    return c


def score(items: list[Item], found: list[Spans], tool: str, min_score: float = 0.0) -> dict[str, dict[str, Any]]:
    """{kind: {labelled, recalled, found, tp}} plus summary rows."""
    col = 1 if tool == "ours" else 2
    counts: dict[str, dict[str, Any]] = {}
    for kind, mapping in KINDS.items():
        labels, tool_kinds = mapping[0], mapping[col]
        counts[kind] = _tally(items, found, labels, tool_kinds, min_score)
    for name, kinds in SUMMARY.items():
        counts[name] = {key: sum(counts[k][key] for k in kinds) for key in ("labelled", "recalled", "found", "tp")}
    all_labels = set().union(*(m[0] for m in KINDS.values()))
    all_kinds = set().union(*(m[col] for m in KINDS.values()))
    counts["any_phi_lenient"] = _tally(items, found, all_labels, all_kinds, min_score)
    for c in counts.values():
        c["recall"] = c["recalled"] / c["labelled"] if c["labelled"] else None
        c["precision"] = c["tp"] / c["found"] if c["found"] else None
    negatives = [spans for (_, gold), spans in zip(items, found, strict=True) if not gold]
    flagged = sum(1 for spans in negatives if any(sc >= min_score for *_, sc in spans))
    counts["_no_phi"] = {
        "n": len(negatives),
        "flagged": flagged,
        "share": flagged / len(negatives) if negatives else None,
    }
    return counts


def speed(result: dict[str, Any]) -> dict[str, float]:
    ms = result["ms"]
    return {
        "posts_per_s": len(result["ms"]) / (sum(result["ms"]) / 1000),
        "batch_posts_per_s": len(result["ms"]) / result["batch_s"],
        "p95_ms": statistics.quantiles(ms, n=20)[18],
        "mean_chars": result["chars"] / len(result["ms"]),
    }


# ---------------------------------------------------------------------------------------- output
def _fmt(value: float | None, count: str = "") -> str:
    return "–" if value is None else f"{value:.3f}" + (f" ({count})" if count else "")


def json_rows(
    scores: dict[str, dict[str, dict[str, Any]]], speeds: dict[str, dict[str, dict[str, float]]]
) -> list[dict]:
    rows: list[dict[str, Any]] = []
    for set_name, per_tool in scores.items():
        for tool, counts in per_tool.items():
            prefix = f"compare.{set_name}.{tool}"
            for kind, c in counts.items():
                if kind == "_no_phi":
                    rows.append(
                        {
                            "name": f"{prefix}.no_phi_flagged_share",
                            "value": _round(c["share"]),
                            "unit": "ratio",
                            "n": c["n"],
                        }
                    )
                    continue
                if not c["labelled"] and not c["found"]:
                    continue
                rows.append(
                    {
                        "name": f"{prefix}.{kind}.recall",
                        "value": _round(c["recall"]),
                        "unit": "ratio",
                        "n": c["labelled"],
                    }
                )
                rows.append(
                    {
                        "name": f"{prefix}.{kind}.precision",
                        "value": _round(c["precision"]),
                        "unit": "ratio",
                        "n": c["found"],
                    }
                )
            sp = speeds[set_name][tool]
            rows.append({"name": f"{prefix}.posts_per_s", "value": round(sp["posts_per_s"], 1), "unit": "posts/s"})
            rows.append(
                {"name": f"{prefix}.batch_posts_per_s", "value": round(sp["batch_posts_per_s"], 1), "unit": "posts/s"}
            )
            rows.append({"name": f"{prefix}.p95_ms", "value": round(sp["p95_ms"], 2), "unit": "ms"})
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def markdown(
    scores: dict[str, dict[str, dict[str, Any]]],
    speeds: dict[str, dict[str, dict[str, float]]],
    sizes: dict[str, int],
    min_score: float,
) -> str:
    out = []
    for set_name, per_tool in scores.items():
        out.append(f"### {set_name} ({sizes[set_name]} texts; Presidio min score {min_score})\n")
        out.append(
            "| kind | labels | ours recall | ours precision (findings) | Presidio recall | Presidio precision (findings) |"
        )
        out.append("|---|---:|---:|---:|---:|---:|")
        for kind in [*KINDS, *SUMMARY, "any_phi_lenient"]:
            o, p = per_tool["ours"][kind], per_tool["presidio"][kind]
            if not o["labelled"] and not o["found"] and not p["found"]:
                continue
            label = f"**{kind}**" if kind in SUMMARY or kind == "any_phi_lenient" else kind
            out.append(
                f"| {label} | {o['labelled']} | {_fmt(o['recall'])} | {_fmt(o['precision'], str(o['found']))} | "
                f"{_fmt(p['recall'])} | {_fmt(p['precision'], str(p['found']))} |"
            )
        o, p = per_tool["ours"]["_no_phi"], per_tool["presidio"]["_no_phi"]
        if o["n"]:
            out.append(
                f"| texts without PHI labels flagged | {o['n']} texts | {_fmt(o['share'])} ({o['flagged']}) | | "
                f"{_fmt(p['share'])} ({p['flagged']}) | |"
            )
        out.append("")
    out.append("### Speed (after warm-up; same texts for both tools)\n")
    out.append(
        "| set | mean chars | ours posts/s (one at a time) | ours posts/s (batch) | ours p95 ms | Presidio posts/s (one at a time) | Presidio posts/s (batch) | Presidio p95 ms |"
    )
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for set_name, per_tool in speeds.items():
        o, p = per_tool["ours"], per_tool["presidio"]
        out.append(
            f"| {set_name} | {o['mean_chars']:.0f} | {o['posts_per_s']:.0f} | {o['batch_posts_per_s']:.0f} | {o['p95_ms']:.2f} | "
            f"{p['posts_per_s']:.0f} | {p['batch_posts_per_s']:.0f} | {p['p95_ms']:.2f} |"
        )
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of the public PHI sets")
    parser.add_argument("--sets", default="risk_corpus,clinical_queries,presidio_synth")
    parser.add_argument("--tool", choices=TOOLS, help="worker mode: run one tool and write --out")
    parser.add_argument("--out", type=Path, help="worker mode: JSON output path")
    parser.add_argument("--ours-python", default=sys.executable, help="interpreter with medshare_desktop")
    parser.add_argument("--presidio-python", default=DEFAULT_PRESIDIO_PYTHON, help="interpreter with presidio")
    parser.add_argument("--ours-json", type=Path, help="reuse a saved `--tool ours` output")
    parser.add_argument("--presidio-json", type=Path, help="reuse a saved `--tool presidio` output")
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "medshare-presidio-compare")
    parser.add_argument("--presidio-min-score", type=float, default=0.0, help="drop Presidio results below this score")
    parser.add_argument("--markdown", type=Path, help="also write the side-by-side tables here")
    args = parser.parse_args(argv)
    set_names = [s for s in args.sets.split(",") if s]
    sets = load_sets(args.data, set_names)

    if args.tool:
        result = run_tool(args.tool, sets)
        text = json.dumps(result)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(text, encoding="utf-8")
        else:
            print(text)
        return 0

    results: dict[str, dict[str, Any]] = {}
    for tool, saved, python in (
        ("ours", args.ours_json, args.ours_python),
        ("presidio", args.presidio_json, args.presidio_python),
    ):
        path = saved or args.workdir / f"{tool}.json"
        if saved is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            cmd = [
                python,
                str(Path(__file__).resolve()),
                "--tool",
                tool,
                "--out",
                str(path),
                "--sets",
                args.sets,
                "--data",
                str(args.data),
            ]
            subprocess.run(cmd, check=True, cwd=ROOT)
        results[tool] = json.loads(path.read_text(encoding="utf-8"))

    scores: dict[str, dict[str, dict[str, Any]]] = {}
    speeds: dict[str, dict[str, dict[str, float]]] = {}
    for name, items in sets.items():
        scores[name], speeds[name] = {}, {}
        for tool in TOOLS:
            found = [[tuple(s) for s in spans] for spans in results[tool]["sets"][name]["spans"]]
            if len(found) != len(items):
                raise SystemExit(f"{tool} output for {name} has {len(found)} texts, expected {len(items)}: re-run it")
            min_score = args.presidio_min_score if tool == "presidio" else 0.0
            scores[name][tool] = score(items, found, tool, min_score)  # type: ignore[arg-type]
            speeds[name][tool] = speed(results[tool]["sets"][name])
    for tool in TOOLS:
        print(
            json.dumps(
                {
                    "name": f"compare.{tool}.load_s",
                    "value": round(results[tool]["load_s"], 3),
                    "unit": "s",
                    "config": results[tool]["config"],
                }
            )
        )
    for row in json_rows(scores, speeds):
        print(json.dumps(row))
    if args.markdown:
        sizes = {name: len(items) for name, items in sets.items()}
        header = "\n".join(
            f"- {tool}: {results[tool]['config']} (load {results[tool]['load_s']:.2f} s)" for tool in TOOLS
        )
        args.markdown.write_text(
            header + "\n\n" + markdown(scores, speeds, sizes, args.presidio_min_score), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
