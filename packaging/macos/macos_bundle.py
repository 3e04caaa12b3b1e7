"""macOS: Developer ID signing of the .app (hardened runtime), the DMG, notarisation and stapling.

Environment variables (signing and notarisation are skipped, with a message, when they are not set):

    MEDSHARE_CODESIGN_IDENTITY   "Developer ID Application: Example Hospital (TEAMID1234)"
    MEDSHARE_NOTARY_PROFILE      a notarytool keychain profile, made once with
                                 `xcrun notarytool store-credentials PROFILE --apple-id ... --team-id ...`
    MEDSHARE_BUNDLE_ID           bundle identifier (default org.medshare.desktop; read by medshare.spec)

Order: every Mach-O file inside the bundle is signed first (inside out), then the .app itself with
the hardened runtime and packaging/macos/entitlements.plist and a secure timestamp; the .app is
notarised and stapled (so it opens offline), then put in a DMG, which is signed, notarised and stapled.
One DMG per architecture: build on an Apple-silicon Mac for arm64 and on an Intel Mac for x86_64.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENTITLEMENTS = HERE / "entitlements.plist"


def say(message: str) -> None:
    print(f"build: {message}", flush=True)


def _identity() -> str | None:
    return os.environ.get("MEDSHARE_CODESIGN_IDENTITY") or None


def _is_macho(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as handle:
        magic = handle.read(4)
    return magic in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"\xfe\xed\xfa\xcf")


def _codesign(path: Path, identity: str, *extra: str) -> None:
    subprocess.run(
        ["codesign", "--force", "--timestamp", "--options", "runtime", "--sign", identity, *extra, str(path)],
        check=True, stdout=subprocess.DEVNULL,
    )


def sign_app(app: Path) -> bool:
    identity = _identity()
    if identity is None:
        say("not signing the .app: MEDSHARE_CODESIGN_IDENTITY is not set (unsigned apps are refused by Gatekeeper)")
        return False
    main = app / "Contents" / "MacOS" / "medshare"
    nested = sorted((p for p in app.rglob("*") if p != main and _is_macho(p)), key=lambda p: -len(p.parts))
    say(f"signing {len(nested)} libraries inside {app.name}, then the app")
    for path in nested:
        _codesign(path, identity)
    _codesign(main, identity, "--entitlements", str(ENTITLEMENTS))
    _codesign(app, identity, "--entitlements", str(ENTITLEMENTS))
    subprocess.run(["codesign", "--verify", "--deep", "--strict", "--verbose=2", str(app)], check=True)
    return True


def notarize(path: Path) -> bool:
    """Submit to Apple's notary service, wait, and staple the ticket to `path` (.app or .dmg)."""
    profile = os.environ.get("MEDSHARE_NOTARY_PROFILE")
    if not profile:
        say(f"not notarising {path.name}: MEDSHARE_NOTARY_PROFILE is not set")
        return False
    submit = path
    with tempfile.TemporaryDirectory() as tmp:
        if path.suffix == ".app":  # notarytool takes a zip of an app
            submit = Path(tmp) / f"{path.stem}.zip"
            subprocess.run(["ditto", "-c", "-k", "--keepParent", str(path), str(submit)], check=True)
        subprocess.run(["xcrun", "notarytool", "submit", str(submit), "--keychain-profile", profile, "--wait"],
                       check=True)
    subprocess.run(["xcrun", "stapler", "staple", str(path)], check=True)
    subprocess.run(["xcrun", "stapler", "validate", str(path)], check=True)
    return True


def build_dmg(app: Path, dist: Path, version: str) -> list[Path]:
    if shutil.which("hdiutil") is None:
        sys.exit("build: hdiutil not found (this step runs on macOS only)")
    signed = _identity() is not None
    if signed:
        notarize(app)
    target = dist / f"MedShareDesktop-{version}-{platform.machine()}.dmg"
    target.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as staging:
        subprocess.run(["ditto", str(app), str(Path(staging) / app.name)], check=True)
        (Path(staging) / "Applications").symlink_to("/Applications")
        subprocess.run(
            ["hdiutil", "create", "-volname", "MedShare Desktop", "-srcfolder", staging, "-ov", "-format", "UDZO",
             str(target)],
            check=True, stdout=subprocess.DEVNULL,
        )
    if signed:
        subprocess.run(["codesign", "--force", "--timestamp", "--sign", _identity(), str(target)], check=True)
        notarize(target)
    return [target]
