"""Programme quarters: Quarter 1 = April-June 2003; Quarter N starts 3(N-1) months later."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

FIRST_YEAR = 2003
FIRST_MONTH = 4
DEADLINE_DAYS_AFTER_CLOSE = 30
DEFAULT_PERIOD_DAYS = 14
MAX_QUARTER = 400  # the year 2103: far past any real use, small enough to keep dates valid

_MONTH = [calendar.month_abbr[m] for m in range(13)]


@dataclass(frozen=True, order=True)
class Quarter:
    """One programme quarter, identified by its number."""

    number: int

    def __post_init__(self) -> None:
        if not isinstance(self.number, int) or isinstance(self.number, bool):
            raise TypeError("quarter number must be an int")
        if not 1 <= self.number <= MAX_QUARTER:
            raise ValueError(f"quarter must be between 1 and {MAX_QUARTER}, got {self.number}")

    @property
    def start(self) -> date:
        months = FIRST_MONTH - 1 + 3 * (self.number - 1)
        return date(FIRST_YEAR + months // 12, months % 12 + 1, 1)

    @property
    def end(self) -> date:
        start = self.start
        months = start.month - 1 + 2
        year, month = start.year + months // 12, months % 12 + 1
        return date(year, month, calendar.monthrange(year, month)[1])

    @property
    def months_label(self) -> str:
        """'Jan-Mar 2009': the exact months (the printed reports label them loosely)."""
        return f"{_MONTH[self.start.month]}-{_MONTH[self.end.month]} {self.end.year}"

    @property
    def label(self) -> str:
        return f"Q{self.number} {self.months_label}"

    @property
    def financial_year(self) -> str:
        """'2008/09' for any quarter from April 2008 to March 2009."""
        first = self.start.year if self.start.month >= 4 else self.start.year - 1
        return f"{first}/{(first + 1) % 100:02d}"

    @property
    def default_deadline(self) -> date:
        return self.end + timedelta(days=DEADLINE_DAYS_AFTER_CLOSE)

    def next(self) -> Quarter:
        return Quarter(min(self.number + 1, MAX_QUARTER))

    def previous(self) -> Quarter:
        return Quarter(max(self.number - 1, 1))

    def __str__(self) -> str:
        return self.label


def quarter_of(day: date) -> Quarter:
    """The quarter that contains ``day`` (days before April 2003 are an error)."""
    months = (day.year - FIRST_YEAR) * 12 + day.month - FIRST_MONTH
    if months < 0:
        raise ValueError(f"{day.isoformat()} is before the programme began (1 April 2003)")
    return Quarter(months // 3 + 1)


def quarters_in_financial_year(label: str) -> list[Quarter]:
    """The four quarters of a financial year given as '2008/09' or '2008'."""
    match = re.fullmatch(r"\s*(\d{4})(?:\s*/\s*\d{2,4})?\s*", label)
    if not match:
        raise ValueError(f"financial year must look like 2008/09, got {label!r}")
    first = quarter_of(date(int(match.group(1)), 4, 1))
    return [Quarter(first.number + i) for i in range(4)]


def parse_quarter(text: str | int) -> Quarter:
    """Accept 24, '24', 'Q24' or 'q24'."""
    if isinstance(text, int) and not isinstance(text, bool):
        return Quarter(text)
    match = re.fullmatch(r"\s*[Qq]?\s*(\d{1,4})\s*", str(text))
    if not match:
        raise ValueError(f"a quarter is a number such as 24 or Q24, got {text!r}")
    return Quarter(int(match.group(1)))


@dataclass(frozen=True)
class QuarterCalendar:
    """A quarter's workbook deadline and the end of the default period that follows it."""

    quarter: Quarter
    deadline: date
    default_end: date

    @classmethod
    def default(cls, quarter: Quarter) -> QuarterCalendar:
        deadline = quarter.default_deadline
        return cls(quarter, deadline, deadline + timedelta(days=DEFAULT_PERIOD_DAYS))

    def validate(self) -> None:
        from sp_tui.domain.errors import ValidationError

        errors = {}
        if self.deadline <= self.quarter.end:
            errors["deadline"] = (
                f"the deadline must fall after the quarter closes ({self.quarter.end.isoformat()})"
            )
        if self.default_end < self.deadline:
            errors["default_end"] = "the default period cannot end before the deadline"
        if errors:
            raise ValidationError(errors)
