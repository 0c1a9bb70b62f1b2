"""All-or-nothing imports of the team's workbook history: receipts (and excuses), reminders
and default notices. Every row is checked first; any error aborts the file with every error
listed by row number. Rows already recorded with the same values are skipped, so importing a
file twice changes nothing the second time."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypedDict, TypeVar

import sqlite_utils

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.domain.quarters import Quarter, QuarterCalendar, parse_quarter
from sp_tui.domain.values import clean_text, parse_date, parse_optional_date
from sp_tui.domain.workbooks import (
    REASON_LIMIT, WorkbookFacts, check_not_future, check_receipt_date, default_problem,
    extended_deadline, is_expected, parse_assurance, reminder_problem, workbook_id,
)
from sp_tui.imports.matching import Resolution
from sp_tui.reports.calendar import calendar_for
from sp_tui.services.import_lists import match_rows, save_matches
from sp_tui.store.connection import write
from sp_tui.store.records import audit_many, new_id, now_iso

Rows = Iterable[tuple[int, Mapping[str, object]]]
T = TypeVar("T")


class StoredFacts(TypedDict):
    """A workbook's stored state for (service, quarter), as _Context.facts gives it."""
    received_date: str | None
    excused_reason: str | None
    excused_on: str | None
    rejected_on: str | None
    reminders: set[str]
    default: str | None


def _no_facts() -> StoredFacts:
    return {"received_date": None, "excused_reason": None, "excused_on": None,
            "rejected_on": None, "reminders": set(), "default": None}


@dataclass(frozen=True)
class _Service:
    id: str
    ref: str
    required: bool
    start: date
    end: date | None


class _Context:
    """What every row is checked against, loaded once per file."""

    def __init__(self, db: sqlite_utils.Database, today: date) -> None:
        self.db = db
        self.today = today
        self.services = {
            ref.casefold(): _Service(sid, ref, bool(req), date.fromisoformat(start),
                                     date.fromisoformat(end) if end else None)
            for sid, ref, req, start, end in db.execute(
                "SELECT id, service_ref, workbook_required, start_date, end_date FROM services")}
        self._calendars: dict[int, QuarterCalendar] = {}
        self._facts: dict[int, dict[str, StoredFacts]] = {}

    def calendar(self, quarter: Quarter) -> QuarterCalendar:
        if quarter.number not in self._calendars:
            self._calendars[quarter.number] = calendar_for(self.db, quarter)
        return self._calendars[quarter.number]

    def service_and_quarter(self, fields: Mapping[str, object]) -> tuple[_Service, Quarter]:
        """The row's service, due a workbook in the row's quarter, or ValueError."""
        ref = str(fields.get("service_ref") or "").strip()
        if not ref:
            raise ValueError("service_ref is required")
        service = self.services.get(ref.casefold())
        if service is None:
            raise ValueError(f"unknown service reference {ref!r}")
        raw_quarter = fields.get("quarter")
        if isinstance(raw_quarter, float) and raw_quarter.is_integer():
            raw_quarter = int(raw_quarter)
        if raw_quarter is None or not str(raw_quarter).strip():
            raise ValueError("quarter is required")
        quarter = parse_quarter(raw_quarter if isinstance(raw_quarter, int) else str(raw_quarter))
        if not is_expected(service.start, service.end, service.required, quarter):
            why = ("does not have to return workbooks" if not service.required
                   else "was not active then")
            raise ValueError(f"{service.ref} is not due a workbook for {quarter.label}: it {why}")
        return service, quarter

    def facts(self, service: _Service, quarter: Quarter) -> StoredFacts:
        """The stored workbook, reminder dates and defaults in force for (service, quarter)."""
        if quarter.number not in self._facts:
            by_service: dict[str, StoredFacts] = {}

            def entry(sid: str) -> StoredFacts:
                if sid not in by_service:
                    by_service[sid] = _no_facts()
                return by_service[sid]
            for sid, received, reason, excused_on, rejected_on in self.db.execute(
                    "SELECT service_id, received_date, excused_reason, excused_on, rejected_on"
                    " FROM workbooks WHERE quarter = ?", (quarter.number,)):
                facts = entry(sid)
                facts["received_date"], facts["excused_reason"] = received, reason
                facts["excused_on"], facts["rejected_on"] = excused_on, rejected_on
            for sid, sent in self.db.execute(
                    "SELECT service_id, sent_date FROM workbook_reminders WHERE quarter = ?",
                    (quarter.number,)):
                entry(sid)["reminders"].add(sent)
            for sid, issued in self.db.execute(
                    "SELECT service_id, max(issued_date) FROM workbook_defaults WHERE quarter = ?"
                    " AND withdrawn_date IS NULL GROUP BY service_id", (quarter.number,)):
                entry(sid)["default"] = issued
            self._facts[quarter.number] = by_service
        return self._facts[quarter.number].get(service.id) or _no_facts()


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _as_facts(stored: StoredFacts) -> WorkbookFacts:
    return WorkbookFacts(received_date=_day(stored["received_date"]),
                         excused_reason=stored["excused_reason"],
                         excused_on=_day(stored["excused_on"]),
                         rejected_on=_day(stored["rejected_on"]),
                         reminders=len(stored["reminders"]),
                         default_issued=_day(stored["default"]))


