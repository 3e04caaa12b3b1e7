"""Linux installers from the one-folder build: a tar.gz (unpack anywhere) and a .deb (dpkg-deb).

The .deb installs the folder to /opt/medshare, `medshare` on the PATH (/usr/bin/medshare), the menu
entry and the icons. Its dependencies are what the bundle links to but does not carry (glibc, the
GL/EGL and Wayland client libraries, libxcb), found with ldd and mapped to packages with dpkg -S;
glibc is required at least at the version of the build machine.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
PACKAGE = "medshare-desktop"


def say(message: str) -> None:
    print(f"build: {message}", flush=True)


def _tar_filter(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def build_tarball(bundle: Path, dist: Path, version: str) -> Path:
    """medshare-<v>-linux-<arch>.tar.gz: the folder, the menu entry and icon, and a script that adds them for one user."""
    target = dist / f"medshare-{version}-linux-{platform.machine()}.tar.gz"
    top = f"medshare-{version}"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=f"{top}/medshare", filter=_tar_filter)
        tar.add(HERE / "medshare-desktop.desktop", arcname=f"{top}/medshare-desktop.desktop", filter=_tar_filter)
        tar.add(ROOT / "resources" / "icons" / "medshare-256.png", arcname=f"{top}/medshare-desktop.png",
                filter=_tar_filter)
        tar.add(HERE / "install-menu-entry.sh", arcname=f"{top}/install-menu-entry.sh", filter=_tar_filter)
    return target


def _system_dependencies(bundle: Path) -> list[str]:
    """Debian packages of the libraries the bundle links to and does not carry (with glibc's minimum version)."""
    internal = bundle / "_internal"
    env = dict(os.environ, LD_LIBRARY_PATH=str(internal))  # as the bootloader sets it at run time
    outside: set[str] = set()
    files = [bundle / "medshare"] + [p for p in internal.rglob("*.so*") if p.is_file() and not p.is_symlink()]
    for path in files:
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        for match in re.finditer(r"=>\s+(/\S+)", result.stdout):
            library = match.group(1)
            if not Path(library).resolve().is_relative_to(bundle.resolve()):
                outside.add(library)
    packages: set[str] = set()
    for library in sorted(outside):
        # with a merged /usr, dpkg knows a file under either /lib or /usr/lib: ask for each spelling
        resolved = str(Path(library).resolve())
        spellings = dict.fromkeys([library, resolved, resolved.removeprefix("/usr"), "/usr" + library])
        for spelling in spellings:
            found = subprocess.run(["dpkg", "-S", spelling], capture_output=True, text=True)
            if found.returncode == 0:
                packages.add(found.stdout.split(":", 1)[0].strip())
                break
        else:
            say(f"warning: no Debian package owns {library}; it is not declared as a dependency")
    glibc = platform.libc_ver()[1]
    return sorted((f"libc6 (>= {glibc})" if p == "libc6" else p) for p in packages)


def build_deb(bundle: Path, dist: Path, version: str) -> Path:
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True, check=True).stdout.strip()
    root = ROOT / "build" / "deb-root"
    shutil.rmtree(root, ignore_errors=True)
    (root / "DEBIAN").mkdir(parents=True)
    shutil.copytree(bundle, root / "opt" / "medshare", symlinks=True)
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "medshare").symlink_to("/opt/medshare/medshare")
    applications = root / "usr" / "share" / "applications"
    applications.mkdir(parents=True)
    shutil.copyfile(HERE / "medshare-desktop.desktop", applications / "medshare-desktop.desktop")
    for size in ICON_SIZES:
        folder = root / "usr" / "share" / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copyfile(ROOT / "resources" / "icons" / f"medshare-{size}.png", folder / "medshare-desktop.png")
    doc = root / "usr" / "share" / "doc" / PACKAGE
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "MedShare Desktop. Third-party licences: /opt/medshare/_internal/licenses/README.txt\n", encoding="utf-8"
    )
    installed_kb = sum(p.lstat().st_size for p in root.rglob("*") if p.is_file()) // 1024
    depends = ", ".join(_system_dependencies(bundle))
    (root / "DEBIAN" / "control").write_text(
        f"""Package: {PACKAGE}
Version: {version}
Architecture: {arch}
Maintainer: MedShare Desktop team <medshare-desktop@localhost>
Installed-Size: {installed_kb}
Depends: {depends}
Section: misc
Priority: optional
Homepage: https://localhost/medshare-desktop
Description: review and schedule re-shares of staff social posts, offline
 MedShare Desktop gathers what a hospital's physicians and employees post on their
 own accounts, highlights patient information and other risks, checks consent
 records, schedules re-shares under cadence rules and keeps a tamper-evident audit
 trail, all in a local database. Self-contained: it needs no Python.
""",
        encoding="utf-8",
    )
    for path in root.rglob("*"):  # dpkg wants sane permissions whatever the umask of the build
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() or os.access(path, os.X_OK) else 0o644)
    target = dist / f"{PACKAGE}_{version}_{arch}.deb"
    subprocess.run(
        ["dpkg-deb", "--root-owner-group", "-Zgzip", "-z6", "--build", str(root), str(target)],
        check=True, stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(root, ignore_errors=True)
    return target


def build_all(bundle: Path, dist: Path, version: str) -> list[Path]:
    made = [build_tarball(bundle, dist, version)]
    if shutil.which("dpkg-deb") and shutil.which("dpkg"):
        made.append(build_deb(bundle, dist, version))
    else:
        say("dpkg-deb is not installed here: no .deb (the tar.gz works on any distribution)")
    return made
