"""The devices the renderer paints on: PDF files (QPdfWriter) and printers (QPrinter)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QLocale, QMarginsF, QRectF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.services.schedule_service import MonthSchedule
from medshare_desktop.ui.printing.month_renderer import paint_month

PDF_DPI = 300
T = TypeVar("T")
MARGIN_MM = 10.0
LETTER_TERRITORIES = {QLocale.Country.UnitedStates, QLocale.Country.Canada, QLocale.Country.Mexico}


def default_page_size() -> QPageSize.PageSizeId:
    """Letter where it is the norm (by the system locale), A4 elsewhere."""
    if QLocale.system().territory() in LETTER_TERRITORIES:
        return QPageSize.PageSizeId.Letter
    return QPageSize.PageSizeId.A4


def _layout(size: QPageSize.PageSizeId, orientation: QPageLayout.Orientation, margin_mm: float) -> QPageLayout:
    return QPageLayout(
        QPageSize(size), orientation, QMarginsF(margin_mm, margin_mm, margin_mm, margin_mm), QPageLayout.Unit.Millimeter
    )


def landscape_layout(size: QPageSize.PageSizeId) -> QPageLayout:
    return _layout(size, QPageLayout.Orientation.Landscape, MARGIN_MM)


def portrait_layout(size: QPageSize.PageSizeId, margin_mm: float = MARGIN_MM) -> QPageLayout:
    return _layout(size, QPageLayout.Orientation.Portrait, margin_mm)


def write_pdf_file(path: str | Path, layout: QPageLayout, title: str, paint: Callable[[QPdfWriter], T]) -> T:
    """A PDF file painted by `paint(writer)` (its result is returned). The folder is checked first, so an
    unwritable place gives a readable message instead of an empty file; the file is complete on return."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "ab"):
            pass  # fail early with a readable message when the folder is not writable
    except OSError as exc:
        raise MedshareError(f"{target}: cannot be written ({exc.strerror})") from None
    writer = QPdfWriter(str(target))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(layout)
    writer.setTitle(title)
    writer.setCreator("MedShare Desktop")
    result = paint(writer)
    del writer  # the file is complete once the writer is gone
    return result


def paint_on(device: QPagedPaintDevice, resolution: int, month: MonthSchedule, by: str, on: datetime) -> None:
    """Paint the month on a paged device whose page layout is set (the painter starts at the margins)."""
    paint_rect = device.pageLayout().paintRectPixels(resolution)
    painter = QPainter()
    if not painter.begin(device):
        raise MedshareError("The printer or PDF file could not be opened for drawing.")
    try:
        paint_month(painter, QRectF(0, 0, paint_rect.width(), paint_rect.height()), month, by, on)
    finally:
        painter.end()


def write_pdf(
    path: str | Path,
    month: MonthSchedule,
    generated_by: str,
    generated_on: datetime | None = None,
    page_size: QPageSize.PageSizeId | None = None,
) -> Path:
    """The month as a one-page landscape PDF (the GUI's Export PDF and `medshare calendar --pdf`)."""
    on = generated_on or datetime.now().astimezone()
    write_pdf_file(
        path, landscape_layout(page_size or default_page_size()), f"Re-share calendar {month.first:%B %Y}",
        lambda writer: paint_on(writer, PDF_DPI, month, generated_by, on),
    )
    return Path(path)
