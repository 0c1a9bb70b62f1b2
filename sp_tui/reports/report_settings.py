"""The report document's title block as recorded (see domain.report_settings)."""

from __future__ import annotations

from datetime import date

import sqlite_utils

from sp_tui.domain.report_settings import ReportSettings


def report_settings(db: sqlite_utils.Database) -> ReportSettings:
    row = db.execute(
        "SELECT addressee, author, report_date, subject, classification, summary"
        " FROM report_settings WHERE id = 'report'").fetchone()
    if row is None:
        return ReportSettings()
    addressee, author, day, subject, classification, summary = row
    return ReportSettings(addressee, author, date.fromisoformat(day) if day else None,
                          subject, classification, summary)
