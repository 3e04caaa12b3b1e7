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


def test_onnxruntime_ships_its_licence_and_third_party_notices(tmp_path: Path) -> None:
    import onnxruntime

    pure = [("onnxruntime.capi.onnxruntime_inference_collection", onnxruntime.__file__, "PYMODULE")]
    files = {dest.replace("\\", "/"): source for dest, source, _ in licenses.collect(pure, [], tmp_path)}
    notices = [dest for dest in files if dest.startswith("licenses/onnxruntime-") and dest.endswith("ThirdPartyNotices.txt")]
    assert notices, sorted(files)
    assert any(dest.startswith("licenses/onnxruntime-") and dest.endswith("/LICENSE") for dest in files)
    assert "onnxruntime " in Path(files["licenses/README.txt"]).read_text(encoding="utf-8")


def test_vendored_models_licences_are_gathered_and_listed(tmp_path: Path) -> None:
    files = {
        dest.replace("\\", "/"): source
        for dest, source, _ in licenses.collect([], [], tmp_path, models=ROOT / "resources" / "models")
    }
    assert "Permission is hereby granted" in Path(files["licenses/models/en_core_web_md/LICENSE"]).read_text("utf-8")
    assert "licenses/models/en_core_web_md/LICENSES_SOURCES" in files  # the training data's terms
    assert "Apache License" in Path(files["licenses/models/sentence_encoder/LICENSE"]).read_text("utf-8")
    assert "licenses/models/sentence_encoder/NOTICE" in files  # Apache-2.0 §4(d): the NOTICE goes along
    index = Path(files["licenses/README.txt"]).read_text(encoding="utf-8")
    assert "en_core_web_md: MIT" in index
    assert "sentence_encoder: Apache License Version 2.0" in index
    assert not any(dest.startswith(("licenses/models/sentence_head", "licenses/models/sentence_risk")) for dest in files)
