"""Actions on one workbook: receive, reject, excuse, undo; withdraw a default; record a
workbook audit. Each validates first, then writes in one transaction with its audit row."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.domain.values import clean_text, parse_date
from sp_tui.domain.workbooks import (
    check_not_future, check_receipt_date, clean_reason, is_expected, parse_assurance,
    workbook_id,
)
from sp_tui.services.registry import service_by_ref
from sp_tui.store.connection import write
from sp_tui.store.records import audit, new_id, now_iso

TRACKED = ("received_date", "excused_reason", "excused_on", "rejected_on", "rejected_reason")


@dataclass(frozen=True)
class WorkbookChange:
    """What one action changed, so that it can be undone."""

    action: str
    workbook_id: str
    service_ref: str
    quarter: int
    before: dict
    after: dict
    summary: str
    rejection_id: str | None = None


def parse_day(value: object, today: date, field: str, what: str) -> date:
    """A date given by the user, or today when none is given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return today
    try:
        return parse_date(value, field=what)
    except ValueError as exc:
        raise ValidationError({field: str(exc)}) from None


def expected_service(db: sqlite_utils.Database, service_ref: str, quarter: Quarter) -> dict:
    """The service, which must be due a workbook for the quarter."""
    service = service_by_ref(db, service_ref)
    start = date.fromisoformat(service["start_date"])
    end = date.fromisoformat(service["end_date"]) if service["end_date"] else None
    if not is_expected(start, end, bool(service["workbook_required"]), quarter):
        why = ("does not have to return workbooks" if not service["workbook_required"]
               else "was not active then")
        raise ValidationError({"service_ref": (
            f"{service['service_ref']} is not due a workbook for {quarter.label}: it {why}")})
    return service


def tracked(db: sqlite_utils.Database, service_id: str, quarter: Quarter) -> dict:
    row = db.execute(f"SELECT {', '.join(TRACKED)} FROM workbooks"
                     " WHERE service_id = ? AND quarter = ?",
                     (service_id, quarter.number)).fetchone()
    return dict(zip(TRACKED, row or (None,) * len(TRACKED)))


def _store(db: sqlite_utils.Database, service_id: str, quarter: Quarter, values: dict) -> str:
    """Insert or update the workbook's row (call inside ``write``). Returns the stored row's
    id: a merge may have given the service another key since the row was derived."""
    wid, stamp = workbook_id(service_id, quarter.number), now_iso()
    return db.execute(
        f"INSERT INTO workbooks (id, service_id, quarter, {', '.join(TRACKED)}, created_at,"
        f" updated_at) VALUES (?, ?, ?, {', '.join('?' * len(TRACKED))}, ?, ?)"
        f" ON CONFLICT (service_id, quarter) DO UPDATE SET"
        f" {', '.join(f'{c} = excluded.{c}' for c in TRACKED)}, updated_at = excluded.updated_at"
        " RETURNING id",
        (wid, service_id, quarter.number, *(values[c] for c in TRACKED), stamp, stamp)
    ).fetchone()[0]


@dataclass(frozen=True)
class _Decision:
    action: str
    after: dict
    summary: str
    rejection: tuple | None = None   # (received_date, rejected_on, reason)


