"""For physicians, on paper: the policy sheet and a person's monthly note as HTML, painted by QTextDocument.

`policy_html` and `note_html` are pure (text in, text out); `print_html` paints on any paged device (QPrinter,
QPdfWriter) in portrait, page numbers at the foot; `write_html_pdf` is the PDF file, used by the app (in a
worker, as the calendar's PDF export is) and by `medshare policy` / `medshare note`.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path

from PySide6.QtCore import QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFrame,
)

from medshare_desktop.core.errors import MedshareError
from medshare_desktop.core.models import Channel, ConsentScope
from medshare_desktop.core.services.policy_service import (
    CHANNEL_MEANING,
    FALLBACK_CONTACT,
    SCOPE_MEANING,
    MonthlyNote,
    NoteItem,
    PolicySheet,
)
from medshare_desktop.ui.printing.export import default_page_size, portrait_layout, write_pdf_file

MARGIN_MM = 16.0
STYLE = (  # margins in px (Qt's rich text takes no pt there); scaled to the device like the fonts
    "body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; }"
    "h1 { font-size: 17pt; margin-bottom: 4px; }"
    "h2 { font-size: 12.5pt; margin-top: 18px; margin-bottom: 6px; }"
    "p { margin-top: 2px; margin-bottom: 5px; }"
    "li { margin-bottom: 3px; }"
    "th { background-color: #e6e6e6; }"
    ".sub { color: #444444; }"
    ".example { font-style: italic; }"
    ".small { font-size: 8.5pt; color: #444444; margin-top: 14px; }"
)


def _day(day: object) -> str:
    return f"{day:%d %b %Y}"


def _list(items: Iterable[str]) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> str:
    head = "".join(f"<th align='left' width='{w}%'>{escape(h)}</th>" for h, w in zip(headers, widths, strict=True))
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (f"<table border='1' cellspacing='0' cellpadding='5' width='100%'><thead><tr>{head}</tr></thead>"
            f"{body}</table>")  # thead: the header row again on every page the table runs onto


def _contact(contact: str) -> str:
    return escape(contact) if contact else FALLBACK_CONTACT


# --- the policy sheet ---------------------------------------------------------------------
def _cadence_points(sheet: PolicySheet) -> list[str]:
    policy = sheet.cadence
    times = "time" if policy.monthly_limit == 1 else "times"
    points = [f"Each person's posts are re-shared at most <b>{policy.monthly_limit} {times} a month</b> "
              "(the team's default limit)."]
    if sheet.own_limits:
        own = "; ".join(f"{escape(name)}: {limit} a month" for name, limit in sheet.own_limits)
        points.append(f"Some people have a limit of their own: {own}.")
    else:
        points.append("Nobody has a limit of their own at the moment.")
    points.append("The team may give a person a limit of their own (higher or lower than the default), for example "
                  "for a department's spokesperson; ask them if you think yours should differ.")
    if policy.per_day_channel_cap is not None:
        points.append(f"At most <b>{policy.per_day_channel_cap} re-share(s) a day</b> on each channel, everyone "
                      "together.")
    else:
        points.append("There is no cap on re-shares per day.")
    if policy.min_days_between > 0:
        points.append(f"At least <b>{policy.min_days_between} days</b> lie between two re-shares of the same person.")
    else:
        points.append("There is no minimum number of days between two re-shares of the same person.")
    points.append("<b>Overrides.</b> The team can go over a cadence rule (a monthly or daily limit, the spacing) only "
                  "by typing a reason, which is kept in the audit trail with who did it and when. Missing consent and "
                  "unresolved high-risk findings can never be overridden.")
    return points


def policy_html(sheet: PolicySheet) -> str:
    parts = [
        "<h1>Re-sharing your posts: how it works</h1>",
        f"<p class='sub'>The hospital re-shares what staff post on their own accounts. This sheet is generated from "
        f"the team's current settings in MedShare Desktop on {_day(sheet.generated_on)}. "
        f"Questions: {_contact(sheet.contact)}.</p>",
        "<h2>1. How often</h2>",
        _list(_cadence_points(sheet)),
        "<h2>2. Where re-shares go</h2>",
        "<p>Each re-share goes to one channel, and your consent says which channels may be used.</p>",
        _table(["Channel", "What it means"], [[c.label, CHANNEL_MEANING[c]] for c in
                                             (Channel.PUBLIC_SOCIAL, Channel.INTERNAL, Channel.PRINT)], [22, 78]),
        "<h2>3. What gets a post refused</h2>",
        "<p>Every post is checked by the risk engine and read by a reviewer. A post with an <b>unresolved "
        "high-risk finding</b> cannot be approved or scheduled; medium and low ones are weighed by the reviewer. "
        "The team may edit a post before re-sharing it (your original stays as you wrote it), or refuse it. The "
        "examples below are made up.</p>",
    ]
    for guide in sheet.risks:  # a table each: kept on one page (keep_together)
        parts.append(
            "<table border='1' cellspacing='0' cellpadding='5' width='100%'>"
            f"<tr><td width='22%'><b>{escape(guide.category.label)}</b></td><td width='78%'>"
            f"<p><b>What we look for:</b> {escape(guide.what)}</p>"
            f"<p><b>Would be refused:</b> <span class='example'>“{escape(guide.example)}”</span></p>"
            f"<p><b>Instead:</b> {escape(guide.instead)}</p></td></tr></table>"
        )
    if sheet.our_places:
        parts.append("<p>Our own places count as patient details when a patient is near them in a post: "
                     + escape(", ".join(sheet.our_places)) + ".</p>")
    if sheet.extra_terms:
        parts.append(f"<p>The team also watches for {sheet.extra_terms} words and phrases of its own.</p>")
    scopes = [[scope.value.capitalize(), SCOPE_MEANING[scope]] for scope in ConsentScope]
    parts += [
        "<h2>4. Consent</h2>",
        "<p>Nothing of yours is re-shared without your written consent on file. Consent is given per <b>scope</b> "
        "(what may be used) and per <b>channel</b> (where): consent for your name on the intranet does not cover a "
        "photo on public social media. A colleague you name or show in a photo needs consent of their own.</p>",
        _table(["Scope", "What it covers"], scopes, [22, 78]),
        _list([
            "Consent runs from the day it is granted to its end date, or has no end date. The team is reminded "
            f"{sheet.expiry_warning_days} days before it ends and will ask you to renew it; expired consent stops "
            "every re-share that needs it.",
            "The signed form is kept as evidence (its fingerprint, SHA-256, is recorded), and every change is in "
            "the audit trail.",
            f"<b>To withdraw consent</b>, tell {_contact(sheet.contact)} in writing (an e-mail is enough); you need "
            "not give a reason. It takes effect on the day it is recorded: re-shares already scheduled that need "
            "it are flagged and taken off the calendar, and nothing new that needs it is scheduled. Re-shares "
            "already published stay online unless you ask for them to be removed.",
        ]),
        "<h2>5. Who to contact</h2>",
        f"<p>{_contact(sheet.contact).capitalize() if not sheet.contact else _contact(sheet.contact)}: "
        "about a refused post, your limit, your consent, or to receive your monthly note (your re-shares of the "
        "month and, for posts that could not be re-shared, the reason in general words).</p>",
    ]
    return "\n".join(parts)


# --- the monthly note ---------------------------------------------------------------------
def _post_cell(item: NoteItem) -> str:
    return f"{item.posted_on:%d %b %Y} · {item.platform} · #{item.post_id}"


def note_html(note: MonthlyNote) -> str:
    person = note.person
    who = " · ".join(part for part in (person.name, person.department) if part)
    month = f"{note.first:%B %Y}"
    parts = [
        f"<h1>Your re-shares — {escape(month)}</h1>",
        f"<p class='sub'>{escape(who)} · your limit: {note.limit} a month · note of {_day(note.generated_on)}</p>",
        f"<h2>Re-shared ({len(note.reshared)})</h2>",
    ]

    def shares(items: tuple[NoteItem, ...], day_header: str, empty: str) -> str:
        if not items:
            return f"<p>{empty}</p>"
        return _table(["Your post (posted · where · number)", day_header, "Channel"],
                      [[_post_cell(i), _day(i.day), i.channel] for i in items], [50, 25, 25])

    parts.append(shares(note.reshared, "Re-shared on", f"None of your posts was re-shared in {month}."))
    parts.append(f"<h2>Scheduled ({len(note.scheduled)})</h2>")
    parts.append(shares(note.scheduled, "Planned for", "Nothing else is scheduled this month."))
    parts.append(f"<h2>Could not be re-shared ({len(note.not_reshared)})</h2>")
    if note.not_reshared:
        parts.append(_table(["Your post (posted · where · number)", "Why"],
                            [[_post_cell(i), "; ".join(i.reasons)] for i in note.not_reshared], [38, 62]))
    else:
        parts.append(f"<p>None of your posts of {month} was held back.</p>")
    if note.waiting:
        parts.append(f"<h2>Still waiting ({len(note.waiting)})</h2>")
        parts.append(_table(["Your post (posted · where · number)", "Where it stands"],
                            [[_post_cell(i), "; ".join(i.reasons)] for i in note.waiting], [38, 62]))
    if note.advice:
        parts.append("<h2>Next time</h2>")
        parts.append(_list(f"<b>{escape(label)}:</b> {escape(text)}" for label, text in note.advice))
    parts.append(
        "<p class='small'>Re-shared and scheduled: re-shares whose day falls in the month. Could not be re-shared "
        "and still waiting: your posts written in the month. This note never quotes your posts or anything about "
        f"a patient; to talk about a post, give its number to {_contact(note.contact)}.</p>"
    )
    return "\n".join(parts)


# --- devices ------------------------------------------------------------------------------
def sheet_layout(size: QPageSize.PageSizeId) -> QPageLayout:
    """Portrait with the sheet's own, wider margins."""
    return portrait_layout(size, MARGIN_MM)


