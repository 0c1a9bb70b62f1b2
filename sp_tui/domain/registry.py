"""Rules for providers and services: what a valid service is, and when it is active."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import partial

from sp_tui.domain.errors import Cleaner
from sp_tui.domain.quarters import Quarter
from sp_tui.domain.reference import KINDS, TERMS
from sp_tui.domain.values import (
    clean_text, parse_bool, parse_count, parse_date, parse_optional_date,
)

SERVICE_FIELDS = (
    "provider", "service_ref", "service_name", "service_type", "client_group", "district",
    "term", "household_units", "leaseholder_units", "workbook_required", "start_date", "end_date",
)
# Optional in a service's fields: the provider's contact details (CONTACT_FIELDS).


# A provider's contact details, for letters and the mail merge (blank until known).
CONTACT_FIELDS = ("contact_name", "address", "email")
CONTACT_LABELS = {"contact_name": "contact name", "address": "address", "email": "email"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def clean_contact(field: str, value: object) -> str:
    """One contact detail, cleaned: blank is allowed; an email must look like one."""
    limit = 500 if field == "address" else 200
    text = clean_text(value, field=CONTACT_LABELS[field], required=False, limit=limit)
    if field == "address":  # one line per part, however it was typed
        parts = [" ".join(p.split()) for p in re.split(r"[\n;]", text)]
        text = "\n".join(p for p in parts if p)
    else:
        text = " ".join(text.split())
    if field == "email" and text and not _EMAIL.fullmatch(text):
        raise ValueError(f"email {text!r} is not an email address")
    return text


def is_active(start: date, end: date | None, quarter: Quarter) -> bool:
    """Active in a quarter: started by its last day and not ended before that day."""
    last = quarter.end
    return start <= last and (end is None or end >= last)


def match_reference(value: str, allowed: list[str] | set[str], kind: str) -> str:
    """The canonical spelling of ``value`` in a reference list, matched case-insensitively."""
    wanted = value.strip().casefold()
    for candidate in allowed:
        if candidate.casefold() == wanted:
            return candidate
    raise ValueError(f"unknown {KINDS.get(kind, kind)} {value!r}")


def _listed(value: object, *, kind: str, allowed: list[str]) -> str:
    return match_reference(clean_text(value, field=KINDS[kind], limit=200), allowed, kind)


def validate_service(raw: Mapping[str, object], refs: Mapping[str, list[str]]) -> dict:
    """Clean one service's fields, or raise ValidationError naming every bad field.

    ``refs`` holds the reference lists (district, client_group, service_type).
    """
    form = Cleaner(raw)
    clean, errors, take = form.clean, form.errors, form.take

    take("provider", lambda v: clean_text(v, field="provider", limit=200))
    take("service_ref", lambda v: _service_ref(v))
    take("service_name", lambda v: clean_text(v, field="service name", limit=200))
    for kind in ("service_type", "client_group", "district"):
        take(kind, partial(_listed, kind=kind, allowed=refs.get(kind, [])))
    take("term", _term)
    take("household_units", lambda v: parse_count(v, field="household units"))
    take("leaseholder_units", lambda v: parse_count(v, field="leaseholder units"))
    take("workbook_required", lambda v: parse_bool(True if v is None else v,
                                                   field="workbook required"))
    take("start_date", lambda v: parse_date(v, field="start date"))
    take("end_date", lambda v: parse_optional_date(v, field="end date"))
    for field in CONTACT_FIELDS:  # only those given: a missing one leaves the provider's
        if field in raw:
            take(field, partial(clean_contact, field))
    start, end = clean.get("start_date"), clean.get("end_date")
    if isinstance(start, date) and isinstance(end, date) and end < start:
        errors["end_date"] = "end date is before the start date"
    return form.result()


def _service_ref(value: object) -> str:
    ref = clean_text(value, field="service reference", limit=40)
    if any(ch.isspace() for ch in ref):
        raise ValueError("service reference cannot contain spaces")
    return ref


def _term(value: object) -> str:
    text = clean_text(value, field="term", limit=20).lower()
    aliases = {"short term": "short", "long term": "long", "short-term": "short",
               "long-term": "long"}
    text = aliases.get(text, text)
    if text not in TERMS:
        raise ValueError(f"term must be short or long, got {value!r}")
    return text
