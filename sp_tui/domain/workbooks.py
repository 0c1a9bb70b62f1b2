"""Quarterly performance workbooks: statuses, and the rules for receipts, rejections,
excuses, reminders, default notices and workbook audits. Pure: dates in, answers out."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter, QuarterCalendar
from sp_tui.domain.values import clean_text

# An extended deadline given in a default notice: "reasonable time" to remedy the failing.
DEFAULT_EXTENSION_DAYS = 14
# Defaults over this many quarters put a provider on the default list...
DEFAULT_LIST_QUARTERS = 4
# ...and this many of them flag it for contract review (termination is considered).
CONTRACT_REVIEW_DEFAULTS = 5
ASSURANCES = ("high", "medium", "low")
REASON_LIMIT = 500

# Status keys in the order a reader scans them, with their labels. The SQL in
# reports/workbooks.py computes the same statuses (a test holds the two together).
STATUSES: dict[str, str] = {
    "on_time": "received on time",
    "default_period": "received in default period",
    "late": "received late",
    "excused": "excused",
    "in_default": "in default",
    "reminded": "reminded",
    "rejected": "rejected",
    "overdue": "overdue",
    "outstanding": "outstanding",
}
RECEIVED_STATUSES = ("on_time", "default_period", "late")
# Filters that stand for several statuses (the CLI's --status and the screen's filter).
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "received": RECEIVED_STATUSES,
    "missing": ("overdue", "reminded", "rejected", "in_default", "outstanding"),
}
# How each status reads at a glance: Rich style names, shared by the CLI and the TUI.
STATUS_STYLES: dict[str, str] = {
    "on_time": "bold green",
    "default_period": "green",
    "late": "yellow",
    "excused": "cyan",
    "in_default": "bold white on red",
    "reminded": "magenta",
    "rejected": "bold dark_orange",
    "overdue": "bold red",
    "outstanding": "dim",
}

_NAMESPACE = uuid.UUID("5b0a3c8e-7c1d-4d5e-9a51-2f0c8d3e6b10")


def workbook_id(service_id: str, quarter: int) -> str:
    """The same (service, quarter) gets the same id in every copy of the database, so a merge
    of two copies never makes two records of one workbook."""
    return str(uuid.uuid5(_NAMESPACE, f"{service_id}:{quarter}"))


def is_expected(start: date, end: date | None, required: bool, quarter: Quarter) -> bool:
    """A workbook is due from a service active on the quarter's last day that must report."""
    last = quarter.end
    return bool(required) and start <= last and (end is None or end >= last)


@dataclass(frozen=True)
class WorkbookFacts:
    """What the records say about one expected workbook (dates as ``date``)."""

    received_date: date | None = None
    excused_reason: str | None = None
    excused_on: date | None = None
    rejected_on: date | None = None
    reminders: int = 0          # reminders sent on or before the as-of date
    default_issued: date | None = None  # latest default not withdrawn


def workbook_status(facts: WorkbookFacts, calendar: QuarterCalendar, as_of: date) -> str:
    """The status key of a workbook as of a date (see STATUSES)."""
    received = facts.received_date
    if received is not None and received <= as_of:
        if received <= calendar.deadline:
            return "on_time"
        if received <= calendar.default_end:
            return "default_period"
        return "late"
    if facts.excused_reason and (facts.excused_on is None or facts.excused_on <= as_of):
        return "excused"
    if facts.default_issued is not None and facts.default_issued <= as_of:
        return "in_default"
    if facts.reminders > 0:
        return "reminded"
    if facts.rejected_on is not None and facts.rejected_on <= as_of:
        return "rejected"
    if as_of > calendar.deadline:
        return "overdue"
    return "outstanding"


def parse_status(text: str) -> str:
    """A status key from a key or a label ('overdue', 'in default', 'in_default')."""
    wanted = text.strip().lower().replace("-", " ").replace("_", " ")
    for key, label in STATUSES.items():
        if wanted in (key.replace("_", " "), label):
            return key
    raise ValidationError({"status": f"unknown status {text!r}; use one of: "
                                     + ", ".join(STATUSES)})


def parse_status_filter(text: str) -> tuple[str, ...]:
    """The statuses a filter stands for: a group ('received', 'missing') or one status."""
    wanted = text.strip().lower()
    if wanted in STATUS_GROUPS:
        return STATUS_GROUPS[wanted]
    try:
        return (parse_status(text),)
    except ValidationError:
        raise ValidationError({"status": f"unknown status {text!r}; use one of: "
                               + ", ".join([*STATUS_GROUPS, *STATUSES])}) from None


def clean_reason(value: object, field: str = "reason") -> str:
    try:
        return clean_text(value, field=field, limit=REASON_LIMIT)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from None


def check_receipt_date(received: date, quarter: Quarter, today: date) -> None:
    if received < quarter.start:
        raise ValidationError({"received_date": (
            f"received date {received.isoformat()} is before {quarter.label} began"
            f" ({quarter.start.isoformat()})")})
    if received > today:
        raise ValidationError({"received_date": (
            f"received date {received.isoformat()} is in the future (today is"
            f" {today.isoformat()})")})


def check_not_future(day: date, today: date, field: str, what: str) -> None:
    if day > today:
        raise ValidationError({field: f"{what} {day.isoformat()} is in the future"
                                      f" (today is {today.isoformat()})"})


def reminder_problem(facts: WorkbookFacts, sent: date) -> str | None:
    """Why a reminder dated ``sent`` cannot be recorded, or None."""
    if facts.received_date is not None and facts.received_date <= sent:
        return f"the workbook was already received on {facts.received_date.isoformat()}"
    if facts.excused_reason and (facts.excused_on is None or facts.excused_on <= sent):
        return f"the workbook is excused ({facts.excused_reason})"
    return None


def default_problem(facts: WorkbookFacts, calendar: QuarterCalendar, issued: date) -> str | None:
    """Why a default notice dated ``issued`` cannot be recorded, or None. A workbook that
    arrives after the default period keeps a default issued for it."""
    if issued <= calendar.default_end:
        return (f"a default can only be issued after the default period ends"
                f" ({calendar.default_end.isoformat()}); {issued.isoformat()} is too early")
    if facts.received_date is not None and facts.received_date <= calendar.default_end:
        return (f"the workbook was received on {facts.received_date.isoformat()}, by the end"
                f" of the default period")
    if facts.excused_reason:
        return f"the workbook is excused ({facts.excused_reason})"
    if facts.default_issued is not None:
        return f"a default was already issued on {facts.default_issued.isoformat()}"
    return None


def extended_deadline(issued: date) -> date:
    return issued + timedelta(days=DEFAULT_EXTENSION_DAYS)


def parse_assurance(value: object) -> str:
    text = str(value or "").strip().lower()
    if text not in ASSURANCES:
        raise ValidationError({"assurance": f"assurance must be high, medium or low,"
                                            f" got {value!r}"})
    return text


def default_list_quarters(quarter: Quarter) -> tuple[Quarter, Quarter]:
    """The first and last quarter of the provider default list ending at ``quarter``."""
    first = max(1, quarter.number - DEFAULT_LIST_QUARTERS + 1)
    return Quarter(first), quarter
