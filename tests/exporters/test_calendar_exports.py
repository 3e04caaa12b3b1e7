"""Calendar exports: the PDF is a real, readable page (A4 and Letter, via pdftoppm); the ICS parses back.

`qapp` is pytest-qt's application fixture (fonts and painting need one).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from datetime import UTC, date, datetime, timedelta  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from icalendar import Calendar  # noqa: E402

from medshare_desktop.exporters.ics import month_to_ics  # noqa: E402
from tests.benchmarks.bench_calendar import busy_month  # noqa: E402
from tests.core.test_schedule_service_calendar import BEFORE_DECEMBER, make_world  # noqa: E402


def dark_share(png: Path) -> tuple[float, int, int]:
    """Share of clearly non-white pixels, and the image size."""
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert not image.isNull()
    dark = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            if image.pixelColor(x, y).lightness() < 200:
                dark += 1
    return dark / ((image.height() // 2) * (image.width() // 2)), image.width(), image.height()


def to_png(pdf: Path) -> Path:
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-singlefile", str(pdf), str(pdf.with_suffix(""))], check=True)
    return pdf.with_suffix(".png")


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
@pytest.mark.parametrize("size", ["A4", "Letter"])
def test_busy_month_pdf_is_one_real_landscape_page(qapp, tmp_path: Path, size: str) -> None:
    from PySide6.QtGui import QPageSize

    from medshare_desktop.ui.printing.export import write_pdf

    pdf = write_pdf(
        tmp_path / "month.pdf",
        busy_month(),
        "tester",
        datetime(2026, 11, 25, 9, 30),
        getattr(QPageSize.PageSizeId, size),
    )
    assert pdf.read_bytes().count(b"/Type /Page\n") + pdf.read_bytes().count(b"/Type /Page\r") <= 1
    share, width, height = dark_share(to_png(pdf))
    assert width > height  # landscape
    expected = (842, 595) if size == "A4" else (792, 612)  # points
    assert abs(width - expected[0] * 50 / 72) <= 2 and abs(height - expected[1] * 50 / 72) <= 2
    assert 0.01 < share < 0.5  # ink on the page, but not a black page


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_cli_prints_the_same_month_to_pdf_and_ics(tmp_path: Path) -> None:
    from medshare_desktop.bootstrap import build_services

    url = f"sqlite:///{tmp_path}/t.db"
    services = build_services(url, actor="tester", today=lambda: BEFORE_DECEMBER)
    posts = make_world(services, (("Dr. Priya Patel", None),), posts=2)["Dr. Priya Patel"]
    services.schedule.schedule(posts[0], date(2026, 12, 3))
    services.close()
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "medshare_desktop",
            "--db",
            url,
            "calendar",
            "--month",
            "2026-12",
            "--pdf",
            str(tmp_path / "cli.pdf"),
            "--paper",
            "letter",
            "--ics",
            str(tmp_path / "cli.ics"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "1 re-share(s) in December 2026" in out.stdout
    share, width, height = dark_share(to_png(tmp_path / "cli.pdf"))
    assert share > 0.01
    assert abs(width / height - 11 / 8.5) < 0.02  # landscape US Letter, as asked
    events = Calendar.from_ical((tmp_path / "cli.ics").read_bytes()).walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [date(2026, 12, 3)]


def test_ics_round_trip_matches_the_schedule(tmp_path: Path) -> None:
    from medshare_desktop.bootstrap import build_services

    services = build_services(f"sqlite:///{tmp_path}/t.db", actor="tester", today=lambda: BEFORE_DECEMBER)
    try:
        posts = make_world(services, (("Dr. Priya Patel", None),), posts=3)["Dr. Priya Patel"]
        services.schedule.schedule(posts[0], date(2026, 12, 1))
        services.schedule.schedule(posts[1], date(2026, 12, 31))
        services.schedule.schedule(posts[2], date(2026, 12, 15), override_reason="Grand rounds")
        month = services.schedule.month(2026, 12)
    finally:
        services.close()
    stamp = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
    raw = month_to_ics(month.entries, stamp, {month.entries[0].share.id: "name consent expired"})
    assert b"\r\n" in raw and b"DTSTART;VALUE=DATE:20261201" in raw and b"DTSTAMP:20261125T100000Z" in raw
    cal = Calendar.from_ical(raw)
    assert str(cal["method"]) == "PUBLISH" and str(cal["version"]) == "2.0"
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(events) == len(month.entries) == 3
    for entry in month.entries:
        event = events[f"share-{entry.share.id}-post-{entry.share.post_id}@medshare-desktop.local"]
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert start == entry.share.day and not isinstance(start, datetime)
        assert end - start == timedelta(days=1)
        attention = " — ⚠ needs attention" if entry.share.day == date(2026, 12, 1) else ""  # seen in the list view
        assert str(event["summary"]) == f"Re-share: Dr. Priya Patel (Public social){attention}"
        assert str(event["url"]) == entry.url
        description = str(event["description"])
        assert entry.excerpt in description and entry.url in description
        assert event.decoded("dtstamp") == stamp
        assert str(event["transp"]) == "TRANSPARENT"
    by_day = {e.decoded("dtstart"): str(e["description"]) for e in events.values()}
    assert "Cadence override: Grand rounds" in by_day[date(2026, 12, 15)]
    assert "Needs attention: name consent expired" in by_day[date(2026, 12, 1)]
