"""Third-party licence texts for the bundle, gathered from what PyInstaller actually put in it.

Called from medshare.spec after the analysis: every Python module and binary in the bundle is mapped
to its installed distribution, and that distribution's licence files (its metadata's License-File
entries, or LICENSE/COPYING/NOTICE files it installed) are copied to `licenses/<name>-<version>/`.
On Debian-like build machines, shared libraries taken from the system are mapped to their package
with `dpkg -S` and its `/usr/share/doc/<package>/copyright` is copied. The models vendored as data in
`resources/models/` get their LICENSE/NOTICE/LICENSES_SOURCES files copied to `licenses/models/<model>/`.
`licenses/README.txt` lists everything, including what has no text in its metadata (Qt for Python gets
the LGPL/GPL texts kept in packaging/licenses/). Libraries a wheel vendors beside its modules
(`psycopg_binary.libs/`, `numpy.libs/`, macOS `.dylibs/`) are listed under their distribution; those
psycopg-binary brings (libpq, OpenSSL, Kerberos, OpenLDAP, Cyrus SASL...) get the texts kept in
packaging/licenses/bundled_libraries/, since its wheel carries only psycopg's own LGPL.
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


def _top_names(pure: list, binaries: list, datas: list = ()) -> set[str]:
    names = {entry[0].split(".")[0] for entry in pure}
    # modules collected as source files instead of into the archive (module_collection_mode "py")
    names.update(Path(entry[0]).parts[0] for entry in datas if entry[0].endswith(".py"))
    for entry in binaries:
        first = Path(entry[0]).parts[0]
        names.add(first.split(".")[0])
    return names


# Libraries vendored by a wheel (auditwheel/delocate/delvewheel folders), by file name: what each is,
# its licence, and the texts in packaging/licenses/bundled_libraries/ that go with it.
_VENDORED_DIR = re.compile(r"(^|/)([^/]+)\.libs/|(^|/)([^/]+)/\.dylibs/")
_LIBRARY_TEXTS = (
    (re.compile(r"^(lib)?pq\b"), "libpq (PostgreSQL client library): PostgreSQL Licence", ("PostgreSQL-libpq.txt",)),
    (re.compile(r"^(lib)?(ssl|crypto)\b"), "OpenSSL 3: Apache-2.0", ("OpenSSL.txt",)),
    (re.compile(r"^lib(gssapi_krb5|krb5|k5crypto|krb5support)\b"), "MIT Kerberos 5: MIT licence", ("MIT-Kerberos.txt",)),
    (re.compile(r"^libcom_err\b"), "com_err (MIT Kerberos / e2fsprogs): MIT-style licence",
     ("MIT-Kerberos.txt", "e2fsprogs-com_err.txt")),
    (re.compile(r"^lib(ldap|lber)\b"), "OpenLDAP: OpenLDAP Public License 2.8", ("OpenLDAP.txt",)),
    (re.compile(r"^libsasl2\b"), "Cyrus SASL: BSD-style (CMU) licence", ("Cyrus-SASL.txt",)),
    (re.compile(r"^libkeyutils\b"), "keyutils: LGPL-2.0-or-later", ("keyutils.txt", "LGPL-2.1.txt")),
    (re.compile(r"^libcrypt\b"), "libxcrypt: LGPL-2.1-or-later", ("libxcrypt.txt", "LGPL-2.1.txt")),
)
_PSYCOPG_NOTE = """\
psycopg and psycopg-binary (the PostgreSQL driver a desk uses for a team server) are used unmodified
under the GNU Lesser General Public License v3 (text in psycopg-*/LICENSE.txt), linked only at run time:
they are separate, replaceable files in this folder (_internal/psycopg/ as Python source, and
_internal/psycopg_binary/ with psycopg_binary.libs/, or psycopg_binary/.dylibs on macOS). You may replace
them with another psycopg 3 release, or your own build, for the same Python version. Source code:
https://github.com/psycopg/psycopg and https://pypi.org/project/psycopg/. The libraries psycopg-binary
brings (libpq, OpenSSL and those libpq links to) keep their own licences, listed under psycopg-binary
above with their texts in psycopg-binary-*/libraries/ (taken from the Debian packages of the same
projects, since the wheel ships none).
"""


def _vendored_libraries(binaries: list) -> dict[str, list[str]]:
    """Top-level package -> file names of the libraries its wheel vendored in <package>.libs or .dylibs."""
    found: dict[str, list[str]] = {}
    for entry in binaries:
        match = _VENDORED_DIR.search(entry[0].replace("\\", "/"))
        if match:
            found.setdefault(match.group(2) or match.group(4), []).append(Path(entry[0]).name)
    return {package: sorted(set(names)) for package, names in found.items()}


def _vendored_lines(libraries: list[str], folder: Path) -> list[str]:
    """Copy the known texts of a distribution's vendored libraries into folder/libraries/; one line each."""
    lines = []
    for library in libraries:
        known = next(((what, texts) for pattern, what, texts in _LIBRARY_TEXTS if pattern.search(library)), None)
        if known is None:
            lines.append(f"    {library}: not identified by this build; see the distribution's own licence files")
            continue
        what, texts = known
        (folder / "libraries").mkdir(exist_ok=True)
        for text in texts:
            shutil.copyfile(HERE / "licenses" / "bundled_libraries" / text, folder / "libraries" / text)
        lines.append(f"    {library}: {what} ({', '.join('libraries/' + t for t in texts)})")
    return lines