def document(html: str) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultStyleSheet(STYLE)
    doc.setHtml(html)
    return doc


def _break_before(item: QTextBlock | QTextFrame) -> bool:
    """Start the item on a new page; False when it already does (nothing changed)."""
    if isinstance(item, QTextFrame):
        frame_format = item.frameFormat()
        if frame_format.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
            return False
        frame_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        item.setFrameFormat(frame_format)
        return True
    block_format = item.blockFormat()
    if block_format.pageBreakPolicy() & QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore:
        return False
    block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
    QTextCursor(item).setBlockFormat(block_format)
    return True


def _items(doc: QTextDocument) -> list[tuple[QTextBlock | QTextFrame, QRectF, bool]]:
    """The top-level blocks and tables in order: (item, its rectangle, is a heading)."""
    layout = doc.documentLayout()
    found: list[tuple[QTextBlock | QTextFrame, QRectF, bool]] = []
    it = doc.rootFrame().begin()
    while not it.atEnd():
        frame = it.currentFrame()
        if frame is not None:
            found.append((frame, layout.frameBoundingRect(frame), False))
        else:
            block = it.currentBlock()
            found.append((block, layout.blockBoundingRect(block), block.blockFormat().headingLevel() > 0))
        it += 1
    return found


def keep_together(doc: QTextDocument, page_height: float, passes: int = 40) -> None:
    """Move to the next page a table that would be split but fits on one page, and a heading that would be
    left alone at the foot of a page (with the table or text it heads). A longer table still splits."""

    def page(y: float) -> int:
        return int(y // page_height)

    for _ in range(passes):
        items = _items(doc)
        changed = False
        for n, (item, rect, heading) in enumerate(items):
            if isinstance(item, QTextFrame) and page(rect.top()) != page(rect.bottom() - 1) \
                    and rect.height() < page_height * 0.85:
                before = items[n - 1] if n else None
                target = before[0] if before is not None and before[2] else item
                changed = _break_before(target)
            elif heading and n + 1 < len(items) and page(items[n + 1][1].top()) != page(rect.top()):
                changed = _break_before(item)
            if changed:
                break
        if not changed:
            return


def print_html(html: str, device: QPagedPaintDevice, title: str = "") -> int:
    """Paint the HTML on a printer or PDF writer, page by page, with "title · page n of N" at each foot
    (nothing is cut: a line that does not fit goes to the next page); returns the number of pages."""
    painter = QPainter()
    if not painter.begin(device):
        raise MedshareError("The printer or PDF file could not be opened for drawing.")
    try:
        doc = document(html)
        doc.documentLayout().setPaintDevice(device)  # lay text out at the device's resolution
        doc.setDocumentMargin(0)
        paint = device.pageLayout().paintRectPixels(device.resolution())
        width, height = float(paint.width()), float(paint.height())
        footer_font = QFont("DejaVu Sans")
        footer_font.setPointSizeF(8)
        footer_h = QFontMetricsF(footer_font, device).height() * 2.2
        body_h = height - footer_h
        doc.setPageSize(QSizeF(width, body_h))
        keep_together(doc, body_h)
        pages = doc.pageCount()
        for page in range(pages):
            if page:
                device.newPage()
            painter.save()
            painter.translate(0, -page * body_h)
            doc.drawContents(painter, QRectF(0, page * body_h, width, body_h))
            painter.restore()
            painter.setFont(footer_font)
            painter.setPen(QColor(90, 90, 90))
            foot = QRectF(0, height - footer_h * 0.6, width, footer_h * 0.6)
            painter.drawText(foot, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title)
            painter.drawText(foot, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                             f"page {page + 1} of {pages}")
    finally:
        painter.end()
    return pages


def write_html_pdf(path: str | Path, html: str, title: str, page_size: QPageSize.PageSizeId | None = None) -> int:
    """The HTML as a portrait PDF file (A4 or Letter, by default the locale's); returns the number of pages."""
    return write_pdf_file(
        path, sheet_layout(page_size or default_page_size()), title, lambda writer: print_html(html, writer, title)
    )


def policy_title() -> str:
    return "Re-sharing your posts: how it works"


def note_title(note: MonthlyNote) -> str:
    return f"Re-shares of {note.person.name}, {note.first:%B %Y}"
