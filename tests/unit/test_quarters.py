from datetime import date

import pytest

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import (
    Quarter, QuarterCalendar, parse_quarter, quarter_of, quarters_in_financial_year,
)


@pytest.mark.parametrize("number, start, end, label", [
    (1, date(2003, 4, 1), date(2003, 6, 30), "Q1 Apr-Jun 2003"),
    (19, date(2007, 10, 1), date(2007, 12, 31), "Q19 Oct-Dec 2007"),
    (20, date(2008, 1, 1), date(2008, 3, 31), "Q20 Jan-Mar 2008"),
    (21, date(2008, 4, 1), date(2008, 6, 30), "Q21 Apr-Jun 2008"),
    (22, date(2008, 7, 1), date(2008, 9, 30), "Q22 Jul-Sep 2008"),
    (24, date(2009, 1, 1), date(2009, 3, 31), "Q24 Jan-Mar 2009"),
    (26, date(2009, 7, 1), date(2009, 9, 30), "Q26 Jul-Sep 2009"),
])
def test_quarter_dates_and_labels_match_the_reports(number, start, end, label):
    q = Quarter(number)
    assert (q.start, q.end, q.label) == (start, end, label)


def test_leap_year_february_is_inside_its_quarter():
    assert Quarter(24).end == date(2009, 3, 31)
    assert quarter_of(date(2008, 2, 29)) == Quarter(20)


@pytest.mark.parametrize("day, number", [
    (date(2003, 4, 1), 1), (date(2003, 6, 30), 1), (date(2003, 7, 1), 2),
    (date(2008, 3, 31), 20), (date(2008, 4, 1), 21), (date(2009, 12, 31), 27),
])
def test_quarter_of_a_day_at_the_boundaries(day, number):
    assert quarter_of(day) == Quarter(number)


def test_days_before_the_programme_have_no_quarter():
    with pytest.raises(ValueError, match="before the programme"):
        quarter_of(date(2003, 3, 31))


@pytest.mark.parametrize("number, fy", [(21, "2008/09"), (24, "2008/09"), (25, "2009/10"),
                                        (20, "2007/08"), (1, "2003/04"), (108, "2029/30")])
def test_financial_years_run_april_to_march(number, fy):
    assert Quarter(number).financial_year == fy


def test_quarters_of_a_financial_year():
    assert [q.number for q in quarters_in_financial_year("2008/09")] == [21, 22, 23, 24]
    assert [q.number for q in quarters_in_financial_year("2009")] == [25, 26, 27, 28]


def test_every_quarter_round_trips_through_its_start_date():
    for n in range(1, 200):
        assert quarter_of(Quarter(n).start) == Quarter(n)
        assert quarter_of(Quarter(n).end) == Quarter(n)
        assert Quarter(n + 1).start.toordinal() == Quarter(n).end.toordinal() + 1


@pytest.mark.parametrize("text", ["24", "Q24", "q24", " 24 ", 24])
def test_parse_quarter_accepts_the_usual_spellings(text):
    assert parse_quarter(text) == Quarter(24)


@pytest.mark.parametrize("text", ["", "Q", "24a", "0", "-3", "Q99999"])
def test_parse_quarter_refuses_nonsense(text):
    with pytest.raises(ValueError):
        parse_quarter(text)


def test_default_calendar_is_30_days_then_14_days():
    cal = QuarterCalendar.default(Quarter(24))
    assert cal.deadline == date(2009, 4, 30)
    assert cal.default_end == date(2009, 5, 14)


def test_calendar_rejects_a_default_end_before_the_deadline():
    cal = QuarterCalendar(Quarter(24), date(2009, 4, 30), date(2009, 4, 1))
    with pytest.raises(ValidationError) as exc:
        cal.validate()
    assert "default_end" in exc.value.errors


def test_calendar_rejects_a_deadline_inside_the_quarter():
    with pytest.raises(ValidationError) as exc:
        QuarterCalendar(Quarter(24), date(2009, 3, 1), date(2009, 5, 1)).validate()
    assert "deadline" in exc.value.errors