def _check_rows(rows: Rows, check: Callable[[Mapping[str, object], int], T | None],
                what: str, matched: Resolution | None = None) -> list[T]:
    """Run ``check`` on every row, collecting (row, message) errors; None means skip.
    ``matched``: values not in their lists, reported once (imports/matching.py)."""
    errors: list[tuple[int, str]] = []
    accepted: list[T] = []
    seen = 0
    for number, fields in rows:
        seen += 1
        try:
            result = check(fields, number)
        except ValidationError as exc:
            errors.extend(matched.row_errors(number, exc) if matched else
                          [(number, message) for message in exc.errors.values()])
            continue
        except ValueError as exc:
            errors.append((number, str(exc)))
            continue
        if result is not None:
            accepted.append(result)
    if matched:
        matched.check(errors)
    if errors:
        raise ImportFailed(errors)
    if not seen:
        raise ImportFailed([(0, f"the file holds no {what} rows")])
    return accepted


def import_workbooks(db: sqlite_utils.Database, rows: Rows, *, today: date | None = None,
                     source: str | None = None) -> dict[str, int]:
    """Columns service_ref, quarter, received_date (blank: not received), excused (blank or
    the reason)."""
    ctx = _Context(db, today or date.today())
    keys: dict[tuple[str, int], int] = {}
    counts = {"received": 0, "excused": 0, "unchanged": 0, "not_received": 0}

    def check(fields: Mapping[str, object], number: int
              ) -> tuple[_Service, Quarter, tuple[str | None, str | None]] | None:
        service, quarter = ctx.service_and_quarter(fields)
        received = parse_optional_date(fields.get("received_date"), field="received_date")
        if received:
            check_receipt_date(received, quarter, ctx.today)
        reason = clean_text(fields.get("excused"), field="excused", required=False,
                            limit=REASON_LIMIT) or None
        key = (service.id, quarter.number)
        if key in keys:
            raise ValueError(f"{service.ref} {quarter.label} repeats row {keys[key]}")
        keys[key] = number
        stored = ctx.facts(service, quarter)
        new = (received.isoformat() if received else None, reason)
        old = (stored["received_date"], stored["excused_reason"])
        if new == (None, None) and old == new:
            counts["not_received"] += 1
            return None
        if new == old:
            counts["unchanged"] += 1
            return None
        if old != (None, None) or stored["rejected_on"]:
            raise ValueError(
                f"{service.ref} {quarter.label} is already recorded (received"
                f" {old[0] or 'no'}, excused {old[1] or 'no'}): change it in the app")
        if stored["default"] and reason:
            raise ValueError(f"{service.ref} {quarter.label} has a default issued on"
                             f" {stored['default']}: withdraw it before excusing")
        counts["received" if received else "excused"] += 1
        return service, quarter, new

    accepted = _check_rows(rows, check, "workbook")
    stamp = now_iso()
    with write(db):
        db.conn.executemany(
            "INSERT INTO workbooks (id, service_id, quarter, received_date, excused_reason,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (service_id, quarter) DO UPDATE SET"
            " received_date = excluded.received_date, excused_reason = excluded.excused_reason,"
            " updated_at = excluded.updated_at",
            [(workbook_id(s.id, q.number), s.id, q.number, received, reason, stamp, stamp)
             for s, q, (received, reason) in accepted])
        audit_many(db, [
            ("workbook.import", "workbook", workbook_id(s.id, q.number),
             f"{s.ref} {q.label}: " + (f"received {received}" if received else "not received")
             + (f", excused: {reason}" if reason else ""),
             {"service_ref": s.ref, "quarter": q.number, "received_date": received,
              "excused": reason}, source) for s, q, (received, reason) in accepted])
    return counts


