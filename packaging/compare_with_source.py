"""Does the built program behave exactly like the source? Same findings, same folders, same keyring, same registry.

    python packaging/compare_with_source.py dist/medshare/medshare [--corpus tests/data/risk_corpus.jsonl]

Runs `scan --json` over every text of the risk corpus (one file per text, one call each side) with the
built program and with this Python (`python -m medshare_desktop`), and compares the outputs byte for
byte; then compares `info --json` of both in the same fresh home: database, data and log folders,
the keyring in use (on Linux both sides get the test Secret Service of smoke_test.py) and the
keyring backends (those of the keyring package; the test-only keyrings.alt is left out), SQLCipher
availability and the spaCy/thinc registry entry points. Exit 0 when everything matches.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from smoke_test import PrivateSecretService, fresh_environment

ROOT = Path(__file__).resolve().parent.parent
COMPARED_INFO = ("database", "data_dir", "log_dir", "keyring", "encryption", "registry_entry_points")


def _run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[subprocess.CompletedProcess[bytes], float]:
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True, env=env, cwd=cwd, timeout=1800)
    return result, time.monotonic() - started


def compare_scan(executable: Path, corpus: Path, work: Path, env: dict[str, str]) -> bool:
    texts = work / "texts"
    texts.mkdir()
    names = []
    for number, line in enumerate(corpus.read_text(encoding="utf-8").splitlines()):
        if line.strip():
            record = json.loads(line)
            name = f"texts/{number:04d}_{record.get('id', number)}.txt"
            (work / name).write_text(record["text"], encoding="utf-8")
            names.append(name)
    source, source_s = _run([sys.executable, "-m", "medshare_desktop", "scan", "--json", *names],
                            dict(env, PYTHONPATH=str(ROOT)), work)
    frozen, frozen_s = _run([str(executable), "scan", "--json", *names], env, work)
    findings, frozen_findings = source.stdout.count(b"\n"), frozen.stdout.count(b"\n")
    same = source.stdout == frozen.stdout and source.returncode == frozen.returncode
    print(f"scan --json on {len(names)} texts: source {findings} findings in {source_s:.1f} s (exit "
          f"{source.returncode}), frozen {frozen_findings} in {frozen_s:.1f} s (exit {frozen.returncode}): "
          f"{'identical, byte for byte' if same else 'DIFFERENT'}")
    if not same:
        source_lines, frozen_lines = source.stdout.splitlines(), frozen.stdout.splitlines()
        for a, b in zip(source_lines, frozen_lines, strict=False):
            if a != b:
                print(f"  first difference:\n    source: {a[:300]!r}\n    frozen: {b[:300]!r}")
                break
        print(f"  stderr source: {source.stderr[-500:]!r}\n  stderr frozen: {frozen.stderr[-500:]!r}")
    return same


def _info(command: list[str], env: dict[str, str], work: Path) -> dict:
    result, _ = _run([*command, "info", "--json"], env, work)
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} info failed: {result.stderr.decode(errors='replace')[-500:]}")
    info = json.loads(result.stdout)
    # keyrings.alt is a test extra of the development install, never bundled; the chainer's priority only
    # says whether more than one backend is usable, which it then is in the development install
    info["keyring"] = " + ".join(n for n in info["keyring"].split(" + ") if not n.startswith("keyrings."))
    info["keyring_backends"] = sorted(
        (b["name"], b["priority"], b["reason"]) for b in info["keyring_backends"]
        if b["name"].startswith("keyring.") and not b["name"].startswith("keyring.backends.chainer")
    )
    return info


def compare_info(executable: Path, work: Path, env: dict[str, str]) -> bool:
    source = _info([sys.executable, "-m", "medshare_desktop"], dict(env, PYTHONPATH=str(ROOT)), work)
    frozen = _info([str(executable)], env, work)
    same = True
    for key in (*COMPARED_INFO, "keyring_backends"):
        if source[key] != frozen[key]:
            same = False
            print(f"info {key} differs:\n  source: {source[key]}\n  frozen: {frozen[key]}")
    print(f"info: database {frozen['database']}; keyring in use {frozen['keyring']} (source {source['keyring']}); "
          f"{len(frozen['keyring_backends'])} keyring backends, encryption {frozen['encryption']['detail']}, "
          f"{len(frozen['registry_entry_points'])} registry entry points: {'same' if same else 'DIFFERENT'}")
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executable", type=Path)
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "data" / "risk_corpus.jsonl")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="medshare-compare-") as tmp:
        work = Path(tmp)
        env, _ = fresh_environment(work / "home")
        env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]  # the source side needs its Python
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        secret_service = PrivateSecretService(work)  # on Linux both sides then choose the same keyring
        if secret_service.address:
            env["DBUS_SESSION_BUS_ADDRESS"] = secret_service.address
        try:
            ok = compare_info(args.executable.resolve(), work, env)
            ok = compare_scan(args.executable.resolve(), args.corpus, work, env) and ok
        finally:
            secret_service.stop()
    print("frozen build matches the source" if ok else "frozen build DIFFERS from the source")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
