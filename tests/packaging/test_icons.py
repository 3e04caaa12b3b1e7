"""The app icon: every size drawn from the SVG, in the window and in the Windows/macOS icon files the build writes."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QImage, QImageReader

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import icons  # noqa: E402

from medshare_desktop.app import app_icon  # noqa: E402


def test_the_window_icon_has_every_drawn_size_from_16_to_512_pixels(qapp) -> None:  # type: ignore[no-untyped-def]
    sizes = {size.width() for size in app_icon().availableSizes()}
    assert sizes == set(icons.SIZES)
    assert not app_icon().pixmap(QSize(16, 16)).isNull()


def test_the_committed_pngs_are_the_svg_as_drawn_now(qapp, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Editing medshare.svg without `python packaging/icons.py --render` leaves stale PNGs: this notices."""
    committed = {size: QImage(str(icons.png_path(size))) for size in (16, 256)}
    monkeypatch.setattr(icons, "png_path", lambda size: tmp_path / f"medshare-{size}.png")
    icons.render()
    for size, image in committed.items():
        fresh = QImage(str(tmp_path / f"medshare-{size}.png"))
        assert image.convertToFormat(QImage.Format.Format_ARGB32) == fresh.convertToFormat(QImage.Format.Format_ARGB32)


def test_the_ico_and_icns_files_hold_readable_images_of_each_size(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    icons.write_platform_icons(tmp_path)
    reader = QImageReader(str(tmp_path / "medshare.ico"))
    assert reader.format() == b"ico"
    sizes = []
    for _ in range(reader.imageCount()):
        image = reader.read()
        assert not image.isNull(), reader.errorString()
        sizes.append(image.width())
        reader.jumpToNextImage()
    assert sorted(sizes) == [16, 24, 32, 48, 64, 128, 256]
    icns = QImageReader(str(tmp_path / "medshare.icns"))
    assert icns.format() == b"icns" and icns.imageCount() == 6
    assert not icns.read().isNull(), icns.errorString()
