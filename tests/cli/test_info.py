"""`medshare info`: where the data lives, which keyring is used and why the others are not, encryption support.

The same report is what packaging/compare_with_source.py compares between a frozen build and the source.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from medshare_desktop import diagnostics
from medshare_desktop.secrets import backends


def info(*args: str, env: dict[str, str] | None = None) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "medshare_desktop", *args, "info", "--json"],
        capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_info_names_the_database_the_other_commands_would_open(tmp_path: Path) -> None:
    data = tmp_path / "data"
    report = info(env={"MEDSHARE_DATA_DIR": str(data), "MEDSHARE_DB": ""})
    assert report["database"] == f"sqlite:///{(data / 'medshare.db').resolve()}"
    assert report["data_dir"] == str(data) and report["log_dir"] == str(data / "logs")
    assert report["build"] == "source"
    chosen = tmp_path / "elsewhere.db"
    assert info("--db", str(chosen))["database"] == f"sqlite:///{chosen.resolve()}"


def test_info_never_prints_a_server_password(tmp_path: Path) -> None:
    url = "postgresql+psycopg://amy_chen:s3cret-pw@db.hospital.org:5433/medshare?sslmode=verify-full"
    for report in (info("--db", url, env={"MEDSHARE_DATA_DIR": str(tmp_path)}),
                   info(env={"MEDSHARE_DATA_DIR": str(tmp_path), "MEDSHARE_DB": url})):
        assert report["database"] == "postgresql+psycopg://amy_chen:***@db.hospital.org:5433/medshare?sslmode=verify-full"
        assert "s3cret" not in json.dumps(report)


def test_info_names_the_keyring_in_use_and_says_why_each_other_backend_is_not_used(tmp_path: Path) -> None:
    report = info(env={"MEDSHARE_DATA_DIR": str(tmp_path)})
    assert report["keyring"] == "tests.keyring_memory.MemoryKeyring"  # what PYTHON_KEYRING_BACKEND configures
    by_name = {b["name"]: b for b in report["keyring_backends"]}
    # keyring's own backends are found through its entry points on every platform, usable here or not
    for name in ("keyring.backends.SecretService.Keyring", "keyring.backends.Windows.WinVaultKeyring",
                 "keyring.backends.macOS.Keyring"):
        assert name in by_name
    other_platform = "keyring.backends.Windows.WinVaultKeyring" if sys.platform != "win32" else (
        "keyring.backends.macOS.Keyring")
    assert by_name[other_platform]["priority"] is None and by_name[other_platform]["reason"]


def test_a_backend_that_cannot_run_here_is_reported_with_keyrings_own_reason() -> None:
    reports = {r.name: r for r in backends.known_backends()}
    mac = reports["keyring.backends.macOS.Keyring"]
    if sys.platform != "darwin":
        assert not mac.usable and "macOS" in mac.reason


def test_info_says_whether_sqlcipher_encryption_is_available(tmp_path: Path) -> None:
    report = info(env={"MEDSHARE_DATA_DIR": str(tmp_path)})
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        assert report["encryption"]["available"] is False
    else:
        assert report["encryption"]["available"] is True
        assert report["encryption"]["detail"].startswith("SQLCipher 4")
    # without the driver (the extra not installed) it says so instead of failing
    script = "import sys; sys.modules['sqlcipher3'] = None\nfrom medshare_desktop import diagnostics\n" \
             "print(diagnostics.encryption_support())"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "'available': False" in out.stdout and "not installed" in out.stdout


def test_info_lists_the_spacy_registry_entry_points_a_model_config_may_name() -> None:
    names = diagnostics.registry_entry_points()
    assert "spacy_architectures:spacy-legacy.TextCatBOW.v1" in names  # spacy-legacy's, found only through metadata
    assert any(name.startswith("spacy_loggers:") for name in names)
    text = diagnostics.as_text(diagnostics.collect(None))
    assert f"{len(names)} registry entry points" in text
