"""Reconnection (Appendix 6): where people entering and leaving short-term services came from
and where they settled. Areas, origin classes, months and the rules of a valid movement.

The areas are the register's districts (so another county's team uses its own) plus fixed
classes: an origin may also be out of the county, no connections anywhere or not disclosed;
a leaver may also settle out of the county or leave to somewhere not known.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.domain.values import clean_text, parse_count

ENTRANT, LEAVER = "in", "out"
MOVEMENTS = {ENTRANT: "entrant", LEAVER: "leaver"}

OUT_OF_COUNTY = "Out of county"
NO_CONNECTIONS = "No connections anywhere"
NOT_DISCLOSED = "Not disclosed"
NOT_KNOWN = "Not known / unplanned departure / prison"

# Origin classes of Table 4.3, in its column order.
FROM_OUT, FROM_COUNTY, FROM_NOWHERE, FROM_UNDISCLOSED = "out", "county", "none", "undisclosed"
ORIGIN_CLASSES = {FROM_OUT: OUT_OF_COUNTY, FROM_COUNTY: "From the county",
                  FROM_NOWHERE: NO_CONNECTIONS, FROM_UNDISCLOSED: NOT_DISCLOSED}

# What officers type or providers write for the fixed classes (compared casefolded).
_ALIASES = {
    OUT_OF_COUNTY: {"out of county", "out of kent", "out of area", "outside the county"},
    NO_CONNECTIONS: {"no connections anywhere", "no connections", "no connection", "none"},
    NOT_DISCLOSED: {"not disclosed", "undisclosed", "not given"},
    NOT_KNOWN: {"not known / unplanned departure / prison", "not known", "unknown",
                "unplanned departure", "unplanned", "prison",
                "not known/unplanned departure/prison"},
}

# A monthly return is due this many days after its month ends (then it is missing).
RETURN_DUE_DAYS = 15
# The note on out-of-county shares ranks client groups with at least this many entrants,
# so that one person in a group of one does not read as "100% from out of the county".
MIN_GROUP_FOR_SHARE = 10
MAX_ORIGIN_AREA = 100


@dataclass(frozen=True)
class Areas:
    """The areas in use: the register's districts and the fixed classes."""

    districts: tuple[str, ...]

    @property
    def origins(self) -> tuple[str, ...]:
        return (*self.districts, OUT_OF_COUNTY, NO_CONNECTIONS, NOT_DISCLOSED)

    @property
    def settled_areas(self) -> tuple[str, ...]:
        return (*self.districts, OUT_OF_COUNTY, NOT_KNOWN)

    def origin(self, value: object) -> str:
        return _match(value, self.origins, "area of origin")

    def settled(self, value: object) -> str:
        return _match(value, self.settled_areas, "area settled")

    def origin_class(self, origin: str) -> str:
        if origin == OUT_OF_COUNTY:
            return FROM_OUT
        if origin == NO_CONNECTIONS:
            return FROM_NOWHERE
        if origin == NOT_DISCLOSED:
            return FROM_UNDISCLOSED
        return FROM_COUNTY


def _match(value: object, allowed: Sequence[str], field: str) -> str:
    text = " ".join(clean_text(value, field=field, limit=200).split())
    wanted = text.casefold()
    for candidate in allowed:
        if candidate.casefold() == wanted or wanted in _ALIASES.get(candidate, ()):
            return candidate
    raise ValueError(f"{field} {text!r} is not in the list (a district, "
                     f"{', '.join(a for a in allowed if a in _ALIASES)})")


# -- months ------------------------------------------------------------------------------------

_MONTH = re.compile(r"\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*")


def parse_month(value: object, *, field: str = "month") -> str:
    """'YYYY-MM' from '2009-01', '2009-01-01' or a date (xlsx cells). Raises ValueError."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    text = "" if value is None else str(value)
    match = _MONTH.fullmatch(text)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise ValueError(f"{field} must be a month as YYYY-MM, got {text.strip()!r}")
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def month_first(month: str) -> date:
    return date(int(month[:4]), int(month[5:7]), 1)


def month_last(month: str) -> date:
    first = month_first(month)
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def month_after(month: str, step: int = 1) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def return_due(month: str) -> date:
    return month_last(month) + timedelta(days=RETURN_DUE_DAYS)


def month_label(month: str) -> str:
    return f"{calendar.month_abbr[int(month[5:7])]} {month[:4]}"


@dataclass(frozen=True)
class MonthRange:
    """The months a report covers: a quarter's three, or any range."""

    first: str
    last: str

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"the range ends ({self.last}) before it begins ({self.first})")

    @classmethod
    def of_quarter(cls, quarter: Quarter) -> MonthRange:
        return cls(parse_month(quarter.start), parse_month(quarter.end))

    @classmethod
    def parse(cls, text: str) -> MonthRange:
        """'2009-01..2009-03', '2009-01:2009-03' or one month '2009-02'."""
        parts = re.split(r"\.\.|:|\s+to\s+", text.strip())
        if len(parts) == 1:
            month = parse_month(parts[0])
            return cls(month, month)
        if len(parts) != 2:
            raise ValueError(f"a month range looks like 2009-01..2009-03, got {text!r}")
        return cls(parse_month(parts[0], field="first month"),
                   parse_month(parts[1], field="last month"))

    @property
    def months(self) -> list[str]:
        found, month = [], self.first
        while month <= self.last:
            found.append(month)
            month = month_after(month)
        return found

    @property
    def label(self) -> str:
        if self.first == self.last:
            return month_label(self.first)
        first, last = month_label(self.first), month_label(self.last)
        if first[-4:] == last[-4:]:
            first = first[:3]
        return f"{first}-{last}"


