"""Third-party licences in the bundle: gathered for what PyInstaller actually put in, Qt's LGPL included."""

from __future__ import annotations

import sys
from pathlib import Path

import keyring
import PySide6

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import licenses  # noqa: E402


def _entries(tmp_path: Path) -> dict[str, str]:
    pure = [("keyring.core", keyring.__file__, "PYMODULE"), ("medshare_desktop.cli", "x", "PYMODULE")]
    qt_core = next(Path(PySide6.__file__).parent.rglob("*Qt6Core*"))
    binaries = [("PySide6/Qt/lib/" + qt_core.name, str(qt_core), "BINARY")]
    return {dest: source for dest, source, kind in licenses.collect(pure, binaries, tmp_path)}


def test_each_bundled_distribution_gets_its_own_licence_text(tmp_path: Path) -> None:
    files = _entries(tmp_path)
    keyring_texts = [dest for dest in files if dest.replace("\\", "/").startswith("licenses/keyring-")]
    assert keyring_texts, sorted(files)
    assert "Permission is hereby granted" in Path(files[keyring_texts[0]]).read_text(encoding="utf-8")  # MIT
    index = Path(files["licenses/README.txt"]).read_text(encoding="utf-8")
    assert "keyring " in index and "Python " in index
    assert "medshare-desktop" not in index  # ours is not third-party


def test_qt_for_python_ships_the_lgpl_text_its_wheel_lacks(tmp_path: Path) -> None:
    files = {dest.replace("\\", "/"): source for dest, source in _entries(tmp_path).items()}
    lgpl = [dest for dest in files if dest.startswith("licenses/PySide6") and dest.endswith("LGPL-3.0.txt")]
    assert lgpl, sorted(files)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in Path(files[lgpl[0]]).read_text(encoding="utf-8")
    assert not any(dest.startswith("licenses/PySide6") and "NOT-IN-METADATA" in dest for dest in files)
    assert "replaceable" in Path(files["licenses/README.txt"]).read_text(encoding="utf-8")
