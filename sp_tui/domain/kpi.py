"""KPI 1 (NI 142) and KPI 2 (NI 141): the arithmetic, the checks and the RAG rating.

KPI 1 (long-term services): service users supported to establish or maintain independent
living over the service users counted. KPI 2 (short-term services): departures that were
planned moves over all departures. A programme figure is always the sum of numerators over
the sum of denominators, never an average of percentages; percentages have two decimals,
rounded half up. No denominator: no figure (blank; the published tables mark it *).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum

from sp_tui.domain.values import parse_count

KPIS = (1, 2)
KPI_NAMES = {1: "KPI 1 (NI 142): independent living", 2: "KPI 2 (NI 141): planned moves"}
# Which services report which KPI (the service's term).
KPI_TERM = {1: "long", 2: "short"}
FIELDS = {1: ("kpi1_independent", "kpi1_users"), 2: ("kpi2_planned", "kpi2_departures")}
FIGURE_FIELDS = (*FIELDS[1], *FIELDS[2])
FIELD_LABELS = {
    "kpi1_independent": "KPI 1 users living independently",
    "kpi1_users": "KPI 1 service users",
    "kpi2_planned": "KPI 2 planned moves",
    "kpi2_departures": "KPI 2 departures",
}

ACCOMMODATION = "accommodation based"
FLOATING = "floating support"
SERVICE_CLASSES = (ACCOMMODATION, FLOATING)
CLASS_LABELS = {ACCOMMODATION: "Accommodation based services",
                FLOATING: "Floating support services"}

SCOPES = ("regional", "national")
BREAKDOWNS = ("overall", "service_class", "client_group")
DEFAULT_TOLERANCE = Decimal(2)
TWO_PLACES = Decimal("0.01")


def kpi_percent(numerator: int | None, denominator: int | None) -> Decimal | None:
    """numerator / denominator as a percentage with two decimals, rounded half up
    (2/3 -> 66.67, 1/8 -> 12.50); None when there is nothing to divide by."""
    if not denominator:
        return None
    exact = Decimal(numerator or 0) * 100 / Decimal(denominator)
    return exact.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def programme_percent(pairs: Iterable[tuple[int | None, int | None]]) -> Decimal | None:
    """Σ numerators / Σ denominators over the services counted (pairs with no denominator
    reported are left out)."""
    num = den = 0
    for n, d in pairs:
        if d is None:
            continue
        num += n or 0
        den += d
    return kpi_percent(num, den)


class Rag(Enum):
    """A rating shown as a coloured word (never colour alone)."""

    GREEN = "Green"
    AMBER = "Amber"
    RED = "Red"

    def __str__(self) -> str:
        return self.value

    @property
    def style(self) -> str:
        return {"Green": "bold green", "Amber": "bold yellow", "Red": "bold red"}[self.value]


def rag(value: Decimal | None, target: Decimal | None,
        tolerance: Decimal = DEFAULT_TOLERANCE) -> Rag | None:
    """Green at or above target; amber below it by less than ``tolerance`` percentage
    points; red below it by ``tolerance`` or more. None without a figure or a target."""
    if value is None or target is None:
        return None
    if value >= target:
        return Rag.GREEN
    if target - value < tolerance:
        return Rag.AMBER
    return Rag.RED


def parse_percentage(value: object, *, field: str = "value") -> Decimal:
    """A percentage from 0 to 100 with at most two decimals ("98.67", "98.67%", 98.67)."""
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        raise ValueError(f"{field} is required (a percentage from 0 to 100)")
    text = str(value).strip().rstrip("%").strip() if isinstance(value, str) else repr(value)
    if isinstance(value, float):
        text = f"{value:.10f}".rstrip("0").rstrip(".")
    if not re.fullmatch(r"-?\d{1,3}(\.\d+)?", text):
        raise ValueError(f"{field} must be a percentage such as 98.67, got {str(value)[:40]!r}")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{field} must be a percentage such as 98.67") from None
    if not Decimal(0) <= number <= Decimal(100):
        raise ValueError(f"{field} must be between 0 and 100, got {text}")
    if number != number.quantize(TWO_PLACES):
        raise ValueError(f"{field} has more than two decimals: {text}")
    return number


def parse_figure(value: object, *, field: str) -> int | None:
    """A whole number of people, 0 or more; blank = not reported (None)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_count(value, field=FIELD_LABELS.get(field, field))


def parse_kpi(value: object) -> int:
    text = str(value).strip().upper().replace("KPI", "").strip() if value is not None else ""
    if text in ("1", "1.0"):
        return 1
    if text in ("2", "2.0"):
        return 2
    raise ValueError(f"kpi must be 1 or 2, got {str(value)[:40]!r}")


def parse_choice(value: object, choices: tuple[str, ...], field: str) -> str:
    """One of ``choices``, matched without regard to case, spaces, '_' or '-'."""
    def norm(text: str) -> str:
        return " ".join(re.sub(r"[_\-]", " ", text).lower().split())

    wanted = norm(str(value or ""))
    for choice in choices:
        if norm(choice) == wanted:
            return choice
    raise ValueError(f"{field} must be one of {', '.join(choices)}, got {str(value)[:40]!r}")


@dataclass(frozen=True)
class Figures:
    """One service's figures for one quarter (None: not reported)."""

    kpi1_independent: int | None = None
    kpi1_users: int | None = None
    kpi2_planned: int | None = None
    kpi2_departures: int | None = None

    def pair(self, kpi: int) -> tuple[int | None, int | None]:
        num_field, den_field = FIELDS[kpi]
        return getattr(self, num_field), getattr(self, den_field)

    def as_dict(self) -> dict[str, int | None]:
        return {f: getattr(self, f) for f in FIGURE_FIELDS}

    @property
    def empty(self) -> bool:
        return all(v is None for v in self.as_dict().values())


def parse_figures(values: dict[str, object]) -> tuple[Figures, dict[str, str]]:
    """Figures from raw user input, and the errors by field (empty when all is well)."""
    parsed: dict[str, int | None] = {}
    errors: dict[str, str] = {}
    for name in FIGURE_FIELDS:
        try:
            parsed[name] = parse_figure(values.get(name), field=name)
        except ValueError as exc:
            errors[name] = str(exc)
            parsed[name] = None
    return Figures(**parsed), errors


def check_figures(figures: Figures, term: str, service_ref: str = "the service") -> dict[str, str]:
    """The rules a service's figures obey; errors by field (empty when all is well)."""
    errors: dict[str, str] = {}
    for kpi in KPIS:
        num_field, den_field = FIELDS[kpi]
        num, den = figures.pair(kpi)
        if num is None and den is None:
            continue
        if term != KPI_TERM[kpi]:
            other = "short" if KPI_TERM[kpi] == "long" else "long"
            errors[num_field if num is not None else den_field] = (
                f"KPI {kpi} is for {KPI_TERM[kpi]}-term services; {service_ref} is {other}-term")
            continue
        if num is None or den is None:
            missing = num_field if num is None else den_field
            given = num_field if missing == den_field else den_field
            errors[missing] = f"{FIELD_LABELS[missing]} is needed with {FIELD_LABELS[given]}"
            continue
        if num > den:
            errors[num_field] = (f"{FIELD_LABELS[num_field]} ({num}) cannot exceed"
                                 f" {FIELD_LABELS[den_field]} ({den})")
    return errors


def service_class(service_type: str, mapping: dict[str, str]) -> str:
    """Table 2.1's class of a service type: the team's mapping, else accommodation based."""
    return mapping.get(service_type.casefold(), ACCOMMODATION)


def format_percent(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"
