"""The app icon: resources/icons/medshare.svg rendered to PNGs (committed), and the .ico/.icns built from them.

    python packaging/icons.py --render     redraw resources/icons/medshare-<N>.png after editing the SVG

`build.py` calls `write_platform_icons()`, which needs no Qt: both containers simply hold the PNGs.
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Apple's PNG-holding icon types by pixel size (a 64 px image only exists as the @2x 32 px one).
_ICNS_TYPES = {16: b"icp4", 32: b"icp5", 64: b"icp6", 128: b"ic07", 256: b"ic08", 512: b"ic09"}


def png_path(size: int) -> Path:
    return ICON_DIR / f"medshare-{size}.png"


def render() -> None:
    """Draw the SVG at every size with Qt (the same renderer the app uses)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(["icons", "-platform", "offscreen"])
    renderer = QSvgRenderer(str(ICON_DIR / "medshare.svg"))
    if not renderer.isValid():
        sys.exit(f"{ICON_DIR / 'medshare.svg'}: not a valid SVG")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(png_path(size)), "PNG", 9)
    del app


def write_ico(target: Path, sizes: tuple[int, ...] = (16, 24, 32, 48, 64, 128, 256)) -> None:
    """A Windows .ico holding PNG images (Windows Vista and later read PNG entries)."""
    images = [(size, png_path(size).read_bytes()) for size in sizes]
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in images:
        byte = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", byte, byte, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    target.write_bytes(header + entries + blobs)


def write_icns(target: Path) -> None:
    """A macOS .icns holding PNG images."""
    body = b""
    for size, kind in _ICNS_TYPES.items():
        data = png_path(size).read_bytes()
        body += kind + struct.pack(">I", 8 + len(data)) + data
    target.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


def write_platform_icons(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_ico(folder / "medshare.ico")
    write_icns(folder / "medshare.icns")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--render", action="store_true", help="redraw the PNGs from the SVG")
    parser.add_argument("--out", type=Path, help="write medshare.ico and medshare.icns into this folder")
    args = parser.parse_args()
    if args.render:
        render()
    if args.out:
        write_platform_icons(args.out)
