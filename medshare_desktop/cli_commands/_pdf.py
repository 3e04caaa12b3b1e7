"""Shared by `medshare policy` and `medshare note`: Qt for painting a PDF, without a display."""

from __future__ import annotations

import os
from pathlib import Path


def write_pdf(path: Path, html: str, title: str, paper: str | None) -> int:
    """Paint the HTML as a PDF (no window: the offscreen platform when there is no display); the page count."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window is shown: printing needs no display
    from PySide6.QtGui import QGuiApplication, QPageSize  # lazily: Qt only for these subcommands

    from medshare_desktop.ui.printing.policy_document import write_html_pdf

    app = QGuiApplication.instance() or QGuiApplication(["medshare", "-platform", "offscreen"])
    size = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}.get(paper or "")
    pages = write_html_pdf(path, html, title, page_size=size)
    del app
    return pages


def add_paper(parser) -> None:  # type: ignore[no-untyped-def]
    parser.add_argument(
        "--paper", choices=["a4", "letter"], help="PDF page size (default: Letter in the US, Canada, Mexico; else A4)"
    )
