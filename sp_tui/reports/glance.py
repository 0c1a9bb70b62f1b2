"""The dashboard's "at a glance" tables: the selected quarter as of today."""

from __future__ import annotations

from datetime import date

import sqlite_utils

from sp_tui.domain.quarters import Quarter
from sp_tui.domain.workbooks import STATUSES
from sp_tui.reports.safeguarding import overdue_referral_count
from sp_tui.reports.tables import ReportTable
from sp_tui.reports.workbooks import workbook_summary

OLDEST_SHOWN = 5


def workbook_status_table(db: sqlite_utils.Database, quarter: Quarter,
                          today: date) -> ReportTable:
    """Expected workbooks by status as of today, with the dates that drive them."""
    summary = workbook_summary(db, quarter, today)
    rows: list[list[object]] = [["Expected", summary.expected]]
    rows += [[label.capitalize(), summary.count(key)] for key, label in STATUSES.items()]
    rows += [["Reminders due now", summary.reminders_due],
             ["Defaults due now", summary.defaults_due]]
    return ReportTable(
        key="workbook_status", title=f"Workbooks, {quarter.label}", columns=["", "Workbooks"],
        rows=rows, subtitle=f"as of {today.isoformat()}",
        footnotes=[f"Deadline {summary.deadline.isoformat()}; default period ends"
                   f" {summary.default_end.isoformat()}."])


def open_cases_table(db: sqlite_utils.Database, quarter: Quarter, today: date) -> ReportTable:
    """Complaints not concluded today with their ages, and the alerts still to act on."""
    open_complaints = db.execute(
        "SELECT c.ref, s.service_ref, c.received_date FROM complaints c"
        " JOIN services s ON s.id = c.service_id WHERE c.closed_date IS NULL"
        " AND c.received_date <= ? ORDER BY c.received_date, c.ref", (today.isoformat(),)
    ).fetchall()
    start, end = quarter.start.isoformat(), quarter.end.isoformat()
    received, still_open = db.execute(
        "SELECT count(*), coalesce(sum(closed_date IS NULL), 0) FROM safeguarding_alerts"
        " WHERE received_date BETWEEN ? AND ?", (start, end)).fetchone()
    rows: list[list[object]] = [
        ["Complaints open now", len(open_complaints)],
    ]
    for ref, service_ref, received_date in open_complaints[:OLDEST_SHOWN]:
        age = (today - date.fromisoformat(received_date)).days
        rows.append([f"  {ref} ({service_ref})", f"{age} days"])
    if len(open_complaints) > OLDEST_SHOWN:
        rows.append([f"  … and {len(open_complaints) - OLDEST_SHOWN} more", ""])
    rows += [
        [f"Alerts received in Q{quarter.number}", received],
        ["  of which still open", still_open],
        ["Alerts not referred in 1 working day", overdue_referral_count(db, today)],
    ]
    return ReportTable(key="open_cases", title="Complaints and safeguarding",
                       columns=["", "Now"], rows=rows,
                       subtitle=f"as of {today.isoformat()}",
                       footnotes=["Oldest open complaints first."])
