"""Logging, updating and importing complaints (those that exhausted the provider's own
procedure). Status changes are kept in the audit trail."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import sqlite_utils

from sp_tui.domain.cases import validate_complaint
from sp_tui.services.cases import CaseKind, import_cases, log_case, update_case

COMPLAINTS = CaseKind(
    table="complaints",
    entity="complaint",
    columns=("ref", "received_date", "channel", "summary", "status", "closed_date", "outcome",
             "officer"),
    validator=lambda db, today: lambda raw: validate_complaint(raw, today=today),
    describe=lambda clean: f"{clean['service_ref']}, received {clean['received_date']},"
                           f" {clean['status']}",
)


def log_complaint(db: sqlite_utils.Database, fields: Mapping[str, object],
                  *, source: str | None = None, today: date | None = None) -> str:
    """Record a new complaint; ``fields`` uses domain.cases.COMPLAINT_FIELDS. Returns its id."""
    return log_case(db, COMPLAINTS, fields, source=source, today=today)


def update_complaint(db: sqlite_utils.Database, complaint_id: str,
                     fields: Mapping[str, object], *, source: str | None = None,
                     today: date | None = None) -> str:
    """Change some of a complaint's fields (for example its status, date closed and outcome)."""
    return update_case(db, COMPLAINTS, complaint_id, fields, source=source, today=today)


def import_complaints(db: sqlite_utils.Database,
                      rows: Iterable[tuple[int, Mapping[str, object]]],
                      *, source: str | None = None, today: date | None = None,
                      **matching) -> dict[str, int]:
    """``matching``: ``mapping`` and ``add_new`` (see import_services). All-or-nothing import
    of new complaints (a reference already recorded is an error)."""
    return import_cases(db, COMPLAINTS, rows, source=source, today=today, **matching)
