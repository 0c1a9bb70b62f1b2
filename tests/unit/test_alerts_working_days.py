"""The 1-working-day referral rule: weekends and England & Wales bank holidays excluded."""

from datetime import date

import pytest

from sp_tui.domain.cases import (
    add_working_days, bank_holidays, is_working_day, latest_overdue_receipt,
    referral_due, referral_overdue, referred_late,
)


@pytest.mark.parametrize("good_friday, easter_monday", [
    (date(2008, 3, 21), date(2008, 3, 24)), (date(2011, 4, 22), date(2011, 4, 25)),
    (date(2024, 3, 29), date(2024, 4, 1))])
def test_easter_holidays(good_friday, easter_monday):
    assert {good_friday, easter_monday} <= bank_holidays(good_friday.year)


def test_one_off_holidays_are_known():
    assert date(2022, 9, 19) in bank_holidays(2022)      # a state funeral
    assert date(2023, 5, 8) in bank_holidays(2023)       # a coronation


def test_bank_holidays_2009_as_published():
    assert sorted(bank_holidays(2009)) == [
        date(2009, 1, 1), date(2009, 4, 10), date(2009, 4, 13), date(2009, 5, 4),
        date(2009, 5, 25), date(2009, 8, 31), date(2009, 12, 25), date(2009, 12, 28)]


def test_christmas_on_a_saturday_moves_both_days():
    assert {date(2010, 12, 27), date(2010, 12, 28)} <= bank_holidays(2010)
    assert date(2010, 12, 25) not in bank_holidays(2010)


def test_new_year_on_a_sunday_is_taken_on_monday():
    assert date(2012, 1, 2) in bank_holidays(2012)
    assert date(2012, 6, 4) in bank_holidays(2012) and date(2012, 6, 5) in bank_holidays(2012)
    assert date(2012, 5, 28) not in bank_holidays(2012)


@pytest.mark.parametrize("received, due", [
    (date(2009, 3, 2), date(2009, 3, 3)),    # Monday -> Tuesday
    (date(2009, 3, 6), date(2009, 3, 9)),    # Friday -> Monday
    (date(2009, 3, 7), date(2009, 3, 9)),    # Saturday -> Monday
    (date(2009, 3, 8), date(2009, 3, 9)),    # Sunday -> Monday
    (date(2009, 4, 9), date(2009, 4, 14)),   # Thursday before Easter -> Tuesday after
    (date(2009, 12, 24), date(2009, 12, 29)),
])
def test_referral_due_is_the_next_working_day(received, due):
    assert referral_due(received) == due


def test_bank_holidays_are_optional():
    assert referral_due(date(2009, 4, 9), holidays=False) == date(2009, 4, 10)
    assert is_working_day(date(2009, 4, 10), holidays=False)
    assert not is_working_day(date(2009, 4, 10))


def test_add_zero_working_days_is_the_same_day():
    assert add_working_days(date(2009, 3, 7), 0) == date(2009, 3, 7)
    with pytest.raises(ValueError):
        add_working_days(date(2009, 3, 7), -1)


def test_overdue_only_when_unreferred_past_the_due_day():
    friday = date(2009, 3, 6)
    assert not referral_overdue(friday, None, date(2009, 3, 9))   # due Monday: not yet late
    assert referral_overdue(friday, None, date(2009, 3, 10))
    assert not referral_overdue(friday, date(2009, 3, 10), date(2009, 3, 20))
    assert referred_late(friday, date(2009, 3, 10))
    assert not referred_late(friday, date(2009, 3, 9))
    assert not referred_late(friday, None)


def test_latest_overdue_receipt_agrees_with_the_rule_day_by_day():
    for offset in range(0, 400):
        today = date(2008, 12, 1).fromordinal(date(2008, 12, 1).toordinal() + offset)
        cutoff = latest_overdue_receipt(today)
        for back in range(0, 12):
            received = today.fromordinal(today.toordinal() - back)
            assert referral_overdue(received, None, today) == (received <= cutoff), (today, received)
