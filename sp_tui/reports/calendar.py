"""The quarter calendar as stored: edited dates where set, the domain defaults elsewhere."""

from __future__ import annotations

from datetime import date

import sqlite_utils

from sp_tui.domain.quarters import Quarter, QuarterCalendar


def calendar_for(db: sqlite_utils.Database, quarter: Quarter) -> QuarterCalendar:
    row = db.execute(
        "SELECT deadline, default_end FROM quarter_calendar WHERE quarter = ?", (quarter.number,)
    ).fetchone()
    if row is None:
        return QuarterCalendar.default(quarter)
    return QuarterCalendar(quarter, date.fromisoformat(row[0]), date.fromisoformat(row[1]))


def is_custom(db: sqlite_utils.Database, quarter: Quarter) -> bool:
    return db.execute(
        "SELECT 1 FROM quarter_calendar WHERE quarter = ?", (quarter.number,)
    ).fetchone() is not None


def working_quarter(db: sqlite_utils.Database, today: date) -> Quarter:
    """The quarter to open on: the latest planned quarter that has closed by ``today``,
    else the quarter before today's."""
    from sp_tui.domain.quarters import quarter_of

    current = quarter_of(today)
    row = db.execute("SELECT max(quarter) FROM quarter_calendar WHERE quarter < ?",
                     (current.number,)).fetchone()
    return Quarter(row[0]) if row and row[0] else current.previous()
