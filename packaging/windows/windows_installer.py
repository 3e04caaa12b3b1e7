"""Windows: Authenticode signing of every PE file and of the MSI, and the MSI itself (WiX Toolset v5).

Signing is driven by environment variables and skipped, with a message, when none is set:

    MEDSHARE_SIGN_CERT_SHA1   thumbprint of a code-signing certificate in the Windows certificate store
                              (also how an EV certificate on a hardware token or a cloud HSM is used)
    MEDSHARE_SIGN_PFX         or: a .pfx file, with MEDSHARE_SIGN_PFX_PASSWORD
    MEDSHARE_TIMESTAMP_URL    RFC 3161 timestamp server (default http://timestamp.digicert.com)
    MEDSHARE_SIGNTOOL         signtool.exe to use (default: the one on PATH)

Every .exe, .dll and .pyd gets a SHA-256 signature with an RFC 3161 timestamp, so it stays valid after
the certificate expires; files that already carry a valid vendor signature (Qt, Microsoft's runtime)
keep it. Then `signtool verify /pa` must pass for every PE file, or the build fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PE_SUFFIXES = (".exe", ".dll", ".pyd")


def say(message: str) -> None:
    print(f"build: {message}", flush=True)


def _signtool() -> str | None:
    return os.environ.get("MEDSHARE_SIGNTOOL") or shutil.which("signtool")


def _certificate_args() -> list[str] | None:
    if os.environ.get("MEDSHARE_SIGN_CERT_SHA1"):
        return ["/sha1", os.environ["MEDSHARE_SIGN_CERT_SHA1"]]
    if os.environ.get("MEDSHARE_SIGN_PFX"):
        return ["/f", os.environ["MEDSHARE_SIGN_PFX"], "/p", os.environ.get("MEDSHARE_SIGN_PFX_PASSWORD", "")]
    return None


def _verified(tool: str, path: Path) -> bool:
    return subprocess.run([tool, "verify", "/pa", "/q", str(path)], capture_output=True).returncode == 0


def sign(paths: list[Path], what: str) -> bool:
    """Sign `paths` (skipping already validly signed ones); False, with a message, when signing is not configured."""
    certificate = _certificate_args()
    if certificate is None:
        say(f"not signing {what}: no certificate configured (set MEDSHARE_SIGN_CERT_SHA1 or MEDSHARE_SIGN_PFX)")
        return False
    tool = _signtool()
    if tool is None:
        sys.exit("build: a certificate is configured but signtool.exe was not found (Windows SDK; or MEDSHARE_SIGNTOOL)")
    timestamp = os.environ.get("MEDSHARE_TIMESTAMP_URL", "http://timestamp.digicert.com")
    unsigned = [p for p in paths if not _verified(tool, p)]
    say(f"signing {len(unsigned)} of {len(paths)} {what} ({len(paths) - len(unsigned)} already carry a valid signature)")
    for start in range(0, len(unsigned), 50):  # signtool takes many files per call
        batch = unsigned[start:start + 50]
        subprocess.run(
            [tool, "sign", "/fd", "SHA256", "/tr", timestamp, "/td", "SHA256", *certificate, *map(str, batch)],
            check=True,
        )
    failed = [p for p in paths if not _verified(tool, p)]
    if failed:
        sys.exit(f"build: signature check failed for {len(failed)} file(s), first {failed[0]}")
    return True


def sign_folder(bundle: Path) -> bool:
    files = sorted(p for p in bundle.rglob("*") if p.suffix.lower() in PE_SUFFIXES and p.is_file())
    return sign(files, "PE files")


def build_msi(bundle: Path, dist: Path, version: str) -> list[Path]:
    wix = shutil.which("wix")
    if wix is None:
        say("WiX v5 is not installed here (dotnet tool install --global wix --version 5.*): no MSI")
        return []
    target = dist / f"MedShareDesktop-{version}-x64.msi"
    subprocess.run(
        [
            wix, "build", "-arch", "x64",
            "-d", f"Version={version}",
            "-d", f"IconFile={ROOT / 'build' / 'icons' / 'medshare.ico'}",
            "-bindpath", f"Bundle={bundle}",
            "-o", str(target),
            str(HERE / "medshare.wxs"),
        ],
        check=True,
    )
    sign([target], "MSI")
    return [target]
