"""Editing the report document's title block (`sp-tui report settings`)."""

from __future__ import annotations

import sqlite_utils

from sp_tui.domain.report_settings import FIELD_NAMES, ReportSettings, apply_changes
from sp_tui.reports.report_settings import report_settings
from sp_tui.store.connection import write
from sp_tui.store.records import audit, now_iso


def _values(settings: ReportSettings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in FIELD_NAMES}


def save_report_settings(db: sqlite_utils.Database, changes: dict[str, object], *,
                         source: str | None = None) -> ReportSettings:
    """Change the fields given (None: unchanged; "": back to the default). Validates every
    field first; nothing is written on bad input."""
    current = report_settings(db)
    updated = apply_changes(current, changes)
    if updated == current:
        return current
    row = _values(updated)
    row["report_date"] = updated.report_date.isoformat() if updated.report_date else None
    with write(db):
        db.execute(
            "INSERT INTO report_settings (id, addressee, author, report_date, subject,"
            " classification, summary, updated_at) VALUES ('report', :addressee, :author,"
            " :report_date, :subject, :classification, :summary, :now) ON CONFLICT (id) DO"
            " UPDATE SET addressee = excluded.addressee, author = excluded.author,"
            " report_date = excluded.report_date, subject = excluded.subject,"
            " classification = excluded.classification, summary = excluded.summary,"
            " updated_at = excluded.updated_at", {**row, "now": now_iso()})
        old, new = _values(current), _values(updated)
        changed = [name for name in FIELD_NAMES if old[name] != new[name]]
        audit(db, action="report.settings", entity="report_settings", entity_id="report",
              summary="Report title block: " + ", ".join(changed),
              old={k: old[k] for k in changed}, new={k: new[k] for k in changed}, source=source)
    return updated
