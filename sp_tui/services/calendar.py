"""Editing a quarter's workbook deadline and default-period end."""

from __future__ import annotations

import sqlite_utils

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter, QuarterCalendar
from sp_tui.domain.values import parse_date
from sp_tui.reports.calendar import calendar_for
from sp_tui.store.connection import write
from sp_tui.store.records import audit, now_iso


def set_quarter_dates(
    db: sqlite_utils.Database, quarter: Quarter, *, deadline: object = None,
    default_end: object = None, source: str | None = None,
) -> QuarterCalendar:
    """Set either date or both; the one not given keeps its current value."""
    current = calendar_for(db, quarter)
    errors = {}
    new_deadline, new_end = current.deadline, current.default_end
    try:
        if deadline is not None:
            new_deadline = parse_date(deadline, field="deadline")
    except ValueError as exc:
        errors["deadline"] = str(exc)
    try:
        if default_end is not None:
            new_end = parse_date(default_end, field="default period end")
    except ValueError as exc:
        errors["default_end"] = str(exc)
    if errors:
        raise ValidationError(errors)
    updated = QuarterCalendar(quarter, new_deadline, new_end)
    updated.validate()
    with write(db):
        db.execute(
            "INSERT INTO quarter_calendar (quarter, deadline, default_end, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (quarter) DO UPDATE SET"
            " deadline = excluded.deadline, default_end = excluded.default_end,"
            " updated_at = excluded.updated_at",
            (quarter.number, new_deadline.isoformat(), new_end.isoformat(), now_iso()),
        )
        audit(
            db, action="quarter.set_dates", entity="quarter", entity_id=str(quarter.number),
            summary=f"{quarter.label}: deadline {new_deadline}, default period ends {new_end}",
            old={"deadline": current.deadline, "default_end": current.default_end},
            new={"deadline": new_deadline, "default_end": new_end}, source=source,
        )
    return updated
