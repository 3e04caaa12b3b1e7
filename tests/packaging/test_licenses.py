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


def test_psycopg_and_the_libraries_its_wheel_vendors_get_their_licence_texts(tmp_path: Path) -> None:
    import psycopg
    import psycopg_binary.pq

    binary_dir = Path(psycopg_binary.pq.__file__).parent
    vendored = sorted(p for p in binary_dir.parent.glob("psycopg_binary.libs/*") if p.is_file())
    vendored += sorted(p for p in binary_dir.glob(".dylibs/*") if p.is_file())  # macOS wheels
    assert vendored, f"psycopg-binary's libraries not found beside {binary_dir}"
    folder = "psycopg_binary.libs" if vendored[0].parent.name.endswith(".libs") else "psycopg_binary/.dylibs"
    binaries = [(f"{folder}/{p.name}", str(p), "BINARY") for p in vendored]
    binaries.append((f"psycopg_binary/{Path(psycopg_binary.pq.__file__).name}", psycopg_binary.pq.__file__, "EXTENSION"))
    binaries.append(("numpy.libs/libmystery-0123abcd.so.1", __file__, "BINARY"))  # a library nobody names
    # psycopg's modules are collected as source files (module_collection_mode "py"), not into the archive
    datas = [("psycopg/__init__.py", psycopg.__file__, "DATA")]
    files = {dest.replace("\\", "/"): source for dest, source, _ in licenses.collect([], binaries, tmp_path, datas=datas)}

    lgpl = [d for d in files if d.startswith("licenses/psycopg-3") and "LICEN" in d.upper()]
    assert lgpl, sorted(files)
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in Path(files[lgpl[0]]).read_text(encoding="utf-8")
    libpq = [d for d in files if d.startswith("licenses/psycopg") and d.endswith("libraries/PostgreSQL-libpq.txt")]
    assert libpq and "PostgreSQL Global Development Group" in Path(files[libpq[0]]).read_text(encoding="utf-8")
    openssl = [d for d in files if d.endswith("libraries/OpenSSL.txt")]
    assert openssl and "Apache License" in Path(files[openssl[0]]).read_text(encoding="utf-8")

    index = Path(files["licenses/README.txt"]).read_text(encoding="utf-8")
    assert "psycopg " in index and "LGPL-3.0" in index
    for library in vendored:  # every library the wheel brings is named, none without a licence said
        line = next((x for x in index.splitlines() if library.name in x), "")
        assert line and "not identified" not in line, (library.name, index)
    assert "libmystery-0123abcd.so.1: not identified by this build" in index  # honest about what it cannot name
    assert "replaceable" in index and "psycopg_binary.libs" in index  # how to replace the LGPL driver


def test_texts_of_one_name_in_a_distribution_do_not_overwrite_each_other(tmp_path: Path) -> None:
    """numpy ships a dozen LICENSE.txt/LICENSE.md files: its own (which covers OpenBLAS, the GCC runtime and
    libquadmath in numpy.libs) must not be replaced by the one of a part (lapack_lite, pocketfft...)."""
    import numpy

    pure = [("numpy.core", numpy.__file__, "PYMODULE")]
    files = {dest.replace("\\", "/"): source for dest, source, _ in licenses.collect(pure, [], tmp_path)}
    top = [d for d in files if d.startswith("licenses/numpy-") and d.count("/") == 2 and d.endswith("/LICENSE.txt")]
    assert top, sorted(files)
    assert "libquadmath" in Path(files[top[0]]).read_text(encoding="utf-8")
    assert any(d.endswith("lapack_lite/LICENSE.txt") for d in files), sorted(files)  # the part's text kept too