def _apply(db, service: dict, quarter: Quarter, decide, source: str | None) -> WorkbookChange:
    """Read the workbook and decide inside one BEGIN IMMEDIATE transaction, so that a second
    officer's change cannot slip in between the check and the write. ``decide(before)``
    returns a _Decision or raises ValidationError (then nothing is written)."""
    with write(db):
        before = tracked(db, service["id"], quarter)
        decision: _Decision = decide(before)
        wid = _store(db, service["id"], quarter, decision.after)
        rejection_id = None
        if decision.rejection:
            rejection_id, stamp = new_id(), now_iso()
            db.execute(
                "INSERT INTO workbook_rejections (id, workbook_id, received_date, rejected_on,"
                " reason, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (rejection_id, wid, *decision.rejection, stamp, stamp))
        audit(db, action=f"workbook.{decision.action}", entity="workbook", entity_id=wid,
              summary=decision.summary, old=before, new=decision.after, source=source)
    return WorkbookChange(decision.action, wid, service["service_ref"], quarter.number, before,
                          decision.after, decision.summary, rejection_id)


def receive_workbook(db: sqlite_utils.Database, service_ref: str, quarter: Quarter,
                     received: object = None, *, today: date | None = None,
                     source: str | None = None) -> WorkbookChange:
    """Mark a workbook received (today unless dated). After a rejection this records the
    resubmission, whose date is what counts from then on."""
    today = today or date.today()
    day = parse_day(received, today, "received_date", "received date")
    service = expected_service(db, service_ref, quarter)
    check_receipt_date(day, quarter, today)
    ref = service["service_ref"]

    def decide(before: dict) -> _Decision:
        if before["received_date"]:
            raise ValidationError({"received_date": (
                f"{ref}'s workbook for {quarter.label} was already received on"
                f" {before['received_date']}; reject it first to record a resubmission")})
        if before["rejected_on"] and day.isoformat() < before["rejected_on"]:
            raise ValidationError({"received_date": (
                f"a resubmission cannot be dated before the rejection"
                f" ({before['rejected_on']})")})
        resubmission = bool(before["rejected_on"])
        return _Decision(
            "resubmit" if resubmission else "receive",
            before | {"received_date": day.isoformat(), "rejected_on": None,
                      "rejected_reason": None},
            f"{ref} {quarter.label}: {'resubmission' if resubmission else 'workbook'}"
            f" received {day.isoformat()}")

    return _apply(db, service, quarter, decide, source)


def reject_workbook(db: sqlite_utils.Database, service_ref: str, quarter: Quarter,
                    reason: object, rejected_on: object = None, *, today: date | None = None,
                    source: str | None = None) -> WorkbookChange:
    """Reject a received workbook (incomplete or wrong): it must be resubmitted."""
    today = today or date.today()
    text = clean_reason(reason)
    day = parse_day(rejected_on, today, "rejected_on", "rejection date")
    check_not_future(day, today, "rejected_on", "rejection date")
    service = service_by_ref(db, service_ref)
    ref = service["service_ref"]

    def decide(before: dict) -> _Decision:
        received = before["received_date"]
        if not received:
            raise ValidationError({"": f"{ref}'s workbook for {quarter.label} has not been"
                                       " received: there is nothing to reject"})
        if day.isoformat() < received:
            raise ValidationError({"rejected_on": (
                f"the rejection date {day.isoformat()} is before the workbook was received"
                f" ({received})")})
        return _Decision(
            "reject",
            before | {"received_date": None, "rejected_on": day.isoformat(),
                      "rejected_reason": text},
            f"{ref} {quarter.label}: workbook received {received} rejected: {text}",
            (received, day.isoformat(), text))

    return _apply(db, service, quarter, decide, source)


def excuse_workbook(db: sqlite_utils.Database, service_ref: str, quarter: Quarter,
                    reason: object, excused_on: object = None, *, today: date | None = None,
                    source: str | None = None) -> WorkbookChange:
    """Excuse a workbook (a failure outside the provider's control): it never gets a
    default."""
    today = today or date.today()
    text = clean_reason(reason)
    day = parse_day(excused_on, today, "excused_on", "excuse date")
    service = expected_service(db, service_ref, quarter)
    check_not_future(day, today, "excused_on", "excuse date")
    ref = service["service_ref"]

    def decide(before: dict) -> _Decision:
        if before["received_date"]:
            raise ValidationError({"": f"{ref}'s workbook for {quarter.label} was received"
                                       f" on {before['received_date']}: there is nothing to"
                                       " excuse"})
        if before["excused_reason"]:
            raise ValidationError({"": f"{ref}'s workbook for {quarter.label} is already"
                                       f" excused ({before['excused_reason']})"})
        issued = db.execute(
            "SELECT max(issued_date) FROM workbook_defaults WHERE service_id = ?"
            " AND quarter = ? AND withdrawn_date IS NULL",
            (service["id"], quarter.number)).fetchone()[0]
        if issued:
            raise ValidationError({"": f"a default was issued for {ref} on {issued}: withdraw"
                                       " it first (its record is kept)"})
        return _Decision("excuse", before | {"excused_reason": text,
                                             "excused_on": day.isoformat()},
                         f"{ref} {quarter.label}: excused: {text}")

    return _apply(db, service, quarter, decide, source)


def undo_change(db: sqlite_utils.Database, change: WorkbookChange, *,
                source: str | None = None) -> str:
    """Put the workbook back as it was before ``change``, if nothing changed it since."""
    quarter = Quarter(change.quarter)
    # Name the record first: the undone change may be on a record no longer on screen.
    head = f"{change.service_ref} {quarter.label}: "
    what = change.summary[len(head):] if change.summary.startswith(head) else change.summary
    summary = f"{head}undone ({what})"
    with write(db):  # the check and the write in one transaction
        row = db.execute("SELECT service_id FROM workbooks WHERE id = ?",
                         (change.workbook_id,)).fetchone()
        if row is None or tracked(db, row[0], quarter) != change.after:
            raise ValidationError({"": f"{change.service_ref}'s workbook for {quarter.label}"
                                       " has changed since; nothing was undone"})
        _store(db, row[0], quarter, change.before)
        if change.rejection_id:
            stamp = now_iso()
            db.execute("UPDATE workbook_rejections SET undone_at = ?, updated_at = ?"
                       " WHERE id = ?", (stamp, stamp, change.rejection_id))
        audit(db, action="workbook.undo", entity="workbook", entity_id=change.workbook_id,
              summary=summary, old=change.after, new=change.before, source=source)
    return summary


@dataclass(frozen=True)
class WorkbookBatch:
    """Several workbooks received in one action (one transaction, one undo)."""

    changes: tuple[WorkbookChange, ...]
    summary: str


def split_refs(values: Iterable[str]) -> list[str]:
    """Service references as typed or pasted: separated by spaces, commas, semicolons or
    new lines; repeats (any case) dropped."""
    refs: list[str] = []
    seen: set[str] = set()
    for value in values:
        for ref in re.split(r"[\s,;]+", str(value)):
            if ref and ref.casefold() not in seen:
                seen.add(ref.casefold())
                refs.append(ref)
    return refs


class _Refused(Exception):
    pass


class _DryRun(Exception):
    def __init__(self, batch: WorkbookBatch) -> None:
        super().__init__()
        self.batch = batch


def receive_workbooks(db: sqlite_utils.Database, service_refs: Iterable[str], quarter: Quarter,
                      received: object = None, *, today: date | None = None,
                      source: str | None = None, dry_run: bool = False) -> WorkbookBatch:
    """Mark several workbooks received, all or none: any refusal (unknown reference, already
    received...) is listed by reference and nothing is written. ``dry_run``: every check and
    the batch's summary, then rolled back (the app's confirmation shows it)."""
    refs = split_refs(service_refs)
    if not refs:
        raise ValidationError({"service_refs": "give at least one service reference"})
    if len(refs) == 1 and not dry_run:
        change = receive_workbook(db, refs[0], quarter, received, today=today, source=source)
        return WorkbookBatch((change,), change.summary)
    errors: dict[str, str] = {}
    changes: list[WorkbookChange] = []
    try:
        with write(db):
            for ref in refs:
                try:
                    changes.append(receive_workbook(db, ref, quarter, received, today=today,
                                                    source=source))
                except ValidationError as exc:
                    errors[ref] = "; ".join(exc.errors.values())
            if errors:
                raise _Refused
            day = changes[0].after["received_date"]
            summary = (changes[0].summary if len(changes) == 1 else
                       f"{len(changes)} workbooks for {quarter.label} received {day}: "
                       + ", ".join(c.service_ref for c in changes))
            if dry_run:
                raise _DryRun(WorkbookBatch(tuple(changes), summary))
            audit(db, action="workbook.receive_batch", entity="quarter",
                  entity_id=str(quarter.number), summary=summary, source=source)
    except _Refused:
        raise ValidationError(errors) from None
    except _DryRun as dry:
        return dry.batch
    return WorkbookBatch(tuple(changes), summary)


def undo_batch(db: sqlite_utils.Database, batch: WorkbookBatch, *,
               source: str | None = None) -> str:
    """Undo every change of a batch in one transaction, or none if any record changed since."""
    if len(batch.changes) == 1:
        return undo_change(db, batch.changes[0], source=source)
    with write(db):
        for change in reversed(batch.changes):
            undo_change(db, change, source=source)
    return f"undone: {batch.summary}"


def withdraw_default(db: sqlite_utils.Database, service_ref: str, quarter: Quarter,
                     reason: object, withdrawn: object = None, *, today: date | None = None,
                     source: str | None = None) -> str:
    """Withdraw a default issued unduly: it leaves the counts and the default list, and its
    record is kept with the reason."""
    today = today or date.today()
    text = clean_reason(reason)
    day = parse_day(withdrawn, today, "withdrawn_date", "withdrawal date")
    check_not_future(day, today, "withdrawn_date", "withdrawal date")
    service = service_by_ref(db, service_ref)
    ref = service["service_ref"]
    with write(db):
        row = db.execute(
            "SELECT id, issued_date FROM workbook_defaults WHERE service_id = ? AND quarter = ?"
            " AND withdrawn_date IS NULL ORDER BY issued_date DESC LIMIT 1",
            (service["id"], quarter.number)).fetchone()
        if row is None:
            raise ValidationError({"": f"{ref} has no default in force for {quarter.label}"})
        default_id, issued = row
        if day.isoformat() < issued:
            raise ValidationError({"withdrawn_date": (
                f"the withdrawal date {day.isoformat()} is before the default was issued"
                f" ({issued})")})
        db.execute("UPDATE workbook_defaults SET withdrawn_date = ?, withdrawn_reason = ?,"
                   " updated_at = ? WHERE id = ?", (day.isoformat(), text, now_iso(), default_id))
        summary = f"{ref} {quarter.label}: default of {issued} withdrawn: {text}"
        audit(db, action="default.withdraw", entity="workbook_default", entity_id=default_id,
              summary=summary, old={"withdrawn_date": None, "withdrawn_reason": None},
              new={"withdrawn_date": day.isoformat(), "withdrawn_reason": text}, source=source)
    return summary


def record_workbook_audit(db: sqlite_utils.Database, service_ref: str, quarter: Quarter, *,
                          audit_date: object, officer: object, assurance: object,
                          notes: object = "", today: date | None = None,
                          source: str | None = None) -> str:
    """Record an audit of a service's workbook for a quarter (assurance high/medium/low)."""
    today = today or date.today()
    errors: dict[str, str] = {}
    fields: dict[str, object] = {}
    for name, parse in (
            ("audit_date", lambda: parse_day(audit_date, today, "audit_date", "audit date")),
            ("officer", lambda: clean_text(officer, field="officer", limit=200)),
            ("assurance", lambda: parse_assurance(assurance)),
            ("notes", lambda: clean_text(notes, field="notes", required=False))):
        try:
            fields[name] = parse()
        except ValidationError as exc:
            errors.update(exc.errors)
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise ValidationError(errors)
    day = fields["audit_date"]
    assert isinstance(day, date)  # parsed above
    if day < quarter.start:
        raise ValidationError({"audit_date": f"the audit date {day.isoformat()} is before"
                                             f" {quarter.label} began"})
    check_not_future(day, today, "audit_date", "audit date")
    service = expected_service(db, service_ref, quarter)
    audit_id, stamp = new_id(), now_iso()
    values = {"service_ref": service["service_ref"], "quarter": quarter.number,
              "audit_date": day.isoformat(), "officer": fields["officer"],
              "assurance": fields["assurance"], "notes": fields["notes"]}
    with write(db):
        db.execute(
            "INSERT INTO workbook_audits (id, service_id, quarter, audit_date, officer,"
            " assurance, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (audit_id, service["id"], quarter.number, day.isoformat(), fields["officer"],
             fields["assurance"], fields["notes"], stamp, stamp))
        audit(db, action="workbook_audit.add", entity="workbook_audit", entity_id=audit_id,
              summary=f"{service['service_ref']} {quarter.label}: workbook audit,"
                      f" {fields['assurance']} assurance", new=values, source=source)
    return audit_id
