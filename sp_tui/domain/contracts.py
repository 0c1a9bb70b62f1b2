"""Contracts over time: versions, money, financial years, and the contract position at a date
(report Appendix 1, Tables 1.1-1.4). Pure: no storage.

A service holds contract versions, each from a start date to an end date (or open). The
position at a quarter's close takes, for every service then active, the version in force
that day. Every total of the position is a sum of its parts, so the published kind of
contradiction (a sheltered figure that is not the sum of its split) cannot arise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import TypedDict, cast

from sp_tui.domain.arithmetic import percent
from sp_tui.domain.errors import Cleaner, ValidationError
from sp_tui.domain.values import parse_bool, parse_count, parse_date, parse_optional_date

BLOCK_GROSS = "block gross"
BLOCK_SUBSIDY = "block subsidy"
CONTRACT_TYPES = (BLOCK_GROSS, BLOCK_SUBSIDY)
_TYPE_ALIASES = {"gross": BLOCK_GROSS, "bg": BLOCK_GROSS, "block-gross": BLOCK_GROSS,
                 "subsidy": BLOCK_SUBSIDY, "bs": BLOCK_SUBSIDY, "block-subsidy": BLOCK_SUBSIDY}

# Table 1.2's lines, in the published order.
FLOATING_SUPPORT = "floating support"
HIA = "hia"
SHELTERED_ACCOMMODATION = "sheltered accommodation"
SHELTERED_ALARM = "sheltered community alarm"
OTHER = "other accommodation based"
CATEGORIES = (FLOATING_SUPPORT, HIA, SHELTERED_ACCOMMODATION, SHELTERED_ALARM, OTHER)
CATEGORY_LABELS = {
    FLOATING_SUPPORT: "Floating support units", HIA: "HIA units",
    SHELTERED_ACCOMMODATION: "Sheltered units: accommodation",
    SHELTERED_ALARM: "Sheltered units: community alarm",
    OTHER: "Other accommodation based units",
}
# The mapping a new database starts with (the migration writes the same); others: OTHER.
DEFAULT_CATEGORIES = {
    "Floating support": FLOATING_SUPPORT, "Home improvement agency": HIA,
    "Sheltered housing": SHELTERED_ACCOMMODATION, "Community or social alarm": SHELTERED_ALARM,
}

MAX_PENCE = 10_000_000_000_00  # ten billion pounds: far above any programme
_YEAR = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")

VERSION_FIELDS = ("start_date", "end_date", "contract_type", "capped", "household_units",
                  "leaseholder_units", "annual_value")


# -- values --------------------------------------------------------------------------------------
def parse_money(value: object, *, field: str = "value") -> int:
    """Pounds (pence allowed) as whole pence: '1234.5', '£1,234.50', 1234, 1234.5.
    Blank is 0. Negative values and more than two decimals are refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise ValueError(f"{field} must be an amount in pounds, got {value!r}")
    text = str(value).strip().replace(",", "").replace("£", "").replace(" ", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{field} must be an amount in pounds, e.g. 1234.56,"
                         f" got {str(value)[:40]!r}") from None
    if not amount.is_finite():
        raise ValueError(f"{field} must be an amount in pounds, got {str(value)[:40]!r}")
    if amount < 0:
        raise ValueError(f"{field} cannot be negative")
    if amount * 100 > MAX_PENCE:
        raise ValueError(f"{field} is too large")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{field} has more than two decimals (pence): {text[:40]}")
    return int(amount * 100)


def format_money(pence: int) -> str:
    """'£29,177,973.27'."""
    pounds, rest = divmod(int(pence), 100)
    return f"£{pounds:,}.{rest:02d}"


def pounds_text(pence: int) -> str:
    """'29177973.27': as an import file holds it."""
    pounds, rest = divmod(int(pence), 100)
    return f"{pounds}.{rest:02d}"


def parse_financial_year(value: object) -> str:
    """'2008/09' from '2008/09', '2008-09' or '2008/2009'; the years must follow each other."""
    text = "" if value is None else str(value).strip()
    match = _YEAR.match(text)
    if not match:
        raise ValueError(f"financial year must be written like 2008/09, got {text[:40]!r}")
    first, second = int(match.group(1)), match.group(2)
    expected = first + 1
    if (len(second) == 4 and int(second) != expected) or \
            (len(second) == 2 and int(second) != expected % 100):
        raise ValueError(f"financial year {text!r}: the second year must follow the first"
                         f" (e.g. {first}/{expected % 100:02d})")
    if not 1990 <= first <= 2199:
        raise ValueError(f"financial year {text!r} is out of range")
    return f"{first}/{expected % 100:02d}"


