"""Imports that make `export data` -> `import data` faithful for workbook returns: quarter dates
set with `quarter set`, and rejections (the history, and the one awaiting resubmission).
All-or-nothing like the others: every row checked first, errors by row number."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import sqlite_utils

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter, QuarterCalendar, parse_quarter
from sp_tui.domain.values import clean_text, parse_bool, parse_date, parse_optional_date
from sp_tui.domain.workbooks import workbook_id
from sp_tui.services.workbook_imports import Rows, _check_rows, _Context, _Service
from sp_tui.store.connection import write
from sp_tui.store.records import audit_many, new_id, now_iso


def import_quarters(db: sqlite_utils.Database, rows: Rows, *, today: date | None = None,
                    source: str | None = None) -> dict[str, int]:
    """Columns quarter, deadline, default_end."""
    seen: dict[int, int] = {}
    counts = {"quarters": 0, "unchanged": 0}
    stored = {q: (d, e) for q, d, e in db.execute(
        "SELECT quarter, deadline, default_end FROM quarter_calendar")}

    def check(fields: Mapping[str, object], number: int) -> tuple[Quarter, date, date] | None:
        quarter = parse_quarter(str(fields.get("quarter") or ""))
        deadline = parse_date(fields.get("deadline"), field="deadline")
        end = parse_date(fields.get("default_end"), field="default_end")
        try:
            QuarterCalendar(quarter, deadline, end).validate()
        except ValidationError as exc:
            raise ValueError(exc.summary()) from None
        if quarter.number in seen:
            raise ValueError(f"{quarter.label} repeats row {seen[quarter.number]}")
        seen[quarter.number] = number
        if stored.get(quarter.number) == (deadline.isoformat(), end.isoformat()):
            counts["unchanged"] += 1
            return None
        counts["quarters"] += 1
        return quarter, deadline, end

    accepted = _check_rows(rows, check, "quarter")
    stamp = now_iso()
    with write(db):
        db.conn.executemany(
            "INSERT INTO quarter_calendar (quarter, deadline, default_end, updated_at)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (quarter) DO UPDATE SET"
            " deadline = excluded.deadline, default_end = excluded.default_end,"
            " updated_at = excluded.updated_at",
            [(q.number, d.isoformat(), e.isoformat(), stamp) for q, d, e in accepted])
        audit_many(db, [("quarter.import", "quarter", str(q.number),
                         f"{q.label}: deadline {d.isoformat()}, default period ends"
                         f" {e.isoformat()}", {"deadline": d.isoformat(),
                                                "default_end": e.isoformat()}, source)
                        for q, d, e in accepted])
    return counts


def import_rejections(db: sqlite_utils.Database, rows: Rows, *, today: date | None = None,
                      source: str | None = None) -> dict[str, int]:
    """Columns service_ref, quarter, received_date, rejected_on, reason, pending (yes/no),
    undone_at. A rejection already recorded (same workbook, submission and date) is
    skipped; a pending one marks its workbook as awaiting resubmission."""
    ctx = _Context(db, today or date.today())
    existing = {tuple(r) for r in db.execute(
        "SELECT w.service_id, w.quarter, r.received_date, r.rejected_on FROM"
        " workbook_rejections r JOIN workbooks w ON w.id = r.workbook_id")}
    pending_seen: dict[tuple, int] = {}
    counts = {"rejections": 0, "unchanged": 0}

    def check(fields: Mapping[str, object], number: int
              ) -> tuple[_Service, Quarter, date, date, str, date | None, bool] | None:
        service, quarter = ctx.service_and_quarter(fields)
        received = parse_date(fields.get("received_date"), field="received_date")
        rejected = parse_date(fields.get("rejected_on"), field="rejected_on")
        if rejected < received:
            raise ValueError(f"rejected_on {rejected.isoformat()} is before the submission"
                             f" was received ({received.isoformat()})")
        reason = clean_text(fields.get("reason"), field="reason", limit=1000)
        undone = parse_optional_date(fields.get("undone_at"), field="undone_at")
        pending = parse_bool(fields.get("pending"), field="pending")
        if pending:
            key = (service.id, quarter.number)
            if key in pending_seen:
                raise ValueError(f"{service.ref} {quarter.label} has a pending rejection in"
                                 f" row {pending_seen[key]} already")
            pending_seen[key] = number
            stored = ctx.facts(service, quarter)
            if stored["received_date"]:
                raise ValueError(f"{service.ref} {quarter.label} is recorded as received"
                                 f" ({stored['received_date']}): its rejection cannot be"
                                 " pending")
        record = (service.id, quarter.number, received.isoformat(), rejected.isoformat())
        if record in existing:
            counts["unchanged"] += 1
            return None
        existing.add(record)
        counts["rejections"] += 1
        return service, quarter, received, rejected, reason, undone, pending

    accepted = _check_rows(rows, check, "rejection")
    stamp = now_iso()
    with write(db):
        for service, quarter, received, rejected, reason, undone, pending in accepted:
            wid = workbook_id(service.id, quarter.number)
            values = (rejected.isoformat(), reason) if pending else (None, None)
            wid = db.execute(
                "INSERT INTO workbooks (id, service_id, quarter, rejected_on, rejected_reason,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (service_id, quarter) DO UPDATE SET"
                " rejected_on = coalesce(excluded.rejected_on, rejected_on),"
                " rejected_reason = coalesce(excluded.rejected_reason, rejected_reason),"
                " updated_at = excluded.updated_at RETURNING id",
                (wid, service.id, quarter.number, *values, stamp, stamp)).fetchone()[0]
            db.execute(
                "INSERT INTO workbook_rejections (id, workbook_id, received_date, rejected_on,"
                " reason, undone_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (new_id(), wid, received.isoformat(), rejected.isoformat(), reason,
                 undone.isoformat() if undone else None, stamp, stamp))
        audit_many(db, [("rejection.import", "workbook", workbook_id(s.id, q.number),
                         f"{s.ref} {q.label}: submission of {r.isoformat()} rejected"
                         f" {j.isoformat()}", {"reason": why}, source)
                        for s, q, r, j, why, _, _ in accepted])
    return counts
