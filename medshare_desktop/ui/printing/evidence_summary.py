"""The PDF summary of an approval's evidence, for a lawyer or a compliance officer.

Pure HTML from the snapshot (what was approved, by whom and when, every finding and how it was
resolved, the consent in force, the hashes and whether they verify), painted by QTextDocument on a
QPdfWriter; `summary_pdf` returns the bytes (`medshare evidence` and Inbox → Export evidence…).
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument

from medshare_desktop.core.models import Channel, RiskCategory
from medshare_desktop.core.services.evidence_service import EvidencePackage

RESOLUTION_TEXT = {
    "accepted": "Accepted with a reason",
    "false_positive": "Not a risk (false positive)",
    "fixed": "Fixed in the text",
    None: "Open",
}


def _when(value: str | None) -> str:
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return f"{moment:%d %B %Y, %H:%M} UTC"


def _day(value: str | None, empty: str = "—") -> str:
    if not value:
        return empty
    try:
        return f"{datetime.fromisoformat(value):%d %b %Y}"
    except ValueError:
        return value


def _category(value: str) -> str:
    try:
        return RiskCategory(value).label
    except ValueError:
        return value


def _channels(values: list[str]) -> str:
    labels = []
    for v in values:
        try:
            labels.append(Channel(v).label)
        except ValueError:
            labels.append(v)
    return ", ".join(labels)


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th align='left' bgcolor='#e8e8e8'>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td valign='top'>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>{head}</tr>{body}</table>"


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(line) or '&nbsp;'}</p>" for line in text.split("\n"))


def _findings(findings: list[dict[str, Any]]) -> str:
    if not findings:
        return "<p>The risk check found nothing in the approved text, and no reviewer marked a risk.</p>"
    rows = []
    for f in findings:
        found = "Reviewer (missed risk)" if f.get("reviewer_added") else "Risk check"
        if f.get("reviewer_added") and f.get("marked_by"):
            found += f": {f['marked_by']}, {_when(f.get('marked_at'))}"
        decision = RESOLUTION_TEXT.get(f.get("resolution"), str(f.get("resolution")))
        if f.get("resolution_reason"):
            decision += f": “{f['resolution_reason']}”"
        if f.get("resolved_by"):
            decision += f" — {f['resolved_by']}, {_when(f.get('resolved_at'))}"
        rows.append([
            f"“{f.get('text', '')}”",
            f"{_category(f.get('category', ''))} ({f.get('severity', '')})",
            found,
            decision,
        ])
    return _table(["Words", "Risk (severity)", "Found by", "Decision"], rows)


def _consents(consents: list[dict[str, Any]], checked_on: str) -> str:
    if not consents:
        return f"<p>No consent record was in force on {escape(_day(checked_on))}.</p>"
    rows = [
        [
            f"#{c.get('id')}",
            f"{c.get('person', '')} ({c.get('role', '')})",
            ", ".join(c.get("scopes", [])),
            _channels(c.get("channels", [])),
            f"{_day(c.get('granted_on'))} – {_day(c.get('expires_on'), 'no expiry')}",
            (c.get("evidence_sha256") or "no signed form on file"),
        ]
        for c in consents
    ]
    return _table(["Record", "Person", "Scopes", "Channels", "In force", "Signed form (SHA-256)"], rows)


def _verification(package: EvidencePackage) -> str:
    check = package.check
    rows = "".join(
        f"<tr><td valign='top' width='34%'>{escape(label)}</td><td><tt>{escape(value)}</tt></td></tr>"
        for label, value in check.facts()
    )
    for f in package.files:
        state = "matches its consent record" if not f.problem else f.problem
        rows += f"<tr><td valign='top'>Signed form {escape(f.name)}</td><td>{escape(state)}</td></tr>"
    problems = list(check.snapshot_problems) + list(check.chain_problems)
    listed = "<ul>" + "".join(f"<li>{escape(p)}</li>" for p in problems) + "</ul>" if problems else ""
    return f"<table border='1' cellspacing='0' cellpadding='4' width='100%'>{rows}</table>{listed}"


def summary_html(package: EvidencePackage) -> str:
    doc = package.document
    post = doc.get("post", {}) or {}
    person = doc.get("person") or {}
    check = package.check
    verdict_colour = "#0a6b2a" if check.verified else "#a00000"
    verdict = "VERIFIED" if check.verified else "NOT VERIFIED"
    who = person.get("name") or post.get("author", "")
    parts = [
        f"<h1>Evidence at approval — post {escape(str(post.get('id', '')))}</h1>",
        f"<p><b>Approved by</b> {escape(doc.get('approved_by', ''))} on {escape(_when(doc.get('approved_at')))}.<br>"
        f"<b>Author</b> {escape(who)}"
        + (f" ({escape(person['department'])})" if person.get("department") else "")
        + f" · {escape(post.get('platform', ''))} · posted {escape(_when(post.get('posted_at')))}<br>"
        + (f"<b>Original</b> {escape(post.get('url', ''))}" if post.get("url") else "")
        + "</p>",
        f"<p><b><font color='{verdict_colour}'>{verdict}</font></b>: "
        + escape(check.lines()[0].split(": ", 1)[-1])
        + "</p>",
        "<h2>The text approved for re-sharing</h2>",
        "<table border='1' cellspacing='0' cellpadding='6' width='100%'><tr><td>"
        + _paragraphs(post.get("approved_text", ""))
        + "</td></tr></table>",
    ]
    if post.get("repurposed"):
        parts += [
            "<p><i>The team edited the text before approving it. The author's original text:</i></p>",
            "<table border='1' cellspacing='0' cellpadding='6' width='100%'><tr><td>"
            + _paragraphs(post.get("original_text", ""))
            + "</td></tr></table>",
        ]
    parts += [
        "<h2>What the risk check and the reviewers found, and what was decided</h2>",
        _findings(doc.get("findings", []) or []),
        f"<h2>Consent in force on {escape(_day(doc.get('consent_checked_on')))}</h2>",
        _consents(doc.get("consent_in_force", []) or [], doc.get("consent_checked_on", "")),
        "<h2>Hashes and verification</h2>",
        "<p>The snapshot (snapshot.json in this folder) holds everything above, exactly as it stood at approval. "
        "Its SHA-256 was written into the approval's audit event, which is sealed into the audit trail's "
        "chain (each event's seal covers the one before it).</p>",
        _verification(package),
    ]
    if package.earlier:
        parts.append(
            f"<p>This post was approved {package.earlier + 1} times (it was edited and approved again); "
            "this summary is of the newest approval. The earlier snapshots are kept unchanged.</p>"
        )
    parts.append("<p><small>Produced by MedShare Desktop.</small></p>")
    return "\n".join(parts)


def summary_pdf(package: EvidencePackage) -> bytes:
    """The summary as PDF bytes (A4 portrait)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(300)
    writer.setTitle(f"Evidence at approval, post {package.evidence.post_id}")
    writer.setCreator("MedShare Desktop")
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(15, 15, 15, 15),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    document.setDefaultStyleSheet(
        "body { font-size: 10pt; } h1 { font-size: 16pt; } h2 { font-size: 12pt; } tt { font-size: 7.5pt; }"
    )
    document.setHtml(summary_html(package))
    document.print_(writer)
    del writer
    buffer.close()
    return bytes(data.data())
