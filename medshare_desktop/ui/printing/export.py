"""The devices the renderer paints on: PDF files (QPdfWriter) and printers (QPrinter)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QRectF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.services.schedule_service import MonthSchedule
from medshare_desktop.ui.printing.month_renderer import paint_month

PDF_DPI = 300
MARGIN_MM = 10.0
LETTER_TERRITORIES = {QLocale.Country.UnitedStates, QLocale.Country.Canada, QLocale.Country.Mexico}


def default_page_size() -> QPageSize.PageSizeId:
    """Letter where it is the norm (by the system locale), A4 elsewhere."""
    if QLocale.system().territory() in LETTER_TERRITORIES:
        return QPageSize.PageSizeId.Letter
    return QPageSize.PageSizeId.A4


def landscape_layout(size: QPageSize.PageSizeId) -> QPageLayout:
    return QPageLayout(
        QPageSize(size),
        QPageLayout.Orientation.Landscape,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


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
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "ab"):
            pass  # fail early with a readable message when the folder is not writable
    except OSError as exc:
        raise MedshareError(f"{target}: cannot be written ({exc.strerror})") from None
    writer = QPdfWriter(str(target))
    writer.setResolution(PDF_DPI)
    writer.setPageLayout(landscape_layout(page_size or default_page_size()))
    writer.setTitle(f"Re-share calendar {month.first:%B %Y}")
    writer.setCreator("MedShare Desktop")
    paint_on(writer, PDF_DPI, month, generated_by, generated_on or datetime.now().astimezone())
    del writer  # the file is complete once the writer is gone
    return target
