"""The demo opens on a live quarter (issue 13, friction 2): built relative to its today."""

from __future__ import annotations

from datetime import date

import pytest

from sp_tui.areas import build_demo
from sp_tui.demo import chased_quarter
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.calendar import calendar_for, working_quarter
from sp_tui.reports.workbooks import workbook_summary


@pytest.mark.parametrize("today", [date(2026, 12, 2), date(2027, 1, 5), date(2031, 7, 1)])
def test_latest_quarter_is_the_one_being_chased(db, today):
    plan = build_demo(db, 1, today=today)
    quarter = working_quarter(db, today)
    assert quarter.number == plan.last_quarter == chased_quarter(today).number
    assert plan.last_quarter - plan.first_quarter == 7   # history runs back from there
    calendar = calendar_for(db, quarter)
    assert calendar.deadline < today < calendar.default_end  # deadline just passed
    summary = workbook_summary(db, quarter, today)
    assert summary.reminders_due > 0                          # some reminders due
    assert summary.defaults_due == 0                          # the default period runs
    # nothing in the records lies after today
    for table, column in [("workbooks", "received_date"), ("visits", "completed_date"),
                          ("complaints", "closed_date"), ("safeguarding_alerts",
                                                          "received_date")]:
        latest = db.execute(f"SELECT max({column}) FROM {table}").fetchone()[0]
        assert latest is None or latest <= today.isoformat(), table


def test_real_today_by_default(db):
    plan = build_demo(db, 1)
    assert Quarter(plan.last_quarter) == chased_quarter(date.today())
