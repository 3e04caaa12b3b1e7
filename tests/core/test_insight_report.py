"""The fairness and insight report on a real SQLite file: re-shares per person, department and month, the
quarter's share of active staff, findings by category per month, reasons for rejection in general words."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from medshare_desktop.core.models import Finding, ImportedPost, Platform, RiskCategory, Severity
from medshare_desktop.core.ports import PostFilter
from medshare_desktop.core.services.insight_service import report_csv
from tests.core.test_schedule_service_calendar import make_world

NOVEMBER = date(2026, 11, 1)
PEOPLE = (("Dr. Ada Quinn", None), ("Dr. Ben Ortiz", None), ("Dr. Cleo Marsh", None))


def _finding(category: RiskCategory) -> Finding:
    return Finding(0, 4, "text", category, "kind", Severity.MEDIUM, "test.rule", "A test finding.")


def test_a_person_never_re_shared_this_quarter_lowers_the_share_of_active_staff(services):
    world = make_world(services, PEOPLE, posts=3)
    services.schedule.schedule(world["Dr. Ada Quinn"][0], date(2026, 10, 6), allow_past=True)
    services.schedule.schedule(world["Dr. Ben Ortiz"][0], date(2026, 11, 3), allow_past=True)

    quarter = services.insights.report(NOVEMBER).quarter
    assert (quarter.label, quarter.active, quarter.reshared) == ("Q4 2026", 3, 2)
    assert quarter.not_reshared == ("Dr. Cleo Marsh",)
    assert round(quarter.share, 2) == 0.67

    services.schedule.schedule(world["Dr. Cleo Marsh"][0], date(2026, 11, 20), allow_past=True)
    quarter = services.insights.report(NOVEMBER).quarter
    assert (quarter.reshared, quarter.share, quarter.not_reshared) == (3, 1.0, ())


def test_re_shares_are_counted_per_person_and_department_by_month(services):
    world = make_world(services, PEOPLE, posts=3)
    ada = world["Dr. Ada Quinn"]
    services.schedule.schedule(ada[0], date(2026, 10, 6), allow_past=True)
    services.schedule.schedule(ada[1], date(2026, 11, 3), allow_past=True)
    services.schedule.schedule(world["Dr. Ben Ortiz"][0], date(2026, 11, 17), allow_past=True)

    report = services.insights.report(NOVEMBER)
    assert report.months[0] == date(2026, 6, 1) and report.months[-1] == NOVEMBER
    assert report.per_person.value("Dr. Ada Quinn", date(2026, 10, 1)) == 1
    assert report.per_person.value("Dr. Ada Quinn", NOVEMBER) == 1
    assert report.per_person.total("Dr. Ben Ortiz") == 1
    assert report.per_person.rows[-1] == "Dr. Cleo Marsh"  # never re-shared: still listed, last
    assert report.per_person.total("Dr. Cleo Marsh") == 0
    assert report.per_department.rows == ("Cardiology",)
    assert report.per_department.value("Cardiology", NOVEMBER) == 2


def test_a_rejection_reason_appears_grouped_in_general_words(services):
    make_world(services, PEOPLE, posts=3)
    rows = services.posts.query(PostFilter(descending=False), 0, 10)
    reasons = ["Mentions the patient in bed 4 by first name.", "Patient could be identified from the story.",
               "Off-topic: a personal holiday photo."]
    for row, reason in zip(rows, reasons, strict=False):
        post = services.posts.start_review(services.posts.get(row.id)) if row.state.value == "new" else None
        services.posts.reject(post or services.posts.get(row.id), reason)

    report = services.insights.report(NOVEMBER)
    assert report.rejections.rows == ("Patient privacy", "Off-topic or promotional")
    assert report.rejections.value("Patient privacy", date(2026, 10, 1)) == 2
    text = report_csv(report)
    assert "Patient privacy" in text and "bed 4" not in text and "holiday" not in text


def test_findings_are_counted_by_category_in_the_month_the_post_was_written(services):
    def post_on(day: date, n: int) -> int:
        services.posts.store_imported(
            [ImportedPost(Platform.X, f"Short post {n} about our ward.", datetime.combine(day, datetime.min.time(), UTC),
                          author="Someone", handle="someone", external_id=f"f-{n}")], [], "test")
        return services.posts.query(PostFilter(search=f"{n}"), 0, 1)[0].id

    services.posts.store_findings(post_on(date(2026, 9, 14), 1), [_finding(RiskCategory.PHI), _finding(RiskCategory.PHI)])
    services.posts.store_findings(post_on(date(2026, 11, 2), 2), [_finding(RiskCategory.PHI),
                                                                  _finding(RiskCategory.MEDICAL_ADVICE)])
    services.posts.store_findings(post_on(date(2026, 3, 2), 3), [_finding(RiskCategory.CONSENT)])  # out of range

    findings = services.insights.report(NOVEMBER).findings
    phi, advice = RiskCategory.PHI.label, RiskCategory.MEDICAL_ADVICE.label
    assert findings.rows == (phi, advice)
    assert findings.value(phi, date(2026, 9, 1)) == 2
    assert findings.value(phi, NOVEMBER) == 1 and findings.value(advice, NOVEMBER) == 1
    assert findings.month_total(findings.months.index(date(2026, 10, 1))) == 0


def test_the_csv_holds_every_count_one_a_line(services):
    world = make_world(services, PEOPLE, posts=2)
    services.schedule.schedule(world["Dr. Ben Ortiz"][0], date(2026, 11, 3), allow_past=True)

    rows = list(csv.reader(io.StringIO(report_csv(services.insights.report(NOVEMBER)))))
    assert rows[0] == ["section", "label", "month", "count"]
    assert ["re-shares per person", "Dr. Ben Ortiz", "2026-11", "1"] in rows
    assert ["re-shares per person", "Dr. Ada Quinn", "2026-11", "0"] in rows
    assert ["re-shares per department", "Cardiology", "2026-11", "1"] in rows
    assert ["active staff re-shared this quarter", "re-shared (Q4 2026)", "2026-10", "1"] in rows
    assert ["not re-shared this quarter", "Dr. Cleo Marsh", "2026-10", "0"] in rows
    assert len([r for r in rows if r[0] == "re-shares per person"]) == 3 * 6
