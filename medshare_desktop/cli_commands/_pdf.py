"""Shared by the commands that write PDFs (`calendar --pdf`, `policy`, `note`, `report`, `evidence`): Qt for
painting without a window, and the --paper choice."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QPageSize


@contextmanager
def offscreen_qt() -> Iterator[None]:
    """A Qt application for painting while the block runs; no window is shown, so without a display the
    offscreen platform is used. Qt is imported only here: the other commands never load it."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no window is shown: printing needs no display
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["medshare", "-platform", "offscreen"])
    try:
        yield
    finally:
        del app


def page_size(paper: str | None) -> QPageSize.PageSizeId | None:
    """The --paper choice as Qt's page size; None: the locale's default (Letter in the US, Canada, Mexico)."""
    from PySide6.QtGui import QPageSize

    return {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}.get(paper or "")


def write_pdf(path: Path, html: str, title: str, paper: str | None) -> int:
    """Paint the HTML as a PDF (no window); the page count."""
    with offscreen_qt():
        from medshare_desktop.ui.printing.policy_document import write_html_pdf

        return write_html_pdf(path, html, title, page_size=page_size(paper))


def add_paper(parser) -> None:  # type: ignore[no-untyped-def]
    parser.add_argument(
        "--paper", choices=["a4", "letter"], help="PDF page size (default: Letter in the US, Canada, Mexico; else A4)"
    )
