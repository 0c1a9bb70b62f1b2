"""The dashboard's as-of-today tables and the target chart."""

from __future__ import annotations

from datetime import date

from sp_tui.domain.quarters import Quarter
from sp_tui.export.rich_chart import target_chart
from sp_tui.reports.glance import open_cases_table, workbook_status_table
from sp_tui.reports.tables import Percent, ReportTable
from sp_tui.services.complaints import log_complaint
from sp_tui.services.registry import import_services
from sp_tui.services.workbooks import receive_workbook
from tests.conftest import service_fields


def seed(db, n=4):
    import_services(db, [(i + 2, service_fields(service_ref=f"S{i}")) for i in range(n)])


def test_workbook_status_counts_follow_today(db):
    seed(db, 4)
    q = Quarter(24)
    receive_workbook(db, "S0", q, "2009-04-10", today=date(2009, 4, 10))
    before_deadline = workbook_status_table(db, q, date(2009, 4, 20))
    assert before_deadline.cell("Expected", "Workbooks") == 4
    assert before_deadline.cell("Received on time", "Workbooks") == 1
    assert before_deadline.cell("Outstanding", "Workbooks") == 3
    after = workbook_status_table(db, q, date(2009, 5, 2))
    assert after.cell("Overdue", "Workbooks") == 3
    assert after.cell("Reminders due now", "Workbooks") == 3
    assert after.cell("Defaults due now", "Workbooks") == 0
    assert workbook_status_table(db, q, date(2009, 5, 20)).cell(
        "Defaults due now", "Workbooks") == 3


def test_open_complaints_are_listed_oldest_first_with_their_age(db):
    seed(db, 1)
    for ref, day in (("C2", "2009-03-01"), ("C1", "2009-02-01")):
        log_complaint(db, {"ref": ref, "service_ref": "S0", "received_date": day,
                           "summary": "late repairs", "status": "open"},
                      today=date(2009, 4, 1))
    table = open_cases_table(db, Quarter(24), date(2009, 4, 1))
    assert table.cell("Complaints open now", "Now") == 2
    assert table.rows[1] == ["  C1 (S0)", "59 days"]
    assert table.rows[2] == ["  C2 (S0)", "31 days"]


def test_target_chart_colours_bars_against_the_target():
    report = ReportTable(key="t", title="t", columns=["", "Q1", "Q2", "Q3"],
                         rows=[["By deadline", Percent(91), Percent(92), Percent(None)]])
    text = target_chart(report, "By deadline", 92)
    lines = text.plain.splitlines()
    assert lines[0] == "By deadline, target 92%"
    assert lines[1].endswith("91%") and lines[2].endswith("92%") and lines[3].endswith("—")
    styles = {str(span.style) for span in text.spans}
    assert "red" in styles and "green" in styles
