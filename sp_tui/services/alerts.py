"""Logging, updating and importing safeguarding alerts, and extending the list of natures.

Alerts hold references only: there is no field for anyone's name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import sqlite_utils

from sp_tui.domain.cases import validate_alert
from sp_tui.domain.errors import ValidationError
from sp_tui.domain.values import clean_text
from sp_tui.reports.safeguarding import alert_natures
from sp_tui.services.cases import CaseKind, import_cases, log_case, update_case
from sp_tui.store.connection import write
from sp_tui.store.records import audit, now_iso


def _validator(db: sqlite_utils.Database, today: date | None):
    natures = alert_natures(db)
    return lambda raw: validate_alert(raw, natures, today=today)


ALERTS = CaseKind(
    table="safeguarding_alerts",
    entity="alert",
    columns=("ref", "received_date", "nature", "referred_date", "status", "closed_date",
             "officer", "notes"),
    validator=_validator,
    describe=lambda clean: f"{clean['nature']} at {clean['service_ref']},"
                           f" received {clean['received_date']}, {clean['status']}",
)


def log_alert(db: sqlite_utils.Database, fields: Mapping[str, object],
              *, source: str | None = None, today: date | None = None) -> str:
    """Record a new alert; ``fields`` uses domain.cases.ALERT_FIELDS. Returns its id."""
    return log_case(db, ALERTS, fields, source=source, today=today)


def update_alert(db: sqlite_utils.Database, alert_id: str, fields: Mapping[str, object],
                 *, source: str | None = None, today: date | None = None) -> str:
    """Change some of an alert's fields (typically the date referred, or its closing)."""
    return update_case(db, ALERTS, alert_id, fields, source=source, today=today)


def import_alerts(db: sqlite_utils.Database, rows: Iterable[tuple[int, Mapping[str, object]]],
                  *, source: str | None = None, today: date | None = None,
                  **matching) -> dict[str, int]:
    """``matching``: ``mapping`` and ``add_new`` (see import_services). All-or-nothing import
    of new alerts (a reference already recorded is an error)."""
    return import_cases(db, ALERTS, rows, source=source, today=today, **matching)


def add_alert_nature(db: sqlite_utils.Database, value: object,
                     *, source: str | None = None) -> str:
    """Add a nature to the end of the list (it then has its own row in Table 9)."""
    try:
        text = " ".join(clean_text(value, field="nature", limit=100).split())
    except ValueError as exc:
        raise ValidationError({"value": str(exc)}) from None
    if text.casefold() in {n.casefold() for n in alert_natures(db)}:
        raise ValidationError({"value": f"nature {text!r} is already in the list"})
    with write(db):
        db.execute("INSERT INTO alert_natures (value, position, updated_at) VALUES"
                   " (?, (SELECT coalesce(max(position), 0) + 1 FROM alert_natures), ?)",
                   (text, now_iso()))
        audit(db, action="alert_nature.add", entity="alert_nature", entity_id=text,
              summary=f"added alert nature {text!r}", new={"value": text}, source=source)
    return text