def parse_contract_type(value: object) -> str:
    text = " ".join(("" if value is None else str(value)).strip().lower().split())
    text = _TYPE_ALIASES.get(text, text)
    if text not in CONTRACT_TYPES:
        raise ValueError(f"contract type must be block gross or block subsidy, got {value!r}")
    return text


def parse_category(value: object) -> str:
    text = " ".join(("" if value is None else str(value)).strip().lower().split())
    aliases = {"fs": FLOATING_SUPPORT, "floating": FLOATING_SUPPORT,
               "home improvement agency": HIA, "sheltered": SHELTERED_ACCOMMODATION,
               "accommodation": SHELTERED_ACCOMMODATION, "community alarm": SHELTERED_ALARM,
               "alarm": SHELTERED_ALARM, "other": OTHER}
    text = aliases.get(text, text)
    if text not in CATEGORIES:
        raise ValueError(f"unit category must be one of {', '.join(CATEGORIES)}, got {value!r}")
    return text


def default_contract_type(term: str) -> str:
    """The usual pattern until the real terms are recorded: long term -> block subsidy."""
    return BLOCK_SUBSIDY if term == "long" else BLOCK_GROSS


# -- versions ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Version:
    start: date
    end: date | None
    contract_type: str
    capped: bool
    household_units: int
    leaseholder_units: int
    value_pence: int
    id: str | None = None

    @property
    def units(self) -> int:
        return self.household_units + self.leaseholder_units

    def in_force(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    def overlaps(self, other: Version) -> bool:
        return self.start <= (other.end or date.max) and other.start <= (self.end or date.max)

    def period(self) -> str:
        return f"{self.start.isoformat()} to {self.end.isoformat() if self.end else 'open'}"


class VersionFields(TypedDict):
    """A version's cleaned fields (import names), as validate_version returns them."""
    start_date: date
    end_date: date | None
    contract_type: str
    capped: bool
    household_units: int
    leaseholder_units: int
    annual_value: int


def validate_version(raw: Mapping[str, object]) -> VersionFields:
    """Clean one version's fields (import names), or raise ValidationError naming each bad one."""
    form = Cleaner(raw)
    clean, errors, take = form.clean, form.errors, form.take

    take("start_date", lambda v: parse_date(v, field="start date"))
    take("end_date", lambda v: parse_optional_date(v, field="end date"))
    take("contract_type", parse_contract_type)
    take("capped", lambda v: parse_bool(v, field="capped"))
    take("household_units", lambda v: parse_count(v, field="household units"))
    take("leaseholder_units", lambda v: parse_count(v, field="leaseholder units"))
    take("annual_value", lambda v: parse_money(v, field="annual value"))
    start, end = clean.get("start_date"), clean.get("end_date")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors["end_date"] = "end date is before the start date"
    # Every field was taken by its parser (or result() raised): the types are those declared.
    return cast(VersionFields, form.result())


def version_from(clean: VersionFields, id: str | None = None) -> Version:
    return Version(start=clean["start_date"], end=clean["end_date"],
                   contract_type=clean["contract_type"], capped=bool(clean["capped"]),
                   household_units=clean["household_units"],
                   leaseholder_units=clean["leaseholder_units"],
                   value_pence=clean["annual_value"], id=id)


def first_overlap(versions: Iterable[Version]) -> tuple[Version, Version] | None:
    """Two versions in force on a same day, if any (sorted by start, so one pass)."""
    ordered = sorted(versions, key=lambda v: v.start)
    for before, after in zip(ordered, ordered[1:]):
        if before.overlaps(after):
            return before, after
    return None


def in_force(versions: Iterable[Version], day: date) -> Version | None:
    """The version in force on ``day``: of any that overlap, the one that started last."""
    found = [v for v in versions if v.in_force(day)]
    return max(found, key=lambda v: v.start) if found else None


@dataclass(frozen=True)
class NewVersionPlan:
    """What adding a version does: the version to close (and its new end), if any."""
    close: Version | None
    close_end: date | None


def plan_new_version(existing: Sequence[Version], new: Version,
                     service_start: date | None = None) -> NewVersionPlan:
    """Adding ``new`` closes the version in force the day before it starts; it may not start
    on or before that version's start, nor overlap any later version. Raises ValidationError."""
    if service_start and new.start < service_start:
        raise ValidationError({"start_date": f"the service starts on {service_start.isoformat()};"
                                             " a contract cannot start before it"})
    same = [v for v in existing if v.start == new.start]
    if same:
        raise ValidationError({"start_date": f"a version already starts on {new.start.isoformat()}"
                                             " (change that one instead)"})
    previous = in_force(existing, new.start - timedelta(days=1))
    if previous is not None and previous.start >= new.start:
        previous = None
    for other in existing:
        if other is previous:
            continue
        if other.overlaps(new):
            raise ValidationError({"start_date": f"overlaps the version from {other.period()}"})
    if previous is None or (previous.end is not None and previous.end < new.start):
        return NewVersionPlan(None, None)
    return NewVersionPlan(previous, new.start - timedelta(days=1))


# -- the position at a date ----------------------------------------------------------------------
@dataclass(frozen=True)
class InForce:
    """A service's version in force at the date, with what the tables group it by."""
    service_id: str
    provider_id: str
    category: str
    contract_type: str
    capped: bool
    household_units: int
    leaseholder_units: int
    value_pence: int

    @property
    def units(self) -> int:
        return self.household_units + self.leaseholder_units


@dataclass(frozen=True)
class ContractPosition:
    """Tables 1.1-1.4 for one date. Totals are properties: sums of their parts."""
    day: date
    providers: int = 0
    services: int = 0
    household_units: int = 0
    leaseholder_units: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_type: dict[tuple[str, bool], int] = field(default_factory=dict)
    value_pence: dict[str, int] = field(default_factory=dict)   # by category
    grant_pence: int | None = None
    financial_year: str = ""

    @property
    def total_units(self) -> int:
        return self.household_units + self.leaseholder_units

    def category(self, name: str) -> int:
        return self.by_category.get(name, 0)

    @property
    def sheltered_units(self) -> int:
        return self.category(SHELTERED_ACCOMMODATION) + self.category(SHELTERED_ALARM)

    @property
    def category_total(self) -> int:
        return sum(self.category(c) for c in CATEGORIES)

    def units_of(self, contract_type: str, capped: bool | None = None) -> int:
        return sum(n for (kind, cap), n in self.by_type.items()
                   if kind == contract_type and (capped is None or cap == capped))

    def all_capped(self, capped: bool) -> int:
        return sum(n for (_, cap), n in self.by_type.items() if cap == capped)

    @property
    def type_total(self) -> int:
        return self.all_capped(True) + self.all_capped(False)

    @property
    def total_value_pence(self) -> int:
        return sum(self.value_pence.values())

    @property
    def floating_support_value_pence(self) -> int:
        return self.value_pence.get(FLOATING_SUPPORT, 0)

    @property
    def accommodation_value_pence(self) -> int:
        """Every value not floating support (HIAs included), so the two shares make the whole."""
        return self.total_value_pence - self.floating_support_value_pence

    @property
    def floating_support_percent(self) -> int | None:
        return percent(self.floating_support_value_pence, self.total_value_pence)

    @property
    def accommodation_percent(self) -> int | None:
        return percent(self.accommodation_value_pence, self.total_value_pence)


def position(day: date, rows: Iterable[InForce], *, grant_pence: int | None = None,
             financial_year: str = "") -> ContractPosition:
    """Add up the versions in force at ``day`` (one row per service)."""
    providers: set[str] = set()
    services = household = leaseholder = 0
    by_category: dict[str, int] = {}
    by_type: dict[tuple[str, bool], int] = {}
    values: dict[str, int] = {}
    for row in rows:
        providers.add(row.provider_id)
        services += 1
        household += row.household_units
        leaseholder += row.leaseholder_units
        by_category[row.category] = by_category.get(row.category, 0) + row.units
        key = (row.contract_type, bool(row.capped))
        by_type[key] = by_type.get(key, 0) + row.units
        values[row.category] = values.get(row.category, 0) + row.value_pence
    return ContractPosition(day=day, providers=len(providers), services=services,
                            household_units=household, leaseholder_units=leaseholder,
                            by_category=by_category, by_type=by_type, value_pence=values,
                            grant_pence=grant_pence, financial_year=financial_year)
