"""The inbox's risk column: a coloured badge with the highest open severity and the count, sortable,
and agreeing with the risk filter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionViewItem, QTableView

from medshare_desktop.core.models import Finding, Resolution, RiskCategory, Severity
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.ui.inbox.post_table_model import RISK_COLUMN, PostTableModel
from medshare_desktop.ui.inbox.risk_badge import BADGE_COLOURS, SEVERITY_ROLE, RiskBadgeDelegate
from tests.conftest import make_imported


def _finding(category: RiskCategory, severity: Severity, n: int = 0) -> Finding:
    return Finding(n, n + 4, "Post", category, f"kind{n}", severity, f"rule{n}", "message")


def _inbox(services) -> tuple[PostTableModel, dict[str, int]]:
    services.posts.store_imported(make_imported(4), [], "x.json")
    ids = sorted(s.id for s in services.posts.query(PostFilter()))
    services.posts.store_findings(ids[0], [_finding(RiskCategory.PHI, Severity.HIGH), _finding(RiskCategory.PHI, Severity.LOW, 1)])
    services.posts.store_findings(ids[1], [_finding(RiskCategory.DISCOVERABLE, Severity.MEDIUM)])
    services.posts.store_findings(ids[2], [])
    model = PostTableModel(services.posts.query)
    model.set_filter(PostFilter())
    return model, {"high": ids[0], "medium": ids[1], "clean": ids[2], "unchecked": ids[3]}


def _cell(model: PostTableModel, post_id: int, role: int = Qt.ItemDataRole.DisplayRole) -> object:
    row = model.row_of(post_id)
    assert row is not None
    return model.data(model.index(row, RISK_COLUMN), role)


def test_the_risk_column_names_the_highest_open_severity_and_the_open_count(qtbot, services) -> None:
    model, ids = _inbox(services)
    assert model.headerData(RISK_COLUMN, Qt.Orientation.Horizontal) == "Risk"
    assert _cell(model, ids["high"]) == "▲ High · 2"
    assert _cell(model, ids["medium"]) == "◆ Medium · 1"
    assert _cell(model, ids["clean"]) == "✓ clean"
    assert _cell(model, ids["unchecked"]) == "—"
    assert _cell(model, ids["high"], SEVERITY_ROLE) == Severity.HIGH.value
    assert _cell(model, ids["clean"], SEVERITY_ROLE) is None
    assert "2 finding(s) still open" in _cell(model, ids["high"], Qt.ItemDataRole.ToolTipRole)


def test_a_post_whose_findings_are_all_resolved_shows_no_badge(qtbot, services) -> None:
    model, ids = _inbox(services)
    finding = services.posts.findings(ids["medium"])[0]
    services.posts.resolve_finding(finding.id, Resolution.ACCEPTED, "the statement is public already")
    model.set_filter(PostFilter())
    assert _cell(model, ids["medium"]) == "✓ all resolved"
    assert _cell(model, ids["medium"], SEVERITY_ROLE) is None


def test_clicking_the_risk_header_sorts_the_riskiest_first(qtbot, services) -> None:
    model, ids = _inbox(services)
    model.sort(RISK_COLUMN, Qt.SortOrder.DescendingOrder)
    assert model.filter.sort == "risk"
    assert [model.post_id(r) for r in range(2)] == [ids["high"], ids["medium"]]
    model.sort(RISK_COLUMN, Qt.SortOrder.AscendingOrder)
    assert [model.post_id(r) for r in range(2, 4)] == [ids["medium"], ids["high"]]


def test_the_risk_filter_shows_only_rows_with_a_badge(qtbot, services) -> None:
    model, ids = _inbox(services)
    model.set_filter(PostFilter(risk_category=RiskCategory.PHI))
    assert [model.post_id(r) for r in range(model.rowCount())] == [ids["high"]]
    assert all(model.data(model.index(r, RISK_COLUMN), SEVERITY_ROLE) is not None for r in range(model.rowCount()))


def test_the_badge_is_painted_in_its_severity_colour(qtbot, services) -> None:
    model, ids = _inbox(services)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    delegate = RiskBadgeDelegate(view)
    image = QImage(160, 28, QImage.Format.Format_ARGB32)
    for key, severity in (("high", Severity.HIGH), ("medium", Severity.MEDIUM)):
        image.fill(QColor("white"))
        option = QStyleOptionViewItem()
        option.initFrom(view)
        option.rect = image.rect()
        painter = QPainter(image)
        delegate.paint(painter, option, model.index(model.row_of(ids[key]), RISK_COLUMN))
        painter.end()
        fill = BADGE_COLOURS[severity][0]
        colours = {image.pixelColor(x, 14).name() for x in range(4, 40)}
        assert fill.name() in colours, (key, colours)


def test_the_risk_column_comes_first_so_a_narrow_list_still_shows_it(qtbot, main_window) -> None:
    inbox = main_window.page("inbox")
    header = inbox.table.horizontalHeader()
    assert header.visualIndex(RISK_COLUMN) == 0
    assert header.sectionViewportPosition(RISK_COLUMN) == 0
