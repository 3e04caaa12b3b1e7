"""Qt's system libraries: the table derived from `ldd` on the platform plugins, README and .ci/run in
step with it, and the start-up error naming what is missing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from medshare_desktop.system_libraries import (
    debian_packages,
    describe_missing,
    ldd,
    library_packages,
    parse_ldd,
    platform_failure_message,
    plugin_path,
)

ROOT = Path(__file__).resolve().parents[1]
linux_with_ldd = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("ldd") is None, reason="ldd on Linux only"
)


def test_readme_names_exactly_the_packages_the_table_names() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = next(line for line in readme.splitlines() if "apt-get install" in line and "libxcb" in line)
    named = re.sub(r"^.*apt-get install", "", line).strip(" `").split()
    assert named[0] == "python3-venv"  # for the run command's `python3 -m venv`
    assert sorted(named[1:]) == sorted(debian_packages())


def test_ci_installs_the_packages_read_from_the_same_table() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "resources/platform/qt_linux_libraries.txt" in script
    assignment = next(line for line in script.splitlines() if line.startswith("QT_DEBS="))
    out = subprocess.run(["bash", "-c", f'{assignment}\necho "$QT_DEBS"'], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == debian_packages()


@linux_with_ldd
@pytest.mark.parametrize("platform", ["xcb", "offscreen"])
def test_every_library_the_platform_plugins_load_is_in_the_table(platform: str) -> None:
    path = plugin_path(platform)
    assert path is not None
    libraries = ldd(path)
    assert libraries, "ldd listed nothing"
    ours = ("libQt6", "libpyside6", "libshiboken6", "libicu")  # shipped inside the PySide6 wheel
    unknown = sorted(s for s in libraries if not s.startswith(ours) and s not in library_packages())
    assert unknown == [], f"add these to resources/platform/qt_linux_libraries.txt with their package: {unknown}"


@linux_with_ldd
def test_a_plugin_that_cannot_find_its_libraries_is_explained_by_name(tmp_path: Path) -> None:
    # a real copy of the xcb plugin away from PySide6's own Qt libraries: ldd reports them missing
    original = plugin_path("xcb")
    assert original is not None
    copy = tmp_path / "libqxcb.so"
    shutil.copy(original, copy)
    missing = [soname for soname, found in ldd(copy).items() if not found]
    assert "libQt6XcbQpa.so.6" in missing
    text = describe_missing(missing)
    assert "libQt6XcbQpa.so.6 (part of PySide6: reinstall it)" in text


def test_missing_system_libraries_are_named_with_their_packages_and_the_command() -> None:
    output = (
        "\tlinux-vdso.so.1 (0x00007ffd)\n"
        "\tlibxcb-icccm.so.4 => not found\n"
        "\tlibxcb-keysyms.so.1 => not found\n"
        "\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)\n"
    )
    libraries = parse_ldd(output)
    missing = [s for s, found in libraries.items() if not found]
    assert missing == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert describe_missing(missing) == (
        "missing system libraries: libxcb-icccm.so.4 (package libxcb-icccm4), "
        "libxcb-keysyms.so.1 (package libxcb-keysyms1). "
        "Install them with: sudo apt-get install libxcb-icccm4 libxcb-keysyms1"
    )


@linux_with_ldd
def test_the_app_says_why_it_cannot_open_a_window_instead_of_only_qts_message(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="xcb", MEDSHARE_DATA_DIR=str(tmp_path))
    out = subprocess.run(
        [sys.executable, "-m", "medshare_desktop", "--db", str(tmp_path / "x.db")],
        env=env, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )
    assert out.returncode != 0
    assert 'MedShare Desktop cannot open a window: Qt could not load its "xcb" platform plugin' in out.stderr
    assert "X display" in out.stderr  # every library is there: the display is what is missing


def test_the_message_for_an_unknown_plugin_says_to_reinstall() -> None:
    text = platform_failure_message('qt.qpa.plugin: Could not load the Qt platform plugin "nosuch" in ""')
    assert '"nosuch" platform plugin (the plugin file is not installed; reinstall PySide6).' in text
