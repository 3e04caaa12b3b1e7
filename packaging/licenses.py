"""Third-party licence texts for the bundle, gathered from what PyInstaller actually put in it.

Called from medshare.spec after the analysis: every Python module and binary in the bundle is mapped
to its installed distribution, and that distribution's licence files (its metadata's License-File
entries, or LICENSE/COPYING/NOTICE files it installed) are copied to `licenses/<name>-<version>/`.
On Debian-like build machines, shared libraries taken from the system are mapped to their package
with `dpkg -S` and its `/usr/share/doc/<package>/copyright` is copied. The models vendored as data in
`resources/models/` get their LICENSE/NOTICE/LICENSES_SOURCES files copied to `licenses/models/<model>/`.
`licenses/README.txt` lists everything, including what has no text in its metadata (Qt for Python gets
the LGPL/GPL texts kept in packaging/licenses/).
"""

from __future__ import annotations

import importlib.metadata as metadata
import json
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
_LICENCE_NAME = re.compile(r"(LICEN[CS]E|COPYING|NOTICE|COPYRIGHT)", re.IGNORECASE)
# Distributions whose wheels carry no licence text: the texts their metadata names.
_KNOWN_TEXTS = {
    "pyside6-essentials": ("LGPL-3.0.txt", "GPL-3.0.txt"),
    "shiboken6": ("LGPL-3.0.txt", "GPL-3.0.txt"),
}
_QT_NOTE = """\
Qt and Qt for Python (PySide6, shiboken6) are used under the GNU Lesser General Public License v3
(texts in PySide6_Essentials-*/). The Qt libraries are separate, replaceable files in this folder
(PySide6/Qt/lib, or the PySide6 folder on Windows and macOS): you may replace them with your own
build of the same Qt version. Qt's source code: https://download.qt.io/official_releases/qt/
"""


def _top_names(pure: list, binaries: list) -> set[str]:
    names = {entry[0].split(".")[0] for entry in pure}
    for entry in binaries:
        first = Path(entry[0]).parts[0]
        names.add(first.split(".")[0])
    return names


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def _licence_files(dist: metadata.Distribution) -> list[Path]:
    found: list[Path] = []
    for entry in dist.files or []:
        if _LICENCE_NAME.search(entry.name) and not entry.name.endswith((".py", ".pyc")):
            path = Path(str(dist.locate_file(entry)))
            if path.is_file() and path.stat().st_size < 2_000_000:
                found.append(path)
    return found


def _system_library_packages(binaries: list) -> dict[str, list[str]]:
    """Debian package -> bundled library names, for libraries that come from the operating system."""
    if not sys.platform.startswith("linux") or shutil.which("dpkg") is None:
        return {}
    ours = (sys.prefix, sys.base_prefix, sysconfig.get_paths()["purelib"])
    packages: dict[str, list[str]] = {}
    for dest, source, _kind in binaries:
        if source.startswith(ours) or not source.startswith(("/usr/", "/lib")):
            continue
        real = str(Path(source).resolve())
        result = subprocess.run(["dpkg", "-S", real], capture_output=True, text=True)
        if result.returncode != 0:
            result = subprocess.run(["dpkg", "-S", source], capture_output=True, text=True)
        package = result.stdout.split(":", 1)[0].strip() if result.returncode == 0 else "(unknown)"
        packages.setdefault(package, []).append(Path(dest).name)
    return packages


