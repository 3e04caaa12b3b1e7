"""The fairness and insight report: who gets re-shared, what the team keeps catching, why posts are refused.

Plain data for a chosen month: the six months ending with it and the quarter it falls in. A re-share is
an entry on the calendar (scheduled or already shared) counted in the month of its day; findings and
rejections are counted in the month their post was written. Reasons for rejection appear only in
general words (core/rules/reason_groups.py), never as the reviewer's text.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from medshare_desktop.core.models import Person, RiskCategory
from medshare_desktop.core.ports import CalendarEntry, InsightReader, UnitOfWorkFactory
from medshare_desktop.core.rules.reason_groups import ReasonGroups, default_groups

MONTHS_SHOWN = 6
NO_DEPARTMENT = "No department"


def month_start(day: date, delta: int = 0) -> date:
    index = day.year * 12 + day.month - 1 + delta
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    return month_start(first, 1) - timedelta(days=1)


def month_label(first: date) -> str:
    return f"{first:%b %Y}"


@dataclass(frozen=True, slots=True)
class CountTable:
    """Counts by row (a person, a department, a category…) and month; `values[row][month]`."""

    rows: tuple[str, ...]
    months: tuple[date, ...]
    values: tuple[tuple[int, ...], ...]

    def row_total(self, index: int) -> int:
        return sum(self.values[index])

    def month_total(self, index: int) -> int:
        return sum(row[index] for row in self.values)

    def value(self, row: str, month: date) -> int:
        return self.values[self.rows.index(row)][self.months.index(month)]

    def total(self, row: str) -> int:
        return self.row_total(self.rows.index(row))


@dataclass(frozen=True, slots=True)
class QuarterShare:
    """Active staff re-shared at least once in the quarter (scheduled or done)."""

    first: date
    last: date
    active: int
    reshared: int
    not_reshared: tuple[str, ...]  # names of active people with no re-share in the quarter

    @property
    def share(self) -> float:
        return self.reshared / self.active if self.active else 0.0

    @property
    def label(self) -> str:
        return f"Q{(self.first.month - 1) // 3 + 1} {self.first.year}"


@dataclass(frozen=True, slots=True)
class InsightReport:
    month: date  # the first day of the chosen month
    per_person: CountTable  # re-shares; every active person, inactive ones only when re-shared
    per_department: CountTable
    quarter: QuarterShare
    findings: CountTable  # rows: risk category labels
    rejections: CountTable  # rows: reason groups in general words
    generated_on: datetime | None = None

    @property
    def months(self) -> tuple[date, ...]:
        return self.per_person.months


def _table(counts: Counter[tuple[str, date]], rows: Iterable[str], months: tuple[date, ...]) -> CountTable:
    names = tuple(rows)
    return CountTable(names, months, tuple(tuple(counts[(r, m)] for m in months) for r in names))


def build_report(
    month: date,
    people: list[Person],
    entries: list[CalendarEntry],
    findings: list[tuple[datetime, RiskCategory]],
    rejections: list[tuple[datetime, str]],
    groups: ReasonGroups,
    generated_on: datetime | None = None,
) -> InsightReport:
    """The report from what was read (pure: no database)."""
    first = month_start(month)
    months = tuple(month_start(first, d) for d in range(-(MONTHS_SHOWN - 1), 1))
    by_id = {p.id: p for p in people}

    per_person: Counter[tuple[str, date]] = Counter()
    per_department: Counter[tuple[str, date]] = Counter()
    reshared_ids: set[int] = set()
    q_first = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
    q_last = month_end(month_start(q_first, 2))
    for entry in entries:
        person = by_id.get(entry.person_id)
        if person is None:
            continue
        day = entry.share.day
        if q_first <= day <= q_last and person.id is not None:
            reshared_ids.add(person.id)
        bucket = month_start(day)
        if bucket in months:
            per_person[(person.name, bucket)] += 1
            per_department[(person.department.strip() or NO_DEPARTMENT, bucket)] += 1

    shown = [p for p in people if p.active or any(per_person[(p.name, m)] for m in months)]
    totals = {p.name: sum(per_person[(p.name, m)] for m in months) for p in shown}
    person_rows = sorted({p.name for p in shown}, key=lambda n: (-totals[n], n.lower()))
    departments = {p.department.strip() or NO_DEPARTMENT for p in shown}
    department_rows = sorted(departments, key=lambda d: (-sum(per_department[(d, m)] for m in months), d.lower()))

    active = [p for p in people if p.active]
    missing = tuple(sorted((p.name for p in active if p.id not in reshared_ids), key=str.lower))
    quarter = QuarterShare(q_first, q_last, len(active), len(active) - len(missing), missing)

    caught: Counter[tuple[str, date]] = Counter()
    for posted, category in findings:
        bucket = month_start(posted.date())
        if bucket in months:
            caught[(category.label, bucket)] += 1
    category_rows = [c.label for c in RiskCategory if any(caught[(c.label, m)] for m in months)]

    refused: Counter[tuple[str, date]] = Counter()
    for posted, reason in rejections:
        bucket = month_start(posted.date())
        if bucket in months:
            refused[(groups.label_for(reason), bucket)] += 1
    reason_rows = sorted(
        (g for g in groups.labels if any(refused[(g, m)] for m in months)),
        key=lambda g: -sum(refused[(g, m)] for m in months),
    )
    return InsightReport(
        first,
        _table(per_person, person_rows, months),
        _table(per_department, department_rows, months),
        quarter,
        _table(caught, category_rows, months),
        _table(refused, reason_rows, months),
        generated_on,
    )


CSV_HEADER = ("section", "label", "month", "count")


def report_csv(report: InsightReport) -> str:
    """The numbers behind every chart, one count a line: section, label, month (YYYY-MM), count."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for section, table in (
        ("re-shares per person", report.per_person),
        ("re-shares per department", report.per_department),
        ("findings by category", report.findings),
        ("reasons for rejection", report.rejections),
    ):
        for r, label in enumerate(table.rows):
            for m, month in enumerate(table.months):
                writer.writerow((section, label, f"{month:%Y-%m}", table.values[r][m]))
    q = report.quarter
    writer.writerow(("active staff re-shared this quarter", f"re-shared ({q.label})", f"{q.first:%Y-%m}", q.reshared))
    writer.writerow(("active staff re-shared this quarter", f"active staff ({q.label})", f"{q.first:%Y-%m}", q.active))
    for name in q.not_reshared:
        writer.writerow(("not re-shared this quarter", name, f"{q.first:%Y-%m}", 0))
    return out.getvalue()


class InsightService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        reader: InsightReader,
        today: Callable[[], date] = date.today,
        groups: Callable[[], ReasonGroups] = default_groups,
    ) -> None:
        self._uow = uow
        self._reader = reader
        self._today = today
        self._groups = groups

    def current_month(self) -> date:
        return month_start(self._today())

    def report(self, month: date | None = None) -> InsightReport:
        """The report for the month holding `month` (default: this month)."""
        first = month_start(month or self._today())
        window_first = month_start(first, -(MONTHS_SHOWN - 1))
        q_first = date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
        last = max(month_end(first), month_end(month_start(q_first, 2)))
        with self._uow() as tx:
            people = tx.people.list(include_inactive=True)
            entries = tx.schedule.between(min(window_first, q_first), last)
        findings = self._reader.finding_categories(window_first, month_end(first))
        rejections = self._reader.rejection_reasons(window_first, month_end(first))
        return build_report(
            first, people, entries, findings, rejections, self._groups(), datetime.now().astimezone()
        )