def import_reminders(db: sqlite_utils.Database, rows: Rows, *, today: date | None = None,
                     source: str | None = None) -> dict[str, int]:
    """Columns service_ref, quarter, sent_date. A service may be reminded more than once,
    but a reminder cannot follow the workbook's receipt or its excuse."""
    ctx = _Context(db, today or date.today())
    keys: dict[tuple[str, int, str], int] = {}
    counts = {"reminders": 0, "unchanged": 0}

    def check(fields: Mapping[str, object], number: int) -> tuple[_Service, Quarter, str] | None:
        service, quarter = ctx.service_and_quarter(fields)
        sent = parse_date(fields.get("sent_date"), field="sent_date")
        check_not_future(sent, ctx.today, "sent_date", "sent_date")
        if sent < quarter.start:
            raise ValueError(f"sent_date {sent.isoformat()} is before {quarter.label} began")
        key = (service.id, quarter.number, sent.isoformat())
        if key in keys:
            raise ValueError(f"{service.ref} {quarter.label} reminder of {sent.isoformat()}"
                             f" repeats row {keys[key]}")
        keys[key] = number
        stored = ctx.facts(service, quarter)
        problem = reminder_problem(_as_facts(stored), sent)
        if problem:
            raise ValueError(f"no reminder for {service.ref} {quarter.label} on"
                             f" {sent.isoformat()}: {problem}")
        if sent.isoformat() in stored["reminders"]:
            counts["unchanged"] += 1
            return None
        counts["reminders"] += 1
        return service, quarter, sent.isoformat()

    accepted = _check_rows(rows, check, "reminder")
    stamp = now_iso()
    records = [(new_id(), s, q, sent) for s, q, sent in accepted]
    with write(db):
        db.conn.executemany(
            "INSERT INTO workbook_reminders (id, service_id, quarter, sent_date, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            [(rid, s.id, q.number, sent, stamp, stamp) for rid, s, q, sent in records])
        audit_many(db, [
            ("reminder.import", "workbook_reminder", rid, f"{s.ref} {q.label}: reminder {sent}",
             {"service_ref": s.ref, "quarter": q.number, "sent_date": sent}, source)
            for rid, s, q, sent in records])
    return counts


def import_defaults(db: sqlite_utils.Database, rows: Rows, *, today: date | None = None,
                    source: str | None = None) -> dict[str, int]:
    """Columns service_ref, quarter, issued_date, and optionally withdrawn_date and
    withdrawn_reason. A default needs the workbook to have been missing at the end of the
    default period, and not excused; a withdrawn one (its record kept, out of the counts) may
    stand beside the default in force."""
    ctx = _Context(db, today or date.today())
    keys: dict[tuple, int] = {}
    counts = {"defaults": 0, "unchanged": 0}
    recorded = {tuple(r) for r in db.execute(
        "SELECT service_id, quarter, issued_date, withdrawn_date FROM workbook_defaults")}

    def check(fields: Mapping[str, object], number: int
              ) -> tuple[_Service, Quarter, date, date | None, str | None] | None:
        service, quarter = ctx.service_and_quarter(fields)
        issued = parse_date(fields.get("issued_date"), field="issued_date")
        check_not_future(issued, ctx.today, "issued_date", "issued_date")
        withdrawn = parse_optional_date(fields.get("withdrawn_date"), field="withdrawn_date")
        reason = clean_text(fields.get("withdrawn_reason"), field="withdrawn_reason",
                            required=False) or None
        if (withdrawn is None) != (reason is None):
            raise ValueError("a withdrawn default needs both withdrawn_date and"
                             " withdrawn_reason")
        if withdrawn is not None and withdrawn < issued:
            raise ValueError(f"withdrawn_date {withdrawn.isoformat()} is before the default"
                             f" was issued ({issued.isoformat()})")
        key = (service.id, quarter.number) if withdrawn is None else \
            (service.id, quarter.number, issued.isoformat())
        if key in keys:
            raise ValueError(f"{service.ref} {quarter.label} repeats row {keys[key]}")
        keys[key] = number
        if (service.id, quarter.number, issued.isoformat(),
                withdrawn.isoformat() if withdrawn else None) in recorded:
            counts["unchanged"] += 1
            return None
        if withdrawn is None:
            stored = ctx.facts(service, quarter)
            problem = default_problem(_as_facts(stored), ctx.calendar(quarter), issued)
            if problem:
                raise ValueError(f"no default for {service.ref} {quarter.label}: {problem}")
        counts["defaults"] += 1
        return service, quarter, issued, withdrawn, reason

    accepted = _check_rows(rows, check, "default")
    stamp = now_iso()
    records = [(new_id(), *row) for row in accepted]
    with write(db):
        db.conn.executemany(
            "INSERT INTO workbook_defaults (id, service_id, quarter, issued_date,"
            " extended_deadline, withdrawn_date, withdrawn_reason, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(did, s.id, q.number, issued.isoformat(), extended_deadline(issued).isoformat(),
              withdrawn.isoformat() if withdrawn else None, reason, stamp, stamp)
             for did, s, q, issued, withdrawn, reason in records])
        audit_many(db, [
            ("default.import", "workbook_default", did,
             f"{s.ref} {q.label}: default issued {issued.isoformat()}"
             + (f", withdrawn {withdrawn.isoformat()}" if withdrawn else ""),
             {"service_ref": s.ref, "quarter": q.number, "issued_date": issued.isoformat(),
              "withdrawn_date": withdrawn.isoformat() if withdrawn else None}, source)
            for did, s, q, issued, withdrawn, reason in records])
    return counts


