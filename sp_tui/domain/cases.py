"""Complaints and safeguarding alerts: statuses, what a valid record is, working days.

A complaint is open, concluded, or subject to contractual negotiation with the provider; only
a concluded complaint has a close date. An alert is open until it is closed after
investigation. Every alert must reach a Safeguarding Co-ordinator within 1 working day of
receipt (weekends and England & Wales bank holidays are not working days).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache

import holidays

from sp_tui.domain.errors import Cleaner
from sp_tui.domain.values import clean_text, parse_date, parse_optional_date

OPEN = "open"
CONCLUDED = "concluded"
NEGOTIATION = "contractual negotiation"
CLOSED = "closed"

COMPLAINT_STATUSES = (OPEN, CONCLUDED, NEGOTIATION)
ALERT_STATUSES = (OPEN, CLOSED)

_COMPLAINT_ALIASES = {
    "ongoing": OPEN, "closed": CONCLUDED, "resolved": CONCLUDED, "negotiation": NEGOTIATION,
    "contractual negotiations": NEGOTIATION,
    "subject to contractual negotiation": NEGOTIATION,
    "subject to contractual negotiations": NEGOTIATION,
    "under contractual negotiation": NEGOTIATION,
}
_ALERT_ALIASES = {"ongoing": OPEN, "closed after investigation": CLOSED}

# How a complaint reached the team (blank when not known).
CHANNELS = ("letter", "email", "telephone", "in person", "online form",
            "via councillor or MP", "via another agency", "other")

# The natures the team starts with; the list lives in the alert_natures table and grows.
DEFAULT_NATURES = ("Financial abuse", "Physical abuse", "Sexual abuse", "Psychological abuse",
                   "Neglect", "Discriminatory abuse", "Institutional abuse", "Other")

NOTES_REMINDER = ("References only: never write the names of service users, alleged "
                  "perpetrators or witnesses.")

REFERRAL_WORKING_DAYS = 1

COMPLAINT_FIELDS = ("ref", "service_ref", "received_date", "channel", "summary", "status",
                    "closed_date", "outcome", "officer")
ALERT_FIELDS = ("ref", "service_ref", "received_date", "nature", "referred_date", "status",
                "closed_date", "officer", "notes")


# --- working days ---------------------------------------------------------------------------

@lru_cache(maxsize=256)
def bank_holidays(year: int) -> frozenset[date]:
    """England & Wales bank holidays of a year, substitute days and one-off holidays included
    (from the ``holidays`` package, which tracks the proclamations). Only weekdays: a
    holiday on a weekend is a day off already, and its substitute day is listed."""
    days = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(day for day in days if day.weekday() < 5)


def is_working_day(day: date, *, holidays: bool = True) -> bool:
    if day.weekday() >= 5:
        return False
    return not (holidays and day in bank_holidays(day.year))


def add_working_days(day: date, count: int, *, holidays: bool = True) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself never counts)."""
    if count < 0:
        raise ValueError("count must not be negative")
    while count:
        day += timedelta(days=1)
        if is_working_day(day, holidays=holidays):
            count -= 1
    return day


@lru_cache(maxsize=4096)  # a page of alerts asks for the same few hundred days
def referral_due(received: date, *, holidays: bool = True) -> date:
    """The last day on which an alert received on ``received`` may reach a co-ordinator."""
    return add_working_days(received, REFERRAL_WORKING_DAYS, holidays=holidays)


def referral_overdue(received: date, referred: date | None, today: date,
                     *, holidays: bool = True) -> bool:
    """Not yet referred and the day to refer it by has passed."""
    return referred is None and today > referral_due(received, holidays=holidays)


def referred_late(received: date, referred: date | None, *, holidays: bool = True) -> bool:
    return referred is not None and referred > referral_due(received, holidays=holidays)


def latest_overdue_receipt(today: date, *, holidays: bool = True) -> date:
    """The latest receipt date whose referral is overdue on ``today``: an unreferred alert
    is overdue exactly when it was received on or before this day (lets SQL filter)."""
    day = today - timedelta(days=1)
    while referral_due(day, holidays=holidays) >= today:
        day -= timedelta(days=1)
    return day


# --- validation -----------------------------------------------------------------------------

def parse_complaint_status(value: object) -> str:
    return _status(value, COMPLAINT_STATUSES, _COMPLAINT_ALIASES)


def parse_alert_status(value: object) -> str:
    return _status(value, ALERT_STATUSES, _ALERT_ALIASES)


def _status(value: object, allowed: tuple[str, ...], aliases: Mapping[str, str]) -> str:
    text = " ".join(clean_text(value, field="status", limit=60).lower().split())
    text = aliases.get(text, text)
    if text not in allowed:
        raise ValueError(f"status must be one of: {', '.join(allowed)}; got {value!r}")
    return text


def case_ref(value: object) -> str:
    ref = clean_text(value, field="reference", limit=40)
    if any(ch.isspace() for ch in ref):
        raise ValueError("reference cannot contain spaces")
    return ref


def match_nature(value: object, natures: Iterable[str]) -> str:
    """The listed nature meant by ``value``: its exact name or its first word, any case
    ('financial' is 'Financial abuse')."""
    text = " ".join(clean_text(value, field="nature", limit=100).split()).casefold()
    natures = list(natures)
    for nature in natures:
        if nature.casefold() in (text, f"{text} abuse"):
            return nature
    raise ValueError(f"unknown nature {value!r}; the list holds: {', '.join(natures)}")


