"""Check a built MedShare Desktop by running only the built program, as a user's computer would.

    python packaging/smoke_test.py dist/medshare/medshare [--fail-fast] [--gui-seconds 10] [--pg-url URL]

No Python of ours is reachable (PATH without any folder holding a python or pip, PYTHON* variables
removed) and the program gets a fresh home/data folder. Checks, each printed as PASS or FAIL:

  version     `--version` prints this source tree's version
  info        frozen build; the database in the per-user folder platformdirs gives for the fresh home;
              resources inside the bundle; keyring backends found through their metadata (the OS
              keyring chosen on Windows/macOS; on Linux the Secret Service, which the test provides on
              a private D-Bus, see secret_service_for_tests.py); SQLCipher included
              when the building Python has it; spaCy registry entry points (spacy-legacy, loggers)
  scan        a patient's name and date of birth are found (exit 1); a harmless post finds nothing (exit 0)
  models      every file of the vendored models (resources/models/*/SHA256SUMS) is in the bundle with
              the checksum its SHA256SUMS gives
  engine      the models run from the bundle: the NER finds an unknown town near a patient, the ONNX
              sentence encoder + head a fatigue admission no rule knows (the log says both were loaded
              from inside the bundle; neither finding is made by the rules alone)
  commands    every subcommand in medshare_desktop/cli_commands/ (imported by name, which PyInstaller
              cannot see) answers --help; `--demo suggest --limit 3` lists 3 posts; `--demo policy` writes a PDF
  import      an X archive export from tests/data/imports lands in the default database
  calendar    `calendar --pdf` writes a PDF
  audit       `audit verify` says the trail is intact
  licences    the third-party licence texts are in the bundle (Qt's LGPL, onnxruntime's licence and
              third-party notices, the vendored models' licences, psycopg's LGPL and the texts of the
              libraries psycopg-binary brings (libpq, OpenSSL...) among them)
  driver      the team-server driver is in the folder as replaceable files: psycopg as Python source,
              psycopg_binary's compiled modules and its libpq
  server      only with --pg-url URL or MEDSHARE_SMOKE_PG_URL (an EMPTY, throw-away PostgreSQL database,
              e.g. from `python -m tests.pg_server start FOLDER`): `--db URL server status` says no schema
              yet, `--db URL import` an X archive (the app creates the schema), `audit verify` intact,
              `server status` up to date. PSYCOPG_IMPL=binary: only the bundled libpq may serve
  gui         the window stays up N seconds offscreen; no traceback on stderr or in the log; on Linux,
              the process has not loaded psycopg or libpq (only a server URL needs them)

Exit status 0 when everything passed, 1 otherwise. This script only drives the program; the Python
running it is not on the program's PATH.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMPORT_FIXTURE = ROOT / "tests" / "data" / "imports" / "x_archive"
PATIENT_POST = "Our patient Maria Gonzalez (DOB 04/12/1961) went home today after her bypass. So proud of the team!\n"
HARMLESS_POST = "Proud of our nurses who ran the 5k for the children's charity this weekend. Great teamwork!\n"
# A made-up town no word list holds: only the pretrained NER (resources/models/en_core_web_md) finds it.
NER_POST = "Drove our patient back home to Kelmsworth after her hip surgery, she waved the whole way.\n"
# A fatigue admission without any cue word of the rules: only the ONNX encoder + sentence head find it.
FATIGUE_POST = "Didn't get a great sleep on call last night. Three cases this morning.\n"
MODELS = ROOT / "resources" / "models"
_PYTHON_NAMES = re.compile(r"^(python[0-9.]*|pip[0-9.]*|py)(\.exe)?$", re.IGNORECASE)


class Failed(Exception):
    pass


def _without_password(url: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


def source_version() -> str:
    text = (ROOT / "medshare_desktop" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'__version__ = "([^"]+)"', text).group(1)  # type: ignore[union-attr]


def path_without_python() -> str:
    """PATH minus every folder that holds a Python interpreter or pip (ours, a venv's, pyenv's, the system's)."""
    kept = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        try:
            names = os.listdir(folder) if folder else []
        except OSError:
            continue
        if not any(_PYTHON_NAMES.match(name) for name in names):
            kept.append(folder)
    return os.pathsep.join(kept)


def fresh_environment(home: Path) -> tuple[dict[str, str], Path]:
    """The program's environment, and the database file the per-user default must be in."""
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("PYTHON", "PYENV", "VIRTUAL_ENV", "CONDA", "MEDSHARE_", "XDG_", "QT_"))
    }
    env["PATH"] = path_without_python()
    env["HOME"] = str(home)
    env["QT_QPA_PLATFORM"] = "offscreen"
    if sys.platform == "win32":
        # Windows' per-user folders come from the shell API, not from variables: point the app at a fresh one.
        env["MEDSHARE_DATA_DIR"] = str(home / "data")
        env["USERPROFILE"] = str(home)
        return env, home / "data" / "medshare.db"
    if sys.platform == "darwin":
        return env, home / "Library" / "Application Support" / "MedShare Desktop" / "medshare.db"
    for variable, folder in (("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                             ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
        env[variable] = str(home / folder)
    env["XDG_RUNTIME_DIR"] = str(home / "runtime")
    (home / "runtime").mkdir(mode=0o700, parents=True, exist_ok=True)
    return env, home / ".local" / "share" / "MedShare Desktop" / "medshare.db"


class PrivateSecretService:
    """On Linux: a private session bus with secret_service_for_tests.py on it, so the program's keyring
    works headless and nobody's real keyring is touched. Nothing happens where dbus-daemon is missing."""

    def __init__(self, work: Path) -> None:
        self.processes: list[subprocess.Popen[str]] = []
        self.address = ""
        if not sys.platform.startswith("linux") or shutil.which("dbus-daemon") is None:
            return
        bus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", f"--address=unix:path={work / 'bus'}", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        self.processes.append(bus)
        self.address = bus.stdout.readline().strip() if bus.stdout else ""
        service = subprocess.Popen(
            [sys.executable, str(Path(__file__).with_name("secret_service_for_tests.py"))],
            stdout=subprocess.PIPE, text=True, env=dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.address),
        )
        self.processes.append(service)
        if not self.address or (service.stdout and service.stdout.readline().strip() != "ready"):
            self.stop()
            self.address = ""

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            process.wait(timeout=10)
        self.processes = []


class Smoke:
    def __init__(self, executable: Path, work: Path, fail_fast: bool, gui_seconds: float, pg_url: str = "") -> None:
        self.pg_url = pg_url
        self.executable = executable.resolve()
        # the folder holding the whole build: dist/medshare, or the .app's Contents on macOS
        self.bundle = self.executable.parent.parent if self.executable.parent.name == "MacOS" else self.executable.parent
        self.work = work
        self.fail_fast = fail_fast
        self.gui_seconds = gui_seconds
        self.env, self.expected_db = fresh_environment(work / "home")
        self.secret_service = PrivateSecretService(work)
        self.env.pop("DBUS_SESSION_BUS_ADDRESS", None)  # never the developer's real session (and keyring)
        if self.secret_service.address:
            self.env["DBUS_SESSION_BUS_ADDRESS"] = self.secret_service.address
        self.failures: list[str] = []
        self.info: dict = {}

    def run(self, *args: str, stdin: str | None = None, timeout: float = 180) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.executable), *args], input=stdin, capture_output=True, text=True, encoding="utf-8",
            env=self.env, cwd=self.work, timeout=timeout,
        )

    def check(self, name: str, test) -> None:  # type: ignore[no-untyped-def]
        started = time.monotonic()
        try:
            detail = test()
        except Failed as exc:
            self.failures.append(name)
            print(f"FAIL {name}: {exc}", flush=True)
            if self.fail_fast:
                raise SystemExit(1) from None
            return
        except (OSError, subprocess.TimeoutExpired) as exc:
            self.failures.append(name)
            print(f"FAIL {name}: {exc}", flush=True)
            if self.fail_fast:
                raise SystemExit(1) from None
            return
        print(f"PASS {name} ({time.monotonic() - started:.1f} s){': ' + detail if detail else ''}", flush=True)

    @staticmethod
    def expect(condition: bool, message: str) -> None:
        if not condition:
            raise Failed(message)

    def _result(self, result: subprocess.CompletedProcess[str], code: int, what: str) -> None:
        self.expect(
            result.returncode == code,
            f"{what}: exit {result.returncode}, expected {code}; stderr: {result.stderr.strip()[-800:]}",
        )
        self.expect("Traceback" not in result.stderr, f"{what}: traceback on stderr: {result.stderr[-800:]}")

    # --- the checks ---------------------------------------------------------------------------------
    def version(self) -> str:
        result = self.run("--version")
        self._result(result, 0, "--version")
        expected = f"medshare {source_version()}"
        self.expect(result.stdout.strip() == expected, f"printed {result.stdout.strip()!r}, expected {expected!r}")
        return result.stdout.strip()

    def info_check(self) -> str:
        result = self.run("info", "--json")
        self._result(result, 0, "info --json")
        info = self.info = json.loads(result.stdout)
        self.expect(info["build"] == "frozen", f"build is {info['build']!r}, not the frozen program")
        expected_url = "sqlite:///" + str(self.expected_db.resolve())
        self.expect(info["database"] == expected_url, f"database {info['database']} instead of {expected_url}")
        resources = Path(info["resources"]).resolve()
        self.expect(resources.is_relative_to(self.bundle) and (resources / "rules").is_dir(),
                    f"resources at {resources}, not inside the bundle or without rules/")
        backends = {b["name"]: b for b in info["keyring_backends"]}
        if sys.platform == "win32":
            self.expect("WinVaultKeyring" in info["keyring"], f"keyring in use is {info['keyring']}, not Credential Manager")
        elif sys.platform == "darwin":
            self.expect("backends.macOS" in info["keyring"], f"keyring in use is {info['keyring']}, not the Keychain")
        else:
            secret = backends.get("keyring.backends.SecretService.Keyring")
            self.expect(secret is not None, f"Secret Service backend missing; found only {sorted(backends)}")
            missing_module = "required" in secret["reason"] or "cannot be loaded" in secret["reason"]
            self.expect(not missing_module, f"Secret Service backend cannot work: {secret['reason']}")
            if self.secret_service.address:
                self.expect("SecretService" in info["keyring"],
                            f"keyring in use is {info['keyring']}, not the Secret Service on the test bus")
        self.expect(not any(name.startswith("keyrings.") for name in backends), "test-only keyrings.alt is bundled")
        want_encryption = importlib.util.find_spec("sqlcipher3") is not None
        self.expect(info["encryption"]["available"] == want_encryption,
                    f"encryption available={info['encryption']['available']} ({info['encryption']['detail']}), "
                    f"but sqlcipher3 is {'installed' if want_encryption else 'not installed'} where it was built")
        entry_points = set(info["registry_entry_points"])
        for needed in ("spacy_architectures:spacy-legacy.TextCatBOW.v1", "spacy_loggers:spacy.ChainLogger.v1"):
            self.expect(needed in entry_points, f"spaCy registry entry point {needed} missing from the bundle")
        return f"{info['keyring']}; encryption: {info['encryption']['detail']}; " \
               f"{len(entry_points)} registry entry points"

    def scan(self) -> str:
        patient = self.work / "patient.txt"
        patient.write_text(PATIENT_POST, encoding="utf-8")
        result = self.run("scan", "--json", str(patient))
        self._result(result, 1, "scan of a post naming a patient")
        findings = [json.loads(line) for line in result.stdout.splitlines()]
        kinds = {(f["category"], f["kind"]): f["text"] for f in findings}
        self.expect(kinds.get(("phi", "name")) == "Maria Gonzalez", f"patient name not found: {findings}")
        self.expect(kinds.get(("phi", "date")) == "04/12/1961", f"date of birth not found: {findings}")
        harmless = self.run("scan", "-", stdin=HARMLESS_POST)
        self._result(harmless, 0, "scan of a harmless post")
        self.expect(harmless.stdout == "", f"harmless post gave findings: {harmless.stdout.strip()}")
        return f"{len(findings)} findings in the patient post, none in the harmless one"

    def _bundled_resources(self) -> Path:
        if self.info.get("resources"):
            return Path(self.info["resources"]).resolve()
        found = sorted(self.bundle.rglob("resources/models"))
        self.expect(bool(found), "no resources/models folder in the bundle")
        return found[0].parent

    def models(self) -> str:
        bundled = self._bundled_resources() / "models"
        folders = sorted(p.parent for p in MODELS.glob("*/SHA256SUMS"))
        self.expect(bool(folders), f"no SHA256SUMS under {MODELS}")
        checked = 0
        for folder in folders:
            target = bundled / folder.name
            self.expect((target / "SHA256SUMS").is_file(), f"model folder {folder.name} missing from {bundled}")
            for line in (target / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
                digest, name = line.split(maxsplit=1)
                file = target / name.lstrip("*")
                self.expect(file.is_file(), f"{file} is listed in SHA256SUMS but not in the bundle")
                with file.open("rb") as handle:
                    self.expect(hashlib.file_digest(handle, "sha256").hexdigest() == digest,
                                f"{file}: its sha256 differs from SHA256SUMS")
                checked += 1
        missing = [str(p.relative_to(MODELS)) for p in MODELS.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and not (bundled / p.relative_to(MODELS)).is_file()]
        self.expect(not missing, f"model files missing from the bundle: {missing[:10]}")
        return f"{checked} files of {len(folders)} vendored models match their SHA256SUMS"

    def engine(self) -> str:
        town = self.run("scan", "--json", "-", stdin=NER_POST)
        self._result(town, 1, "scan of a post with a patient's town")
        places = [f for f in map(json.loads, town.stdout.splitlines()) if f["rule"] == "phi.location.ner"]
        self.expect([f["text"] for f in places] == ["Kelmsworth"], f"the NER did not find the town: {town.stdout}")
        tired = self.run("scan", "--json", "-", stdin=FATIGUE_POST)
        self._result(tired, 1, "scan of a fatigue admission")
        admissions = [f for f in map(json.loads, tired.stdout.splitlines())
                      if f["category"] == "discoverable" and f["rule"].startswith("model.sentence")]
        self.expect(bool(admissions), f"the sentence encoder/head did not flag the fatigue admission: {tired.stdout}")
        logs = "".join(p.read_text(encoding="utf-8", errors="replace")
                       for p in Path(self.info.get("log_dir") or self.work).glob("*.log*"))
        models = self._bundled_resources() / "models"
        for what, folder in (("pretrained NER", "en_core_web_md"), ("sentence encoder", "sentence_encoder")):
            self.expect(f"{what} loaded from {models / folder}" in logs,
                        f"the log does not say the {what} was loaded from {models / folder}")
        self.expect("could not be loaded" not in logs, f"a model failed to load: {logs[-800:]}")
        return f"NER: {places[0]['text']!r}; encoder: {admissions[0]['text']!r}"

    def commands(self) -> str:
        tree = ast.parse((ROOT / "medshare_desktop" / "cli_commands" / "__init__.py").read_text(encoding="utf-8"))
        names = next(ast.literal_eval(node.value) for node in ast.walk(tree)
                     if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "COMMAND_MODULES")
        names = [name.replace("_", "-") for name in names]  # the module migrate_to is the command migrate-to
        for name in names:
            result = self.run(name, "--help")
            self._result(result, 0, f"{name} --help")
            self.expect(f"usage: medshare {name}" in result.stdout, f"{name} --help printed: {result.stdout[:300]}")
        suggest = self.run("--demo", "suggest", "--limit", "3")
        self._result(suggest, 0, "--demo suggest --limit 3")
        lines = [line for line in suggest.stdout.splitlines() if line.strip()]
        self.expect(len(lines) == 3 and all("post " in line for line in lines), f"suggest printed: {suggest.stdout}")
        pdf = self.work / "policy.pdf"
        policy = self.run("--demo", "policy", "--pdf", str(pdf))
        self._result(policy, 0, "--demo policy --pdf")
        self.expect(pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-", f"{pdf} is not a PDF")
        return f"{', '.join(names)} answer --help; suggest listed 3 posts; policy sheet {pdf.stat().st_size:,} bytes"

    def import_check(self) -> str:
        result = self.run("import", str(IMPORT_FIXTURE))
        self._result(result, 0, "import of an X archive")
        self.expect(" 3 new" in result.stdout, f"unexpected import summary: {result.stdout.strip()}")
        self.expect(self.expected_db.is_file(), f"no database at the per-user default {self.expected_db}")
        again = self.run("import", str(IMPORT_FIXTURE))
        self._result(again, 0, "second import")
        self.expect("0 new, 3 already present" in again.stdout, f"re-import not recognised: {again.stdout.strip()}")
        return result.stdout.strip().split(" (")[0]

    def calendar(self) -> str:
        pdf = self.work / "calendar.pdf"
        result = self.run("calendar", "--month", date.today().strftime("%Y-%m"), "--pdf", str(pdf))
        self._result(result, 0, "calendar --pdf")
        self.expect(pdf.is_file() and pdf.read_bytes()[:5] == b"%PDF-", f"{pdf} is not a PDF")
        self.expect(pdf.stat().st_size > 1000, f"{pdf} is only {pdf.stat().st_size} bytes")
        return f"{pdf.stat().st_size:,} bytes"

    def audit(self) -> str:
        result = self.run("audit", "verify")
        self._result(result, 0, "audit verify")
        self.expect("intact" in result.stdout and "NOT" not in result.stdout, f"audit says: {result.stdout.strip()}")
        return result.stdout.strip()

    def licences(self) -> str:
        found = list(self.bundle.rglob("licenses/README.txt"))
        self.expect(bool(found), "no licenses/README.txt in the bundle")
        folder = found[0].parent
        index = found[0].read_text(encoding="utf-8")
        self.expect("PySide6" in index and "Python " in index, "licence index does not name Qt for Python and Python")
        lgpl = list(folder.glob("PySide6*/LGPL-3.0.txt"))
        self.expect(bool(lgpl), "Qt's LGPL text is missing")
        self.expect("onnxruntime " in index, "licence index does not name onnxruntime")
        for text in ("LICENSE", "ThirdPartyNotices.txt"):
            self.expect(bool(list(folder.glob(f"onnxruntime-*/{text}"))), f"onnxruntime's {text} is missing")
        for model in sorted(p.parent.name for p in MODELS.glob("*/LICENSE")):
            self.expect(model in index and (folder / "models" / model / "LICENSE").is_file(),
                        f"the licence of the vendored model {model} is not in the licence folder")
        self.expect("psycopg " in index and bool(list(folder.glob("psycopg-3*/LICENSE*"))), "psycopg's LGPL text is missing")
        self.expect(bool(list(folder.glob("psycopg?binary-*/libraries/PostgreSQL-libpq.txt"))),
                    "the licence of libpq (bundled by psycopg-binary) is missing")
        return f"{len(list(folder.iterdir()))} entries in {folder}"

    def driver(self) -> str:
        sources = list(self.bundle.rglob("psycopg/__init__.py"))
        self.expect(bool(sources), "psycopg's Python source is not in the folder (it must stay a replaceable file)")
        internal = sources[0].parent.parent
        modules = sorted(p.name for p in (internal / "psycopg_binary").glob("*") if p.suffix in (".so", ".pyd"))
        self.expect(any(name.startswith("pq.") for name in modules), f"psycopg_binary's pq module missing: {modules}")
        libpq = sorted(p.name for p in internal.glob("psycopg_binary*/**/libpq*"))
        self.expect(bool(libpq), "psycopg-binary's libpq is not in the folder")
        return f"psycopg source in {sources[0].parent}; psycopg_binary: {', '.join(modules)}; {', '.join(libpq)}"

    def server(self) -> str:
        url, env = self.pg_url, dict(self.env, PSYCOPG_IMPL="binary")  # never a libpq of the system's

        def on_server(*args: str, code: int = 0) -> str:
            result = subprocess.run([str(self.executable), "--db", url, *args], capture_output=True, text=True,
                                    encoding="utf-8", env=env, cwd=self.work, timeout=180)
            self._result(result, code, f"--db {_without_password(url)} {' '.join(args)}")
            return result.stdout
        before = on_server("server", "status")
        self.expect("no schema yet" in before,
                    f"{_without_password(url)} already holds a MedShare schema: give an empty, throw-away database "
                    f"(server status said: {before.strip()})")
        imported = on_server("import", str(IMPORT_FIXTURE))
        self.expect(" 3 new" in imported, f"import into the server said: {imported.strip()}")
        verified = on_server("audit", "verify")
        self.expect("intact" in verified and "NOT" not in verified, f"audit on the server says: {verified.strip()}")
        after = on_server("server", "status")
        revision = next((line for line in after.splitlines() if line.startswith("schema revision")), "")
        self.expect("up to date" in revision, f"server status after the import said: {after.strip()}")
        return f"{_without_password(url)}: {imported.splitlines()[0].split(': ', 1)[-1][:40]}…; " \
               f"{verified.strip().splitlines()[-1]}; {revision}"

    def gui(self) -> str:
        gui_exe = self.executable.with_name("MedShareDesktop.exe") if sys.platform == "win32" else self.executable
        if not gui_exe.is_file():
            gui_exe = self.executable
        log_dir = Path(self.info.get("log_dir") or self.work)
        stderr_file = self.work / "gui-stderr.txt"
        with stderr_file.open("w", encoding="utf-8") as stderr:
            process = subprocess.Popen([str(gui_exe)], env=self.env, cwd=self.work, stdout=stderr, stderr=stderr)
            try:
                process.wait(timeout=self.gui_seconds)
            except subprocess.TimeoutExpired:
                pass
            still_up = process.poll() is None
            maps = Path(f"/proc/{process.pid}/maps")
            driver_loaded = still_up and maps.is_file() and "psycopg" in maps.read_text(errors="replace")
            if still_up:
                process.terminate()  # SIGTERM; TerminateProcess on Windows
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        output = stderr_file.read_text(encoding="utf-8", errors="replace")
        self.expect(still_up, f"the window closed after less than {self.gui_seconds} s (exit {process.returncode}): "
                              f"{output.strip()[-800:]}")
        self.expect("Traceback" not in output, f"traceback on stderr: {output[-800:]}")
        # a desk on its own file never loads the team-server driver (start-up time; Linux shows it in /proc)
        self.expect(not driver_loaded, "the window on this computer's database loaded psycopg/libpq")
        logs = "".join(p.read_text(encoding="utf-8", errors="replace") for p in log_dir.glob("*.log*"))
        self.expect("Traceback" not in logs and " ERROR " not in logs, f"errors in the log: {logs[-800:]}")
        self.expect("risk pipeline built" in logs, "the risk engine did not load while the window was up")
        return f"up {self.gui_seconds:g} s, risk engine loaded, clean log"

    def all(self) -> int:
        try:
            return self._all()
        finally:
            self.secret_service.stop()

    def _all(self) -> int:
        print(f"smoke test of {self.executable} in {self.work}", flush=True)
        if sys.platform.startswith("linux"):
            print(f"keyring: {'Secret Service on a private D-Bus' if self.secret_service.address else 'none (no dbus-daemon)'}")
        self.check("version", self.version)
        self.check("info", self.info_check)
        self.check("scan", self.scan)
        self.check("models", self.models)
        self.check("engine", self.engine)
        self.check("commands", self.commands)
        self.check("import", self.import_check)
        self.check("calendar", self.calendar)
        self.check("audit", self.audit)
        self.check("licences", self.licences)
        self.check("driver", self.driver)
        if self.pg_url:
            self.check("server", self.server)
        else:
            print("SKIP server: no PostgreSQL database given (--pg-url URL or MEDSHARE_SMOKE_PG_URL)", flush=True)
        self.check("gui", self.gui)
        if self.failures:
            print(f"smoke test FAILED: {', '.join(self.failures)}", flush=True)
            return 1
        print("smoke test passed", flush=True)
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("executable", type=Path, help="the built program, e.g. dist/medshare/medshare")
    parser.add_argument("--fail-fast", action="store_true", help="stop at the first failure")
    parser.add_argument("--gui-seconds", type=float, default=10.0)
    parser.add_argument("--keep", action="store_true", help="keep the fresh folder for a look afterwards")
    parser.add_argument("--pg-url", default=os.environ.get("MEDSHARE_SMOKE_PG_URL", ""),
                        help="an EMPTY, throw-away PostgreSQL database for the server check "
                             "(postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE; default MEDSHARE_SMOKE_PG_URL)")
    args = parser.parse_args(argv)
    if not args.executable.is_file():
        print(f"smoke test: {args.executable}: no such program", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="medshare-smoke-"))
    try:
        return Smoke(args.executable, work, args.fail_fast, args.gui_seconds, args.pg_url).all()
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