def import_audits(db: sqlite_utils.Database, rows: Rows, *, today: date | None = None,
                  source: str | None = None,
                  mapping: Mapping[str, Mapping[str, str]] | None = None,
                  add_new: Iterable[str] = ()) -> dict[str, int]:
    """Columns service_ref, quarter, audit_date, officer, assurance (high/medium/low), notes.
    A row identical to an audit already recorded is skipped."""
    ctx = _Context(db, today or date.today())
    existing = {tuple(r) for r in db.execute(
        "SELECT service_id, quarter, audit_date, officer, assurance FROM workbook_audits")}
    counts = {"audits": 0, "unchanged": 0}

    def check(fields: Mapping[str, object], number: int
              ) -> tuple[_Service, Quarter, date, str, str, str] | None:
        service, quarter = ctx.service_and_quarter(fields)
        day = parse_date(fields.get("audit_date"), field="audit_date")
        if day < quarter.start:
            raise ValueError(f"audit_date {day.isoformat()} is before {quarter.label} began")
        check_not_future(day, ctx.today, "audit_date", "audit_date")
        officer = clean_text(fields.get("officer"), field="officer", limit=200)
        assurance = parse_assurance(fields.get("assurance"))
        notes = clean_text(fields.get("notes"), field="notes", required=False)
        key = (service.id, quarter.number, day.isoformat(), officer, assurance)
        if key in existing:
            counts["unchanged"] += 1
            return None
        existing.add(key)
        counts["audits"] += 1
        return service, quarter, day, officer, assurance, notes

    matched = match_rows(db, "audits", rows, mapping, add_new)
    accepted = _check_rows(matched.rows, check, "audit", matched)
    stamp = now_iso()
    records = [(new_id(), *row) for row in accepted]
    with write(db):
        save_matches(db, matched, source=source)
        db.conn.executemany(
            "INSERT INTO workbook_audits (id, service_id, quarter, audit_date, officer,"
            " assurance, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(aid, s.id, q.number, day.isoformat(), officer, assurance, notes, stamp, stamp)
             for aid, s, q, day, officer, assurance, notes in records])
        audit_many(db, [
            ("workbook_audit.import", "workbook_audit", aid,
             f"{s.ref} {q.label}: workbook audit, {assurance} assurance",
             {"service_ref": s.ref, "quarter": q.number, "audit_date": day.isoformat(),
              "officer": officer, "assurance": assurance}, source)
            for aid, s, q, day, officer, assurance, notes in records])
    return counts
