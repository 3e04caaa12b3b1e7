"""A person's consent sheet: pure HTML from the register, painted by QTextDocument on any paged device."""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QTextDocument

from medshare_desktop.core.models import Channel, ConsentRecord, ConsentScope
from medshare_desktop.core.services.consent_register import PersonConsent
from medshare_desktop.ui.consent.consent_table_model import STATUS_TEXT


def day_text(day: date | None, empty: str = "—") -> str:
    return f"{day:%d %b %Y}" if day else empty


def record_cells(record: ConsentRecord) -> list[str]:
    revoked = f"{day_text(record.revoked_on)} – {record.revoke_reason}" if record.revoked_on else "—"
    recorded = (
        f"{record.recorded_at.astimezone():%d %b %Y %H:%M} by {record.recorded_by}"
        if record.recorded_at
        else record.recorded_by
    )
    return [
        f"#{record.id}" + (f" (replaces #{record.supersedes_id})" if record.supersedes_id else ""),
        ", ".join(sorted(s.value for s in record.scopes)),
        ", ".join(c.label for c in sorted(record.channels)),
        day_text(record.granted_on),
        day_text(record.expires_on, "no expiry"),
        revoked,
        recorded,
        record.evidence_sha256[:16] + "…" if record.evidence_sha256 else "none",
    ]


HEADERS = ["Record", "Scopes", "Channels", "Granted", "Expires", "Revoked", "Recorded", "Evidence SHA-256"]


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th align='left'>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>{head}</tr>{body}</table>"


def sheet_html(details: PersonConsent) -> str:
    person = details.person
    current_ids = {r.id for r in details.current}
    grid = [
        [scope.value.capitalize(), *(STATUS_TEXT[details.statuses[(scope, c)]] for c in Channel)]
        for scope in ConsentScope
    ]
    parts = [
        f"<h1>Consent sheet — {escape(person.name)}</h1>",
        f"<p>{escape(person.department or person.role.value.capitalize())} · status on {day_text(details.on)}</p>",
        "<h2>What may be used, by channel</h2>",
        _table(["Scope", *(c.label for c in Channel)], grid),
        "<h2>Records in force or on file</h2>",
        _table(HEADERS, [record_cells(r) for r in details.current])
        if details.current
        else "<p>No consent on file.</p>",
    ]
    notes = [f"#{r.id}: {r.notes}" for r in details.current if r.notes]
    if notes:
        parts.append("<p><b>Notes.</b> " + escape(" · ".join(notes)) + "</p>")
    older = [r for r in details.history if r.id not in current_ids]
    parts.append("<h2>Earlier versions</h2>")
    parts.append(_table(HEADERS, [record_cells(r) for r in older]) if older else "<p>None.</p>")
    parts.append(
        "<p><small>Printed from MedShare Desktop. Signed forms are kept in the evidence folder under "
        "the SHA-256 shown.</small></p>"
    )
    return "\n".join(parts)


def print_sheet(details: PersonConsent, device: QPagedPaintDevice) -> None:
    """Paint the sheet on a QPrinter or QPdfWriter (A4 portrait unless the device was set up otherwise)."""
    if not device.pageLayout().isValid():
        device.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, []))
    document = QTextDocument()
    document.setDefaultStyleSheet("body { font-size: 10pt; } h1 { font-size: 16pt; } h2 { font-size: 12pt; }")
    document.setHtml(sheet_html(details))
    document.print_(device)
