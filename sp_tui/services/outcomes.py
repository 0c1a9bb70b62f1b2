"""Importing outcome returns and long-term annual returns; editing the service-type mapping.

Imports are all-or-nothing: every row is checked (fields, service, dates, repeats inside the
file) before anything is written, and ImportFailed lists every bad row by number. A return is
identified by its ``return_ref`` when the dataset gives one, else by its service, departure
date and answers, so importing the same dataset again adds nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import sqlite_utils

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.domain.outcomes import (
    ACHIEVED_COLUMNS, CODES, NEED_COLUMNS, client_group_lookup, content_hash, financial_year_start,
    OutcomeReturn, outcome_type, parse_financial_year, return_key, validate_outcome_return,
)
from sp_tui.domain.registry import match_reference
from sp_tui.domain.values import clean_text, parse_date
from sp_tui.reports.reference import reference_lists
from sp_tui.store.connection import write
from sp_tui.store.records import audit, audit_many, new_id, now_iso

Rows = Iterable[tuple[int, Mapping[str, object]]]

_RETURN_COLUMNS = ("return_key", "return_ref", "content_hash", "service_id", "departure_date",
                   "client_group", "planned_move", "greater_independence",
                   *(col for pair in zip(NEED_COLUMNS, ACHIEVED_COLUMNS) for col in pair))


def _services(db: sqlite_utils.Database) -> dict[str, tuple[str, str, str, str | None, str]]:
    """service_ref (casefolded) -> (id, ref as stored, start, end, term)."""
    return {ref.casefold(): (sid, ref, start, end, term) for sid, ref, start, end, term in
            db.execute("SELECT id, service_ref, start_date, end_date, term FROM services")}


def _answer(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _stored(clean: OutcomeReturn, service_id: str, digest: str) -> tuple:
    needs = clean["needs"]
    pairs = [int(v) for code in CODES for v in needs[code]]
    return (return_key(clean, digest), clean.get("return_ref"), digest, service_id,
            clean["departure_date"].isoformat(), clean.get("client_group"),
            _answer(clean.get("planned_move")), _answer(clean.get("greater_independence")),
            *pairs)


def _summary(clean: OutcomeReturn, service_ref: str) -> dict:
    return {"return_ref": clean.get("return_ref"), "service_ref": service_ref,
            "departure_date": clean["departure_date"].isoformat(),
            "needs": sum(n for n, _ in clean["needs"].values()),
            "achieved": sum(a for _, a in clean["needs"].values())}


def import_outcome_returns(db: sqlite_utils.Database, rows: Rows, *, source: str | None = None,
                           today: date | None = None) -> dict[str, int]:
    """Add the returns not yet recorded; a return with a ``return_ref`` already recorded and
    different answers is updated (the data office corrects returns). Returns the counts."""
    today = today or date.today()
    groups = client_group_lookup(reference_lists(db)["client_group"])
    services = _services(db)
    recorded = {key: (rid, digest) for rid, key, digest in
                db.execute("SELECT id, return_key, content_hash FROM outcome_returns")}
    errors: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    inserts: list[tuple] = []
    updates: list[tuple] = []
    audits: list[tuple] = []
    unchanged = 0
    stamp = now_iso()
    for number, fields in rows:
        try:
            clean = validate_outcome_return(fields, groups, today=today)
        except ValidationError as exc:
            errors.extend((number, f"{field}: {msg}" if field else msg)
                          for field, msg in exc.errors.items())
            continue
        service = services.get(str(clean["service_ref"]).casefold())
        if service is None:
            errors.append((number, f"service_ref: no service with reference"
                                   f" {clean['service_ref']!r}"))
            continue
        service_id, service_ref, start, end, _ = service
        departure = clean["departure_date"].isoformat()
        if departure < start or (end is not None and departure > end):
            life = f"{start} to {end}" if end else f"from {start}"
            errors.append((number, f"departure_date: {departure} is outside the life of"
                                   f" service {service_ref} ({life})"))
            continue
        digest = content_hash(clean)
        key = return_key(clean, digest)
        if key in seen:
            if clean.get("return_ref"):
                errors.append((number, f"return_ref: {clean['return_ref']!r} repeats row"
                                       f" {seen[key]}"))
            else:
                errors.append((number, f"repeats row {seen[key]}: the same service, departure"
                                       " date and answers (give each return a return_ref if"
                                       " both are real)"))
            continue
        seen[key] = number
        values = _stored(clean, service_id, digest)
        if key in recorded:
            record_id, old_digest = recorded[key]
            if old_digest == digest:
                unchanged += 1
                continue
            updates.append((*values[1:], stamp, record_id))
            audits.append(("outcome_return.update", "outcome_return", record_id,
                           f"updated outcome return {clean['return_ref']} at {service_ref}",
                           _summary(clean, service_ref), source))
            continue
        record_id = new_id()
        inserts.append((record_id, *values, stamp, stamp))
        audits.append(("outcome_return.import", "outcome_return", record_id,
                       f"imported outcome return at {service_ref}, left {departure}",
                       _summary(clean, service_ref), source))
    if errors:
        raise ImportFailed(errors)
    if not seen:
        raise ImportFailed([(0, "the file holds no outcome return rows")])
    with write(db):
        if inserts:
            db.conn.executemany(
                f"INSERT INTO outcome_returns (id, {', '.join(_RETURN_COLUMNS)}, created_at,"
                f" updated_at) VALUES ({', '.join('?' * (len(_RETURN_COLUMNS) + 3))})", inserts)
        if updates:
            db.conn.executemany(
                f"UPDATE outcome_returns SET"
                f" {', '.join(f'{c} = ?' for c in _RETURN_COLUMNS[1:])}, updated_at = ?"
                " WHERE id = ?", updates)
        audit_many(db, audits)
    return {"added": len(inserts), "updated": len(updates), "unchanged": unchanged}


def import_annual_returns(db: sqlite_utils.Database, rows: Rows, *, source: str | None = None,
                          today: date | None = None) -> dict[str, int]:
    """Long-term services' annual outcome returns: one per service and financial year. A row
    already recorded with the same date is skipped; with another date it corrects it."""
    today = today or date.today()
    services = _services(db)
    recorded = {(sid, year): (rid, received) for rid, sid, year, received in db.execute(
        "SELECT id, service_id, financial_year, received_date FROM outcome_annual_returns")}
    errors: list[tuple[int, str]] = []
    seen: dict[tuple[str, str], int] = {}
    inserts, updates, audits = [], [], []
    unchanged = 0
    stamp = now_iso()
    for number, fields in rows:
        row_errors = []
        try:
            ref = clean_text(fields.get("service_ref"), field="service_ref", limit=40)
        except ValueError as exc:
            row_errors.append(f"service_ref: {exc}")
            ref = None
        try:
            year = parse_financial_year(fields.get("financial_year"))
        except ValueError as exc:
            row_errors.append(f"financial_year: {exc}")
            year = None
        try:
            received = parse_date(fields.get("received_date"), field="received_date")
        except ValueError as exc:
            row_errors.append(f"received_date: {exc}")
            received = None
        service = services.get(ref.casefold()) if ref else None
        if ref and service is None:
            row_errors.append(f"service_ref: no service with reference {ref!r}")
        elif service is not None and service[4] != "long":
            row_errors.append(f"service_ref: {service[1]} is a short-term service (annual"
                              " returns are made by long-term services)")
        if received and received > today:
            row_errors.append(f"received_date: {received.isoformat()} is in the future")
        if received and year and received < financial_year_start(year):
            row_errors.append(f"received_date: {received.isoformat()} is before the financial"
                              f" year {year} began")
        if row_errors or service is None or year is None or received is None:
            errors.extend((number, message) for message in row_errors)
            continue
        key = (service[0], year)
        if key in seen:
            errors.append((number, f"repeats row {seen[key]} ({service[1]}, {year})"))
            continue
        seen[key] = number
        values = {"service_ref": service[1], "financial_year": year,
                  "received_date": received.isoformat()}
        if key in recorded:
            record_id, old = recorded[key]
            if old == values["received_date"]:
                unchanged += 1
                continue
            updates.append((values["received_date"], stamp, record_id))
            audits.append(("annual_return.update", "annual_return", record_id,
                           f"annual outcome return {service[1]} {year}: received {old} ->"
                           f" {values['received_date']}", values, source))
            continue
        record_id = new_id()
        inserts.append((record_id, service[0], year, values["received_date"], stamp, stamp))
        audits.append(("annual_return.import", "annual_return", record_id,
                       f"imported annual outcome return {service[1]} {year}", values, source))
    if errors:
        raise ImportFailed(errors)
    if not seen:
        raise ImportFailed([(0, "the file holds no annual return rows")])
    with write(db):
        db.conn.executemany(
            "INSERT INTO outcome_annual_returns (id, service_id, financial_year, received_date,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", inserts)
        db.conn.executemany("UPDATE outcome_annual_returns SET received_date = ?,"
                            " updated_at = ? WHERE id = ?", updates)
        audit_many(db, audits)
    return {"added": len(inserts), "updated": len(updates), "unchanged": unchanged}


def set_outcome_service_type(db: sqlite_utils.Database, service_type: object,
                             mapped_to: object, *, source: str | None = None) -> str | None:
    """Map one of the register's service types onto one of the framework's six (or none:
    its services' returns are then counted as "not mapped"). Returns the outcome type."""
    errors = {}
    try:
        register_type = match_reference(
            clean_text(service_type, field="service type", limit=200),
            reference_lists(db)["service_type"], "service_type")
    except ValueError as exc:
        errors["service_type"] = str(exc)
    try:
        target = outcome_type(mapped_to)
    except ValueError as exc:
        errors["outcome_type"] = str(exc)
    if errors:
        raise ValidationError(errors)
    row = db.execute("SELECT outcome_type FROM outcome_service_types WHERE service_type = ?",
                     (register_type,)).fetchone()
    old = row[0] if row else None
    if row and old == target:
        return target
    with write(db):
        db.execute("INSERT INTO outcome_service_types (service_type, outcome_type, updated_at)"
                   " VALUES (?, ?, ?) ON CONFLICT (service_type) DO UPDATE SET"
                   " outcome_type = excluded.outcome_type, updated_at = excluded.updated_at",
                   (register_type, target, now_iso()))
        audit(db, action="outcome_type.map", entity="outcome_service_type",
              entity_id=register_type,
              summary=f"outcomes: {register_type} -> {target or 'not mapped'}",
              old={"outcome_type": old}, new={"outcome_type": target}, source=source)
    return target
