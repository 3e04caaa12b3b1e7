"""Build MedShare Desktop for the machine this runs on: the one-folder bundle, then its installer.

    python packaging/build.py [--no-installer] [--reuse-cache]

1. `dist/medshare/` with the executable `dist/medshare/medshare` (Windows: `medshare.exe` for the
   command line and `MedShareDesktop.exe` for staff; macOS: also `dist/MedShare Desktop.app`).
2. Signing, when a certificate is configured (environment variables in packaging/README.md);
   otherwise it says so and goes on unsigned.
3. The installer for this OS when its tool is present: Linux tar.gz and .deb (dpkg-deb), Windows
   MSI (WiX v5, `wix`), macOS DMG (hdiutil), then notarisation when configured.

Prints what it made with sizes and the build time. Needs PyInstaller (`pip install "pyinstaller>=6.10,<7"`)
in the Python environment the app is installed in.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
BUILD = ROOT / "build"
BUNDLE = DIST / "medshare"
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import icons  # noqa: E402

from medshare_desktop import __version__  # noqa: E402


def say(message: str) -> None:
    print(f"build: {message}", flush=True)


def folder_size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


def write_windows_version_info(target: Path) -> None:
    """The version resource Windows Explorer and SCCM/Intune show for the executables."""
    numbers = tuple(int(part) for part in __version__.split(".")[:3]) + (0,)
    target.write_text(
        f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={numbers}, prodvers={numbers}, mask=0x3f, flags=0x0, OS=0x40004,
                    fileType=0x1, subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', 'MedShare'),
      StringStruct('FileDescription', 'MedShare Desktop'),
      StringStruct('FileVersion', '{__version__}'),
      StringStruct('ProductName', 'MedShare Desktop'),
      StringStruct('ProductVersion', '{__version__}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
""",
        encoding="utf-8",
    )


def run_pyinstaller(reuse_cache: bool) -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        sys.exit('build: PyInstaller is not installed in this Python: pip install "pyinstaller>=6.10,<7"')
    BUILD.mkdir(exist_ok=True)
    icons.write_platform_icons(BUILD / "icons")
    if sys.platform == "win32":
        write_windows_version_info(BUILD / "windows_version_info.txt")
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
        "--distpath", str(DIST), "--workpath", str(BUILD / "pyinstaller"), str(HERE / "medshare.spec"),
    ]
    if not reuse_cache:
        command.insert(3, "--clean")
    env = dict(os.environ, MEDSHARE_ICON_DIR=str(BUILD / "icons"))
    subprocess.run(command, check=True, env=env, cwd=ROOT)


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def executable() -> Path:
    if sys.platform == "darwin":
        return DIST / "MedShare Desktop.app" / "Contents" / "MacOS" / "medshare"
    return BUNDLE / ("medshare.exe" if sys.platform == "win32" else "medshare")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-installer", action="store_true", help="build and sign the folder only")
    parser.add_argument("--reuse-cache", action="store_true", help="keep PyInstaller's analysis cache (faster)")
    args = parser.parse_args(argv)
    started = time.monotonic()
    say(f"MedShare Desktop {__version__} for {sys.platform}, Python {sys.version.split()[0]}")
    run_pyinstaller(args.reuse_cache)
    built = time.monotonic() - started
    if not executable().is_file():
        sys.exit(f"build: {executable()} was not made")
    say(f"folder {BUNDLE} ({megabytes(folder_size(BUNDLE))}) in {built:.0f} s")
    made: list[Path] = []
    if sys.platform == "win32":
        from windows import windows_installer

        windows_installer.sign_folder(BUNDLE)
        if not args.no_installer:
            made += windows_installer.build_msi(BUNDLE, DIST, __version__)
    elif sys.platform == "darwin":
        from macos import macos_bundle

        app = DIST / "MedShare Desktop.app"
        macos_bundle.sign_app(app)
        if not args.no_installer:
            made += macos_bundle.build_dmg(app, DIST, __version__)
    else:
        from linux import linux_packages

        if not args.no_installer:
            made += linux_packages.build_all(BUNDLE, DIST, __version__)
    for path in made:
        say(f"installer {path} ({megabytes(path.stat().st_size)})")
    if made:  # for IT to check a download; Linux packages carry no code signature of their own
        sums = DIST / "SHA256SUMS"
        sums.write_text("".join(f"{sha256(p)}  {p.name}\n" for p in made), encoding="utf-8")
        say(f"checksums in {sums}")
    say(f"done in {time.monotonic() - started:.0f} s; check it with: python packaging/smoke_test.py {executable()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
