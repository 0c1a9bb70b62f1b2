"""The national outcomes framework: five high-level outcomes, 17 sub-outcomes, the six service
types, and the rules an outcome return must keep (report section 4, Appendices 3-5)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict, cast
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sp_tui.domain.errors import Cleaner, ValidationError
from sp_tui.domain.values import clean_text, parse_date


@dataclass(frozen=True)
class SubOutcome:
    code: str
    """The column stem in imports and the database: ``<code>_need``, ``<code>_achieved``."""
    label: str
    """As Appendix 4 prints it."""


@dataclass(frozen=True)
class HighLevelOutcome:
    key: str
    label: str
    table: str
    """Its Appendix 5 table: "5.1" ... "5.5"."""
    subs: tuple[SubOutcome, ...]


OUTCOMES: tuple[HighLevelOutcome, ...] = (
    HighLevelOutcome("economic", "Achieve economic wellbeing", "5.1", (
        SubOutcome("income", "To maximise income"),
        SubOutcome("debt", "To reduce debt"),
        SubOutcome("paid_work", "To obtain/participate in paid work"),
    )),
    HighLevelOutcome("enjoy", "Enjoy and achieve", "5.2", (
        SubOutcome("training", "To participate in training/education"),
        SubOutcome("informal_learning", "To participate in informal learning"),
        SubOutcome("work_like", "To participate in work-like activities"),
        SubOutcome("external_groups", "To establish contact with external groups"),
    )),
    HighLevelOutcome("healthy", "Be healthy", "5.3", (
        SubOutcome("physical_health", "Manage physical health"),
        SubOutcome("mental_health", "Manage mental health"),
        SubOutcome("substance_misuse", "Manage substance misuse issues"),
        SubOutcome("assistive_technology", "Technology helping to maintain independence"),
    )),
    HighLevelOutcome("safe", "Stay safe", "5.4", (
        SubOutcome("accommodation", "To maintain their accommodation"),
        SubOutcome("statutory_orders", "To comply with statutory orders"),
        SubOutcome("self_harm", "To better manage self harm"),
        SubOutcome("harm_to_others", "To avoid causing harm to others"),
        SubOutcome("harm_from_others", "To minimise risk of harm from others"),
    )),
    HighLevelOutcome("contribution", "Make a positive contribution", "5.5", (
        SubOutcome("confidence_choice", "To develop confidence and choice"),
    )),
)

SUB_OUTCOMES: tuple[SubOutcome, ...] = tuple(s for o in OUTCOMES for s in o.subs)
CODES: tuple[str, ...] = tuple(s.code for s in SUB_OUTCOMES)
NEED_COLUMNS = tuple(f"{c}_need" for c in CODES)
ACHIEVED_COLUMNS = tuple(f"{c}_achieved" for c in CODES)

# The framework's six service types (section 4.10), in the published order. The register's
# service types map onto them through an editable table (outcome_service_types).
OUTCOME_TYPES: tuple[str, ...] = ("Direct access", "Floating support", "Foyer", "Outreach",
                                  "Supported housing", "Women's refuge")
NOT_GIVEN = "Not given"

# Business plan s.4 (2009/10): short-term and long-term outcome returns made.
SHORT_TERM_RETURNS_TARGET = 60
LONG_TERM_RETURNS_TARGET = 60
AMBER_MARGIN = 5  # within 5 points below the target: amber

# The national dataset's short forms of the register's client groups (Appendix 3 (ii)).
CLIENT_GROUP_ALIASES = {
    "alcohol problems": "People with alcohol problems",
    "drug problems": "People with drug problems",
    "learning disabilities": "People with learning disabilities",
    "learning disability": "People with learning disabilities",
    "mental health problems": "People with mental health problems",
    "mental health": "People with mental health problems",
    "traveller": "Travellers",
    "offenders at risk of offending": "Offenders or people at risk of offending",
    "offenders": "Offenders or people at risk of offending",
    "rough sleeper": "Rough sleepers",
    "women at risk of domestic violence": "People at risk of domestic violence",
    "refugee": "Refugees",
}

_PAIRS = tuple((c, f"{c}_need", f"{c}_achieved") for c in CODES)

IMPORT_REQUIRED = ("service_ref", "departure_date", "client_group", "planned_move",
                   "greater_independence",
                   *(f"{c}_{part}" for c in CODES for part in ("need", "achieved")))
IMPORT_OPTIONAL = ("return_ref",)
ANNUAL_REQUIRED = ("service_ref", "financial_year", "received_date")

_ANSWERS: dict[str, bool | None] = {"": None}
_ANSWERS.update(dict.fromkeys(("y", "yes", "true", "1", "t"), True))
_ANSWERS.update(dict.fromkeys(("n", "no", "false", "0", "f"), False))
_UNKNOWN = object()


def parse_answer(value: object, *, field: str) -> bool | None:
    """yes / no / blank (unanswered), with Y/N, true/false and 1/0 tolerated."""
    if value is None:
        return None
    if isinstance(value, str):  # the usual case: a dict lookup
        if value in _ANSWERS:
            return _ANSWERS[value]
        key = value.strip().lower()
        if key in _ANSWERS:
            return _ANSWERS[key]
    elif isinstance(value, bool):
        return value
    elif isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:37] + "..."
    raise ValueError(f"{field} must be yes, no or blank, got {shown}")


def client_group_lookup(groups: list[str]) -> dict[str, str | None]:
    """Every accepted spelling (casefolded) -> the register's client group (None: not given)."""
    lookup: dict[str, str | None] = {g.casefold(): g for g in groups}
    for alias, group in CLIENT_GROUP_ALIASES.items():
        if group.casefold() in lookup:
            lookup.setdefault(alias, lookup[group.casefold()])
    lookup.update(dict.fromkeys(("", "not given", "not known", "unknown"), None))
    return lookup