# -- arithmetic --------------------------------------------------------------------------------

def share(part: int, whole: int) -> float | None:
    """part / whole in percent with one decimal, rounded half up (86/177 -> 48.6)."""
    if not whole:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def share_text(part: int, whole: int) -> str:
    value = share(part, whole)
    return "n/a" if value is None else f"{value:.1f}%"


# -- a valid movement --------------------------------------------------------------------------

MOVEMENT_FIELDS = ("service_ref", "month", "movement", "client_group", "origin", "settled",
                   "origin_area", "count")


def parse_movement_kind(value: object) -> str:
    text = clean_text(value, field="movement", limit=20).casefold()
    aliases = {"in": ENTRANT, "entrant": ENTRANT, "entry": ENTRANT, "move in": ENTRANT,
               "out": LEAVER, "leaver": LEAVER, "move out": LEAVER, "departure": LEAVER}
    if text not in aliases:
        raise ValueError(f"movement must be in or out, got {text!r}")
    return aliases[text]


class MovementValidator:
    """Cleans movement rows (``validate_movement``), remembering how each distinct value
    parsed: an import repeats the same few months, areas and client groups thousands of
    times."""

    def __init__(self, areas: Areas, client_groups: Iterable[str], *, today: date) -> None:
        self.areas = areas
        self.groups = list(client_groups)
        self.today = today
        self._memo: dict[tuple[str, object], tuple[bool, object]] = {}
        self._parsers = {
            "service_ref": lambda v: clean_text(v, field="service reference", limit=40),
            "month": parse_month,
            "movement": parse_movement_kind,
            "client_group": lambda v: _client_group(v, self.groups),
            "origin": areas.origin,
            "origin_area": lambda v: " ".join(clean_text(
                v, field="origin area", required=False, limit=MAX_ORIGIN_AREA).split()),
            "count": _count,
            "settled": areas.settled,
        }

    def _parse(self, field: str, value: object) -> object:
        try:
            key = (field, value)
            hit = self._memo.get(key)
        except TypeError:  # an unhashable cell: parse it every time
            key, hit = None, None
        if hit is None:
            try:
                hit = (True, self._parsers[field](value))
            except ValueError as exc:
                hit = (False, str(exc))
            if key is not None and len(self._memo) < 100_000:
                self._memo[key] = hit
        if hit[0]:
            return hit[1]
        raise ValueError(hit[1])

    def __call__(self, raw: Mapping[str, object]) -> dict:
        clean: dict[str, object] = {}
        errors: dict[str, str] = {}

        def take(field: str) -> None:
            try:
                clean[field] = self._parse(field, raw.get(field))
            except ValueError as exc:
                errors[field] = str(exc)

        for field in ("service_ref", "month", "movement", "client_group", "origin",
                      "origin_area", "count"):
            take(field)
        settled = raw.get("settled")
        blank_settled = settled is None or (isinstance(settled, str) and not settled.strip())
        if clean.get("movement") == ENTRANT:
            clean["settled"] = ""
            if not blank_settled:
                errors["settled"] = "an entrant has no area settled (leave it blank)"
        elif clean.get("movement") == LEAVER:
            if blank_settled:
                errors["settled"] = "a leaver needs the area settled"
            else:
                take("settled")
        month = clean.get("month")
        if isinstance(month, str) and month_first(month) > self.today:
            errors["month"] = f"month {month} is in the future"
        if clean.get("origin_area") and clean.get("origin") not in (None, OUT_OF_COUNTY):
            errors["origin_area"] = "an origin area is named only for origins out of the county"
        if errors:
            raise ValidationError(errors)
        return clean


def validate_movement(raw: Mapping[str, object], areas: Areas, client_groups: Iterable[str],
                      *, today: date) -> dict:
    """Clean one movement row, or raise ValidationError naming every bad field.

    A blank client group stays None: it becomes the service's own. Checks that need the
    service (its start and end) are ``check_service_month``'s."""
    return MovementValidator(areas, client_groups, today=today)(raw)


def _client_group(value: object, groups: list[str]) -> str | None:
    text = clean_text(value, field="client group", required=False, limit=200)
    if not text:
        return None
    for candidate in groups:
        if candidate.casefold() == text.casefold():
            return candidate
    raise ValueError(f"unknown primary client group {text!r}")


def _count(value: object) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return 1
    number = parse_count(value, field="count")
    if number < 1:
        raise ValueError("count must be 1 or more")
    return number


def check_service_month(month: str, start: date, end: date | None, service_ref: str) -> str | None:
    """Why a service cannot report for ``month`` (None if it can)."""
    if month_last(month) < start:
        return f"month {month} is before {service_ref} started ({start.isoformat()})"
    if end is not None and month_first(month) > end:
        return f"month {month} is after {service_ref} ended ({end.isoformat()})"
    return None


def validate_grid_count(value: object, *, field: str = "count") -> int:
    """A grid cell: blank or 0 = nobody; otherwise a whole number."""
    try:
        return parse_count(value, field=field)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from None