def _model_licence(folder: Path) -> str:
    """The licence a vendored model declares: its meta.json, else the first line of its LICENSE."""
    meta = folder / "meta.json"
    if meta.is_file():
        declared = json.loads(meta.read_text(encoding="utf-8")).get("license")
        if declared:
            return str(declared)
    lines = [line.strip() for line in (folder / "LICENSE").read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        return "see its LICENSE"
    return f"{lines[0]} {lines[1]}" if len(lines[0]) < 20 and len(lines) > 1 else lines[0]  # "Apache License" "Version 2.0…"


def _vendored_models(models: Path, out: Path) -> list[str]:
    """Copy each third-party model's licence files (a model folder holding a LICENSE) to licenses/models/."""
    lines = []
    for folder in sorted(p.parent for p in models.glob("*/LICENSE")):
        target = out / "models" / _safe(folder.name)
        target.mkdir(parents=True)
        texts = sorted(p for p in folder.iterdir() if p.is_file() and _LICENCE_NAME.search(p.name))
        for path in texts:
            shutil.copyfile(path, target / path.name)
        lines.append(f"{folder.name}: {_model_licence(folder)} ({', '.join(p.name for p in texts)})")
    if lines:
        lines = [
            "",
            "Models vendored as data (resources/models/; where each came from: resources/models/README.md):",
            *lines,
        ]
    return lines


def collect(pure: list, binaries: list, workdir: Path, models: Path | None = None) -> list[tuple[str, str, str]]:
    """Write the licence folder under `workdir` and return it as TOC entries (dest, source, "DATA").
    `models`: the resources/models folder, whose third-party models' licences are gathered too."""
    out = workdir / "licenses"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    mapping = metadata.packages_distributions()
    dist_names = sorted({d for name in _top_names(pure, binaries) for d in mapping.get(name, [])}, key=str.lower)
    dist_names = [name for name in dist_names if name.lower() != "medshare-desktop"]  # ours, not third-party
    index = ["Third-party software in this MedShare Desktop build, with its licence texts.", ""]
    for name in dist_names:
        dist = metadata.distribution(name)
        folder = out / _safe(f"{dist.metadata['Name']}-{dist.version}")
        folder.mkdir()
        licence = dist.metadata.get("License-Expression") or dist.metadata.get("License") or ""
        licence = licence if len(licence) < 80 else licence.splitlines()[0][:80] + "…"
        classifiers = [c.split(" :: ")[-1] for c in dist.metadata.get_all("Classifier") or [] if c.startswith("License")]
        texts = _licence_files(dist)
        for path in texts:
            shutil.copyfile(path, folder / path.name)
        for text in _KNOWN_TEXTS.get(re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower(), ()):
            shutil.copyfile(HERE / "licenses" / text, folder / text)
            texts.append(Path(text))
        if not texts:
            (folder / "LICENSE-NOT-IN-METADATA.txt").write_text(
                f"{dist.metadata['Name']} {dist.version} ships no licence file in its metadata.\n"
                f"Licence declared: {licence or ', '.join(classifiers) or 'not stated'}\n"
                f"Project: {dist.metadata.get('Home-page') or dist.metadata.get('Project-URL') or ''}\n",
                encoding="utf-8",
            )
        index.append(f"{dist.metadata['Name']} {dist.version}: {licence or ', '.join(classifiers) or 'see its licence file'}")
    # CPython itself and PyInstaller's bootloader (GPL with an exception that allows this use).
    python_licence = next(
        (p for p in (Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt", Path(sys.base_prefix) / "LICENSE.txt")
         if p.is_file()), None,
    )
    if python_licence:
        (out / "Python").mkdir()
        shutil.copyfile(python_licence, out / "Python" / "LICENSE.txt")
        index.append(f"Python {sys.version.split()[0]}: PSF-2.0")
    bootloader = metadata.distribution("pyinstaller")
    for path in _licence_files(bootloader):
        (out / "PyInstaller-bootloader").mkdir(exist_ok=True)
        shutil.copyfile(path, out / "PyInstaller-bootloader" / path.name)
    index.append("PyInstaller bootloader: GPL-2.0-or-later with the bootloader exception")
    system = _system_library_packages(binaries)
    if system:
        index += ["", "Libraries taken from the build machine's operating system (Debian packages):"]
        for package, libraries in sorted(system.items()):
            copyright_file = Path("/usr/share/doc") / package.split(":")[0] / "copyright"
            if copyright_file.is_file():
                target = out / "system" / _safe(package.split(":")[0])
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(copyright_file, target / "copyright")
            index.append(f"{package}: {', '.join(sorted(libraries))}")
    if models is not None:
        index += _vendored_models(models, out)
    index += ["", _QT_NOTE]
    (out / "README.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    return [
        (str(Path("licenses") / path.relative_to(out)), str(path), "DATA")
        for path in sorted(out.rglob("*"))
        if path.is_file()
    ]
