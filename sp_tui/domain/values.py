"""Parsing of the values users type or import: dates, whole numbers, yes/no, text."""

from __future__ import annotations

import re
from datetime import date, datetime

MAX_TEXT = 2000
MAX_UNITS = 1_000_000
EARLIEST = date(1900, 1, 1)
LATEST = date(2200, 12, 31)
DATE_FORMS = "YYYY-MM-DD or DD/MM/YYYY"
# UK order only, with a four-digit year: 31/03/2009, 3/4/2009, 31-03-2009, 31.03.2009.
_UK_DATE = re.compile(r"(?P<d>\d{1,2})([/.-])(?P<m>\d{1,2})\2(?P<y>\d{4})")


def parse_date(value: object, *, field: str = "date") -> date:
    """A date from an ISO string, a UK day-first date (DD/MM/YYYY), a date or a datetime
    (xlsx cells). Raises ValueError."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        result = value
    elif isinstance(value, str):
        text = value.strip()
        try:
            uk = _UK_DATE.fullmatch(text)
            if uk:  # always day first: 03/04/2009 is 3 April (a UK tool never guesses)
                result = date(int(uk["y"]), int(uk["m"]), int(uk["d"]))
            else:
                # A spreadsheet may give a whole timestamp: it must parse whole, time included.
                result = datetime.fromisoformat(text).date() if len(text) > 10 \
                    else date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{field} must be a date as {DATE_FORMS}, got {_show(value)}") \
                from None
    else:
        raise ValueError(f"{field} must be a date as {DATE_FORMS}, got {_show(value)}")
    if not EARLIEST <= result <= LATEST:
        raise ValueError(f"{field} {result.isoformat()} is out of range")
    return result


def parse_optional_date(value: object, *, field: str = "date") -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value, field=field)


def parse_count(value: object, *, field: str = "value") -> int:
    """A whole number from 0 to MAX_UNITS; blank counts as 0."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise ValueError(f"{field} must be a whole number, got {_show(value)}")
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{field} must be a whole number, got {_show(value)}")
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        digits = text[1:] if text.startswith("-") else text
        # isdigit() alone accepts '²' and other digits int() refuses
        if not (digits.isascii() and digits.isdigit()) or len(text) > 12:
            raise ValueError(f"{field} must be a whole number, got {_show(value)}")
        value = int(text)
    if not isinstance(value, int):
        raise ValueError(f"{field} must be a whole number, got {_show(value)}")
    if value < 0:
        raise ValueError(f"{field} cannot be negative")
    if value > MAX_UNITS:
        raise ValueError(f"{field} is too large (at most {MAX_UNITS:,})")
    return value


_YES = {"y", "yes", "true", "1", "required", "x"}
_NO = {"n", "no", "false", "0", "not required", ""}


def parse_bool(value: object, *, field: str = "value") -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError(f"{field} must be yes or no, got {_show(value)}")


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")  # control characters but tab and newline


def clean_text(value: object, *, field: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    """Trimmed text; control characters other than newlines are refused."""
    try:
        text = "" if value is None else str(value).strip()
    except ValueError:  # an integer too long for str() (sys.get_int_max_str_digits)
        raise ValueError(f"{field} is too long") from None
    if required and not text:
        raise ValueError(f"{field} is required")
    if len(text) > limit:
        raise ValueError(f"{field} is too long ({len(text):,} characters; at most {limit:,})")
    if _CONTROL.search(text):
        raise ValueError(f"{field} contains control characters")
    return text


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# A cell starting with one of these is a formula to a spreadsheet. Writers of CSV put a quote
# before such text ("defusing" it); readers of sp-tui's own CSVs take that quote off again.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