def _safe(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


def _licence_files(dist: metadata.Distribution) -> list[tuple[Path, str]]:
    """(file, name to give it in the licence folder). Several texts of one name (numpy's own LICENSE.txt,
    which covers the libraries in numpy.libs, and its parts' LICENSE.txt files) keep their folders, so
    that none overwrites another."""
    found: list[tuple[Path, str]] = []
    taken: set[str] = set()
    entries = [e for e in dist.files or [] if _LICENCE_NAME.search(e.name) and not e.name.endswith((".py", ".pyc"))]
    for entry in sorted(entries, key=lambda e: (len(Path(str(e)).parts), str(e))):  # the top-level text first
        path = Path(str(dist.locate_file(entry)))
        if path.is_file() and path.stat().st_size < 2_000_000:
            parts = Path(str(entry)).parts
            name = entry.name
            if name in taken:  # keep its folders: below dist-info/licenses/ when it is there, else the whole path
                inner = "/".join(parts[parts.index("licenses") + 1:] if "licenses" in parts[:2] else parts)
                name = inner if inner not in taken else "/".join(parts)
            taken.add(name)
            found.append((path, name))
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


def collect(pure: list, binaries: list, workdir: Path, models: Path | None = None,
            datas: list = ()) -> list[tuple[str, str, str]]:
    """Write the licence folder under `workdir` and return it as TOC entries (dest, source, "DATA").
    `models`: the resources/models folder, whose third-party models' licences are gathered too.
    `datas`: the analysis' data files, for modules collected as source files rather than into the archive."""
    out = workdir / "licenses"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    mapping = metadata.packages_distributions()
    vendored = _vendored_libraries(binaries)
    dist_names = sorted({d for name in _top_names(pure, binaries, datas) for d in mapping.get(name, [])}, key=str.lower)
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
        for path, text_name in texts:
            (folder / text_name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, folder / text_name)
        for text in _KNOWN_TEXTS.get(re.sub(r"[-_.]+", "-", dist.metadata["Name"]).lower(), ()):
            shutil.copyfile(HERE / "licenses" / text, folder / text)
            texts.append((HERE / "licenses" / text, text))
        if not texts:
            (folder / "LICENSE-NOT-IN-METADATA.txt").write_text(
                f"{dist.metadata['Name']} {dist.version} ships no licence file in its metadata.\n"
                f"Licence declared: {licence or ', '.join(classifiers) or 'not stated'}\n"
                f"Project: {dist.metadata.get('Home-page') or dist.metadata.get('Project-URL') or ''}\n",
                encoding="utf-8",
            )
        index.append(f"{dist.metadata['Name']} {dist.version}: {licence or ', '.join(classifiers) or 'see its licence file'}")
        libraries = [lib for package, libs in vendored.items() if name in mapping.get(package, []) for lib in libs]
        if libraries:
            index.append("  with these libraries it vendors (each under its own licence):")
            index += _vendored_lines(libraries, folder)
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
    for path, name in _licence_files(bootloader):
        (out / "PyInstaller-bootloader" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, out / "PyInstaller-bootloader" / name)
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
    if any(name.lower() == "psycopg" for name in dist_names):
        index += [_PSYCOPG_NOTE]
    (out / "README.txt").write_text("\n".join(index) + "\n", encoding="utf-8")
    return [
        (str(Path("licenses") / path.relative_to(out)), str(path), "DATA")
        for path in sorted(out.rglob("*"))
        if path.is_file()
    ]