def _channel(value: object) -> str:
    text = " ".join(clean_text(value, field="channel", required=False, limit=60).split())
    if not text:
        return ""
    for channel in CHANNELS:
        if channel.casefold() == text.casefold():
            return channel
    raise ValueError(f"channel must be one of: {', '.join(CHANNELS)}; got {value!r}")


class _Cleaner(Cleaner):
    """The checks complaints and alerts share: dates in order, closed when closed."""

    def check_dates(self, today: date | None, closed_label: str) -> None:
        received, closed = self.clean.get("received_date"), self.clean.get("closed_date")
        if received and today and received > today:
            self.errors["received_date"] = f"received date {received} is in the future"
        if received and closed and closed < received:
            self.errors["closed_date"] = (f"{closed_label} {closed} is before the received"
                                          f" date {received}")
        if closed and today and closed > today and "closed_date" not in self.errors:
            self.errors["closed_date"] = f"{closed_label} {closed} is in the future"

    def check_closed_status(self, closed_status: str, closed_label: str) -> None:
        status, closed = self.clean.get("status"), self.clean.get("closed_date")
        if "status" in self.errors or "closed_date" in self.errors:
            return
        if status == closed_status and closed is None:
            self.errors["closed_date"] = f"a {closed_status} record needs its {closed_label}"
        elif status != closed_status and closed is not None:
            self.errors["closed_date"] = (f"only a {closed_status} record has a {closed_label};"
                                          f" this one is {status}")


def validate_complaint(raw: Mapping[str, object], *, today: date | None = None) -> dict:
    """Clean a complaint's fields (COMPLAINT_FIELDS) or raise ValidationError naming each."""
    c = _Cleaner(raw)
    c.take("ref", case_ref)
    c.take("service_ref", lambda v: clean_text(v, field="service reference", limit=40))
    c.take("received_date", lambda v: parse_date(v, field="received date"))
    c.take("channel", _channel)
    c.take("summary", lambda v: clean_text(v, field="summary"))
    c.take("status", lambda v: parse_complaint_status(OPEN if v in (None, "") else v))
    c.take("closed_date", lambda v: parse_optional_date(v, field="date closed"))
    c.take("outcome", lambda v: clean_text(v, field="outcome", required=False))
    c.take("officer", lambda v: clean_text(v, field="officer", required=False, limit=100))
    c.check_dates(today, "date closed")
    c.check_closed_status(CONCLUDED, "date closed")
    return c.result()


def validate_alert(raw: Mapping[str, object], natures: Iterable[str],
                   *, today: date | None = None) -> dict:
    """Clean an alert's fields (ALERT_FIELDS) or raise ValidationError naming each."""
    c = _Cleaner(raw)
    c.take("ref", case_ref)
    c.take("service_ref", lambda v: clean_text(v, field="service reference", limit=40))
    c.take("received_date", lambda v: parse_date(v, field="received date"))
    c.take("nature", lambda v: match_nature(v, natures))
    c.take("referred_date", lambda v: parse_optional_date(v, field="date referred"))
    c.take("status", lambda v: parse_alert_status(OPEN if v in (None, "") else v))
    c.take("closed_date", lambda v: parse_optional_date(v, field="date closed"))
    c.take("officer", lambda v: clean_text(v, field="officer", required=False, limit=100))
    c.take("notes", lambda v: clean_text(v, field="notes", required=False))
    c.check_dates(today, "date closed")
    received, referred = c.clean.get("received_date"), c.clean.get("referred_date")
    if received and referred and referred < received:
        c.errors["referred_date"] = (f"date referred {referred} is before the received date"
                                     f" {received}")
    elif referred and today and referred > today:
        c.errors["referred_date"] = f"date referred {referred} is in the future"
    c.check_closed_status(CLOSED, "date closed")
    return c.result()


_NUMBERED = re.compile(r"(.*?)(\d+)")


def next_case_ref(latest: str | None, latest_quarter: int | None, quarter: int,
                  refs: Iterable[str], letter: str) -> str:
    """The reference to propose for a new complaint or alert: the latest one's pattern with
    the next number (``C-24-003`` -> ``C-24-004``; ``CMP/2009/014`` -> ``CMP/2009/015``). A
    quarter number standing alone in the latest reference follows the quarter received, and
    the numbering starts again at 1 in a new quarter (``C-24-004`` -> ``C-25-001``). With no
    reference yet: ``LETTER-QUARTER-001``. Never one already taken (any case)."""
    match = _NUMBERED.fullmatch(latest or "")
    if match is None:
        prefix, width = (f"{latest}-" if latest else f"{letter}-{quarter}-"), 3
    else:
        prefix, digits = match.groups()
        width = len(digits)
        if latest_quarter is not None and latest_quarter != quarter:
            prefix = re.sub(rf"(?<!\d){latest_quarter}(?!\d)", str(quarter), prefix, count=1)
    taken = {r.casefold() for r in refs}
    pattern = re.compile(re.escape(prefix.casefold()) + r"(\d+)")
    numbers = [int(m.group(1)) for r in taken if (m := pattern.fullmatch(r))]
    number = max(numbers, default=0) + 1
    while f"{prefix}{number:0{width}d}".casefold() in taken:
        number += 1
    return f"{prefix}{number:0{width}d}"
