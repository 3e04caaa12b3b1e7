"""What each chart of the insight report shows, as plain data (no Qt): the screen, the printout and the
PDF paint the same `Chart`s, and the screen's table models read their numbers from them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from medshare_desktop.core.services.insight_service import CountTable, InsightReport, month_label


class ChartKind(StrEnum):
    COLUMNS = "columns"  # one stacked column per category (months along the bottom)
    BARS = "bars"  # one stacked horizontal bar per category (people, reasons)
    SHARE = "share"  # one part of a whole, as a percentage and a 100% bar


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    subtitle: str
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[str, ...]
    values: tuple[tuple[int, ...], ...]  # values[series][category]
    unit: str = ""  # what a value counts ("re-shares", "findings"), for the axis and tooltips
    sequential: bool = False  # series are ordered (months): shades of one colour, oldest lightest
    note: str = ""  # a line under the chart
    empty_text: str = "Nothing to show for these months."
    scale: int = 0  # the value a full-length bar stands for (0: this chart's largest); kept across a split chart

    def part(self, start: int, stop: int, number: int, parts: int) -> Chart:
        """Categories start..stop of the chart, titled "(number of parts)", on the whole chart's scale."""
        return replace(
            self,
            title=f"{self.title} ({number} of {parts})",
            categories=self.categories[start:stop],
            values=tuple(row[start:stop] for row in self.values),
            scale=self.scale or max((self.total(c) for c in range(len(self.categories))), default=0),
        )

    def total(self, category: int) -> int:
        return sum(row[category] for row in self.values)

    @property
    def empty(self) -> bool:
        return not any(any(row) for row in self.values)

    def describe(self, category: int) -> str:
        """The category's numbers in words (tooltips, the accessible description, keyboard focus)."""
        name = self.categories[category]
        if self.kind is ChartKind.SHARE:
            return f"{name}: {self.total(category)}"
        parts = [f"{s}: {self.values[i][category]}" for i, s in enumerate(self.series) if self.values[i][category]]
        total = f"{name}: {self.total(category)} {self.unit}".rstrip()
        return total if len(self.series) < 2 or not parts else f"{total} ({', '.join(parts)})"


def _reshares_chart(key: str, title: str, table: CountTable, months: tuple[str, ...], span: str) -> Chart:
    """Re-shares per row (person or department) over the months, saying how many rows had none."""
    never = sum(1 for i in range(len(table.rows)) if table.row_total(i) == 0)
    return Chart(
        key,
        title,
        f"{span}; darker is more recent" + (f"; {never} not re-shared in these months" if never else ""),
        ChartKind.BARS,
        table.rows,
        months,
        _by_month(table.values, len(months)),
        unit="re-shares",
        sequential=True,
        empty_text="No people in People yet.",
    )


def charts_for(report: InsightReport) -> list[Chart]:
    """The report's five charts, in the order the screen and the PDF show them."""
    months = tuple(month_label(m) for m in report.months)
    span = f"{months[0]} – {months[-1]}"
    q = report.quarter
    people, departments = report.per_person, report.per_department
    share = Chart(
        "quarter",
        "Active staff re-shared this quarter",
        f"{q.label}: {q.reshared} of {q.active} active staff re-shared at least once (scheduled or done)",
        ChartKind.SHARE,
        ("Re-shared", "Not yet re-shared"),
        ("Active staff",),
        ((q.reshared, q.active - q.reshared),),
        unit="people",
        note=("Not yet re-shared this quarter: " + ", ".join(q.not_reshared)) if q.not_reshared else
        "Everyone active has been re-shared this quarter.",
        empty_text="No active staff in People yet.",
    )
    by_department = _reshares_chart("departments", "Re-shares per department", departments, months, span)
    by_person = _reshares_chart("people", "Re-shares per person", people, months, span)
    findings = Chart(
        "findings",
        "Findings by category per month",
        f"What the team keeps catching (training topics), by the month the post was written; {span}",
        ChartKind.COLUMNS,
        months,
        report.findings.rows,
        tuple(report.findings.values),
        unit="findings",
        empty_text="No findings on posts written in these months.",
    )
    reasons = Chart(
        "rejections",
        "Reasons for rejection",
        f"Grouped in general words; posts written {span}",
        ChartKind.BARS,
        report.rejections.rows,
        ("Rejected posts",),
        (tuple(report.rejections.row_total(i) for i in range(len(report.rejections.rows))),),
        unit="posts",
        empty_text="No rejected posts written in these months.",
    )
    return [share, by_department, by_person, findings, reasons]


def _by_month(values: tuple[tuple[int, ...], ...], months: int) -> tuple[tuple[int, ...], ...]:
    """Rows × months turned into months × rows (a chart's series are its months)."""
    return tuple(tuple(row[m] for row in values) for m in range(months))
