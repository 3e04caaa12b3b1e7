"""The vendored third-party models are the files we checked: every file of a model folder that has a
SHA256SUMS is listed there with its sha256 (resources/models/README.md says where they came from)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from medshare_desktop.paths import resource_path

MODELS = resource_path("models")
VENDORED = sorted(path.parent for path in MODELS.glob("*/SHA256SUMS"))


def _sums(folder: Path) -> dict[str, str]:
    sums = {}
    for line in (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            sums[name.strip().lstrip("*")] = digest
    return sums


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def test_the_spacy_ner_model_is_vendored_with_checksums_and_licences():
    folder = MODELS / "en_core_web_md"
    assert folder in VENDORED
    listed = _sums(folder)
    for required in ("LICENSE", "LICENSES_SOURCES", "meta.json", "config.cfg", "ner/model", "vocab/vectors"):
        assert required in listed
    readme = (MODELS / "README.md").read_text(encoding="utf-8")
    assert "en_core_web_md" in readme and "c2b55dcb0592ae8c93aa208d6e27d67c3b3a83457ed33056079e0630c175eda5" in readme


@pytest.mark.parametrize("folder", VENDORED, ids=lambda path: path.name)
def test_every_vendored_file_has_the_recorded_sha256(folder: Path):
    listed = _sums(folder)
    present = {
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.name != "SHA256SUMS" and "__pycache__" not in path.parts
    }
    assert present == set(listed), "files added to or missing from the vendored model"
    changed = [name for name, digest in listed.items() if _sha256(folder / name) != digest]
    assert changed == []


@pytest.mark.parametrize("folder", VENDORED, ids=lambda path: path.name)
def test_no_code_is_vendored_with_the_weights(folder: Path):
    assert not [path for path in folder.rglob("*") if path.suffix in {".py", ".pyc", ".so", ".pyd", ".dll"}]
