"""The system libraries Qt's Linux platform plugins need, and naming the missing ones as packages.

Qt ends the process (qFatal) when no platform plugin loads, with a message that does not say which
library is missing. app.py installs a Qt message handler for start-up that, on that message, runs
`ldd` on the plugin and says which libraries are missing and which Debian/Ubuntu packages provide
them. Nothing here runs on a normal start. No Qt import: PySide6 is located, not loaded.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from medshare_desktop.paths import resource_path

_PLUGIN_NAME = re.compile(r'platform plugin "([\w-]+)"')
_LDD_LINE = re.compile(r"^\s*(\S+)\s+=>\s+(not found|\S+)")


@lru_cache(maxsize=1)
def library_packages() -> dict[str, str]:
    """soname → Debian/Ubuntu package ("" for libraries every system has or a listed package pulls in)."""
    table: dict[str, str] = {}
    for line in resource_path("platform", "qt_linux_libraries.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) == 2:
            table[fields[0]] = "" if fields[1] == "-" else fields[1]
    return table


def debian_packages() -> list[str]:
    """The packages to install, in the table's order, each once."""
    return list(dict.fromkeys(p for p in library_packages().values() if p))


def plugin_path(platform: str) -> Path | None:
    """PySide6's plugin file for a platform ("xcb", "offscreen", …), found without importing PySide6."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "Qt" / "plugins" / "platforms" / f"libq{platform}.so"
    return path if path.exists() else None


def parse_ldd(output: str) -> dict[str, bool]:
    """`ldd` output → {soname: found}. Lines without "=>" (the vdso, the loader) count as found."""
    libraries: dict[str, bool] = {}
    for line in output.splitlines():
        match = _LDD_LINE.match(line)
        if match:
            libraries[match.group(1)] = match.group(2) != "not found"
        elif line.strip():
            libraries[line.split()[0].rsplit("/", 1)[-1]] = True
    return libraries


def ldd(path: Path) -> dict[str, bool]:
    """Every shared library `path` loads (directly or not) and whether the system has it."""
    tool = shutil.which("ldd")
    if tool is None:
        return {}
    out = subprocess.run([tool, str(path)], capture_output=True, text=True, timeout=20, check=False)
    return parse_ldd(out.stdout)


def describe_missing(missing: list[str]) -> str:
    """Missing sonames → a sentence naming each with its package and the command that installs them."""
    table = library_packages()
    named = []
    packages: list[str] = []
    for soname in missing:
        package = table.get(soname, "")
        if package:
            named.append(f"{soname} (package {package})")
            packages.append(package)
        elif soname.startswith("libQt6") or soname.startswith("libpyside6") or soname.startswith("libshiboken6"):
            named.append(f"{soname} (part of PySide6: reinstall it)")
        else:
            named.append(soname)
    text = "missing system libraries: " + ", ".join(named) + "."
    if packages:
        text += f" Install them with: sudo apt-get install {' '.join(dict.fromkeys(packages))}"
    return text


def platform_failure_message(qt_message: str, platform: str | None = None) -> str:
    """What to tell the user when Qt could not load a platform plugin (Qt's own message given)."""
    match = _PLUGIN_NAME.search(qt_message)
    name = platform or (match.group(1) if match else "xcb")
    path = plugin_path(name)
    head = f'MedShare Desktop cannot open a window: Qt could not load its "{name}" platform plugin'
    if path is None:
        return f"{head} (the plugin file is not installed; reinstall PySide6)."
    missing = [soname for soname, found in ldd(path).items() if not found]
    if missing:
        return f"{head}: {describe_missing(missing)}"
    if name == "xcb":
        return (f"{head}, although all its libraries are present: is there an X display "
                "(the DISPLAY variable), and may this user open windows on it?")
    return f"{head}, although all its libraries are present."
