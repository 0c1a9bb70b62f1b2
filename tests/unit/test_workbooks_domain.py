"""Pure rules: percentages, statuses, and when a reminder or a default is refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from sp_tui.domain.arithmetic import percent
from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import QuarterCalendar
from sp_tui.domain.workbooks import (
    WorkbookFacts, check_receipt_date, default_problem, is_expected, parse_assurance,
    parse_status, reminder_problem, workbook_id, workbook_status,
)
from tests.workbooks_support import DEADLINE, DEFAULT_END, Q24, TODAY

CAL = QuarterCalendar(Q24, DEADLINE, DEFAULT_END)
DAY = timedelta(days=1)


@pytest.mark.parametrize("part, whole, expected", [
    (317, 376, 84), (326, 378, 86), (297, 300, 99), (295, 295, 100), (0, 5, 0),
    (1, 8, 13),    # 12.5 rounds half up
    (1, 200, 1),   # 0.5 rounds half up (float round() would give 0)
    (5, 200, 3),   # 2.5 -> 3, not banker's 2
    (1, 3, 33), (2, 3, 67),
])
def test_percent_is_a_whole_number_rounded_half_up(part, whole, expected):
    assert percent(part, whole) == expected


def test_percent_of_nothing_is_blank():
    assert percent(0, 0) is None


@pytest.mark.parametrize("facts, as_of, status", [
    (WorkbookFacts(received_date=DEADLINE), TODAY, "on_time"),
    (WorkbookFacts(received_date=DEADLINE + DAY), TODAY, "default_period"),
    (WorkbookFacts(received_date=DEFAULT_END), TODAY, "default_period"),
    (WorkbookFacts(received_date=DEFAULT_END + DAY), TODAY, "late"),
    # As of a date before the receipt, the workbook was still missing.
    (WorkbookFacts(received_date=DEFAULT_END + DAY), DEFAULT_END, "overdue"),
    (WorkbookFacts(), DEADLINE, "outstanding"),
    (WorkbookFacts(), DEADLINE + DAY, "overdue"),
    (WorkbookFacts(reminders=1), DEADLINE + DAY, "reminded"),
    (WorkbookFacts(reminders=1, default_issued=DEFAULT_END + DAY), TODAY, "in_default"),
    (WorkbookFacts(excused_reason="upload fault"), TODAY, "excused"),
    (WorkbookFacts(excused_reason="fault", excused_on=TODAY), DEADLINE + DAY, "overdue"),
    (WorkbookFacts(rejected_on=DEADLINE - DAY), DEADLINE, "rejected"),
    # A workbook that arrives after its default keeps the default but reads as received late.
    (WorkbookFacts(received_date=TODAY, default_issued=DEFAULT_END + DAY), TODAY, "late"),
])
def test_workbook_status(facts, as_of, status):
    assert workbook_status(facts, CAL, as_of) == status


def test_expected_means_active_on_the_last_day_and_required():
    start = date(2005, 1, 1)
    assert is_expected(start, None, True, Q24)
    assert is_expected(start, Q24.end, True, Q24)
    assert not is_expected(start, Q24.end - DAY, True, Q24)
    assert not is_expected(Q24.end + DAY, None, True, Q24)
    assert is_expected(Q24.end, None, True, Q24)
    assert not is_expected(start, None, False, Q24)


def test_receipt_before_the_quarter_or_in_the_future_is_refused():
    with pytest.raises(ValidationError, match="before Q24 Jan-Mar 2009 began"):
        check_receipt_date(Q24.start - DAY, Q24, TODAY)
    with pytest.raises(ValidationError, match="in the future"):
        check_receipt_date(TODAY + DAY, Q24, TODAY)
    check_receipt_date(Q24.start, Q24, TODAY)
    check_receipt_date(TODAY, Q24, TODAY)


def test_reminder_refused_once_received_or_excused_by_that_date():
    assert reminder_problem(WorkbookFacts(received_date=DEADLINE), DEADLINE + DAY)
    assert reminder_problem(WorkbookFacts(received_date=DEADLINE + 2 * DAY),
                            DEADLINE + DAY) is None
    assert "excused" in reminder_problem(WorkbookFacts(excused_reason="fault"), DEADLINE)
    assert reminder_problem(WorkbookFacts(), DEADLINE + DAY) is None


def test_default_rules():
    after = DEFAULT_END + DAY
    assert "after the default period" in default_problem(WorkbookFacts(), CAL, DEFAULT_END)
    assert "by the end of the default period" in default_problem(
        WorkbookFacts(received_date=DEFAULT_END), CAL, after)
    assert "excused" in default_problem(WorkbookFacts(excused_reason="fault"), CAL, after)
    assert "already issued" in default_problem(WorkbookFacts(default_issued=after), CAL, after)
    assert default_problem(WorkbookFacts(), CAL, after) is None
    # Received after the default period: a default may still be recorded for it.
    assert default_problem(WorkbookFacts(received_date=after), CAL, after + DAY) is None


def test_parse_status_and_assurance():
    assert parse_status("in default") == "in_default"
    assert parse_status("In_Default") == "in_default"
    assert parse_status("received on time") == "on_time"
    with pytest.raises(ValidationError, match="unknown status"):
        parse_status("lost")
    assert parse_assurance(" Low ") == "low"
    with pytest.raises(ValidationError, match="high, medium or low"):
        parse_assurance("very low")


def test_workbook_id_is_stable_across_copies():
    assert workbook_id("abc", 24) == workbook_id("abc", 24)
    assert workbook_id("abc", 24) != workbook_id("abc", 25)