def match_client_group(value: object, groups: list[str] | dict[str, str | None]) -> str | None:
    """The register's spelling of the client's group (short forms accepted); None for blank
    or "not given"."""
    lookup = groups if isinstance(groups, dict) else client_group_lookup(groups)
    if value is None:
        return None
    if isinstance(value, str) and value.casefold() in lookup:
        return lookup[value.casefold()]
    text = " ".join(clean_text(value, field="client group", required=False, limit=200).split())
    if text.casefold() in lookup:
        return lookup[text.casefold()]
    raise ValueError(f"unknown primary client group {text!r}")


def return_ref(value: object) -> str | None:
    if value is None or value == "":
        return None
    text = clean_text(value, field="return_ref", required=False, limit=60)
    if any(ch.isspace() for ch in text):
        raise ValueError("return_ref cannot contain spaces")
    return text or None


class OutcomeReturn(TypedDict):
    """One cleaned return, as validate_outcome_return gives it."""
    service_ref: str
    departure_date: date
    client_group: str | None
    planned_move: bool | None
    greater_independence: bool | None
    return_ref: str | None
    needs: dict[str, tuple[bool, bool]]


def validate_outcome_return(raw: Mapping[str, object],
                            client_groups: list[str] | dict[str, str | None],
                            *, today: date) -> OutcomeReturn:
    """Clean one return (import field names), or raise ValidationError naming every bad field.

    The result holds service_ref, departure_date, client_group (None: not given),
    planned_move and greater_independence (True / False / None: unanswered), return_ref, and
    ``needs``: {code: (need identified, achieved)}. The service's own dates are checked by
    the service layer, which knows them."""
    form = Cleaner(raw)
    clean, errors, take = form.clean, form.errors, form.take

    take("service_ref", lambda v: clean_text(v, field="service_ref", limit=40))
    take("departure_date", lambda v: parse_date(v, field="departure_date"))
    take("client_group", lambda v: match_client_group(v, client_groups))
    take("planned_move", lambda v: parse_answer(v, field="planned_move"))
    take("greater_independence", lambda v: parse_answer(v, field="greater_independence"))
    take("return_ref", return_ref)
    departure = clean.get("departure_date")
    if isinstance(departure, date) and departure > today:
        errors["departure_date"] = f"departure_date {departure.isoformat()} is in the future"
    if clean.get("greater_independence") is not None and clean.get("planned_move") is not True:
        errors["greater_independence"] = (
            "greater_independence is answered only when planned_move is yes")
    needs: dict[str, tuple[bool, bool]] = {}
    answers, unknown = _ANSWERS, _UNKNOWN
    for code, need_field, achieved_field in _PAIRS:
        # The usual cells ("yes", "no", "") are one dict lookup each; the rest parse in full.
        need_value, achieved_value = raw.get(need_field), raw.get(achieved_field)
        need = answers.get(need_value, unknown) if need_value.__class__ is str else unknown
        achieved = answers.get(achieved_value, unknown) \
            if achieved_value.__class__ is str else unknown
        try:
            if need is unknown:
                need = parse_answer(need_value, field=need_field)
        except ValueError as exc:
            errors[need_field] = str(exc)
            continue
        try:
            if achieved is unknown:
                achieved = parse_answer(achieved_value, field=achieved_field)
        except ValueError as exc:
            errors[achieved_field] = str(exc)
            continue
        if achieved and not need:
            errors[achieved_field] = (f"{code} is achieved but no support need was identified"
                                      f" ({need_field} is not yes)")
            continue
        needs[code] = (bool(need), bool(achieved))
    if errors:
        raise ValidationError(errors)
    clean["needs"] = needs
    # Every field was taken by its parser above (no error): the types are those declared.
    return cast(OutcomeReturn, clean)


def content_hash(clean: Mapping[str, object]) -> str:
    """A stable digest of a cleaned return's service, departure date and answers."""
    def answer(value: object) -> str:
        return "" if value is None else "1" if value else "0"

    needs = cast("Mapping[str, tuple[bool, bool]]", clean["needs"])  # as validate_return sets
    parts = [str(clean["service_ref"]).casefold(), str(clean["departure_date"]),
             str(clean.get("client_group") or "").casefold(),
             answer(clean.get("planned_move")), answer(clean.get("greater_independence")),
             "".join(f"{int(needs[c][0])}{int(needs[c][1])}" for c in CODES)]
    return hashlib.blake2b("|".join(parts).encode(), digest_size=12).hexdigest()


def return_key(clean: Mapping[str, object], digest: str) -> str:
    ref = clean.get("return_ref")
    return f"ref:{str(ref).casefold()}" if ref else f"row:{digest}"


def parse_financial_year(value: object) -> str:
    """'2008/09' from '2008/09', '2008/2009', '2008-09' or 2008."""
    text = clean_text(value, field="financial_year", limit=20)
    match = re.fullmatch(r"(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?", text)
    if not match:
        raise ValueError(f"financial_year must look like 2008/09, got {text!r}")
    first = int(match.group(1))
    if match.group(2):
        second = int(match.group(2))
        if second % 100 != (first + 1) % 100:
            raise ValueError(f"financial_year {text!r}: the second year must follow the first")
    if not 2003 <= first <= 2100:
        raise ValueError(f"financial_year {text!r} is out of range")
    return f"{first}/{(first + 1) % 100:02d}"


def financial_year_start(label: str) -> date:
    return date(int(label[:4]), 4, 1)


def outcome_type(value: object) -> str | None:
    """One of the six service types (any case), or None for blank / "none"."""
    text = " ".join(clean_text(value, field="outcome service type", required=False,
                               limit=60).split())
    if not text or text.casefold() in ("none", "not mapped", "-"):
        return None
    for candidate in OUTCOME_TYPES:
        if candidate.casefold() == text.casefold().replace("women's'", "women's"):
            return candidate
    raise ValueError(f"outcome service type must be one of {', '.join(OUTCOME_TYPES)},"
                     f" or none; got {text!r}")


def rate(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal, rounded half up; None: nothing to
    divide by."""
    if not whole:
        return None
    exact = Decimal(part) * 100 / Decimal(whole)
    return exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rag(value: Decimal | int | None, target: int) -> str:
    """Red / amber / green against a target: green at or above it, amber within
    AMBER_MARGIN points below, red further below; "" when there is no figure."""
    if value is None:
        return ""
    if value >= target:
        return "green"
    if value >= target - AMBER_MARGIN:
        return "amber"
    return "red"
