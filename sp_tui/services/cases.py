"""What logging, updating and importing complaints and alerts have in common.

A case is a record with a unique reference, a service and a status followed to its close.
``services.complaints`` and ``services.alerts`` describe their table as a ``CaseKind`` and
call these functions; every write validates first and is audited in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from sp_tui.domain.errors import ImportFailed, NotFound, ValidationError
from sp_tui.services.import_lists import match_rows, save_matches
from sp_tui.store.connection import write
from sp_tui.store.records import audit, audit_many, new_id, now_iso

Validator = Callable[[Mapping[str, object]], dict]


@dataclass(frozen=True)
class CaseKind:
    table: str
    entity: str  # the word users read: "complaint", "alert"
    columns: tuple[str, ...]  # stored columns besides id, service_id and the timestamps
    validator: Callable[[sqlite_utils.Database, date | None], Validator]
    describe: Callable[[dict], str]  # a short, name-free description for the audit summary


def _stored(kind: CaseKind, clean: Mapping[str, object]) -> dict[str, object]:
    values = {}
    for column in kind.columns:
        value = clean.get(column)
        values[column] = value.isoformat() if isinstance(value, date) else value
    return values


def _service_ids(db: sqlite_utils.Database) -> dict[str, tuple[str, str]]:
    """service_ref (casefolded) -> (id, service_ref as stored)."""
    return {ref.casefold(): (sid, ref) for sid, ref in
            db.execute("SELECT id, service_ref FROM services")}


def _service_id(db: sqlite_utils.Database, service_ref: str) -> str | None:
    row = db.execute("SELECT id FROM services WHERE service_ref = ? COLLATE NOCASE",
                     (service_ref,)).fetchone()
    return row[0] if row else None


def current_fields(db: sqlite_utils.Database, kind: CaseKind, case_id: str) -> dict | None:
    """One record in the form/import field names (dates as ISO text)."""
    rows = list(db.query(
        f"SELECT {', '.join('c.' + col for col in kind.columns)}, s.service_ref"
        f" FROM {kind.table} c JOIN services s ON s.id = c.service_id WHERE c.id = ?",
        [case_id]))
    return rows[0] if rows else None


def _check_links(db: sqlite_utils.Database, kind: CaseKind, clean: Mapping[str, object],
                 case_id: str | None) -> tuple[str | None, dict[str, str]]:
    """The service's id, and errors for an unknown service or a reference already used."""
    errors = {}
    service_id = _service_id(db, str(clean["service_ref"]))
    if service_id is None:
        errors["service_ref"] = f"no service with reference {clean['service_ref']!r}"
    clash = db.execute(f"SELECT id FROM {kind.table} WHERE ref = ? COLLATE NOCASE",
                       (clean["ref"],)).fetchone()
    if clash and clash[0] != case_id:
        errors["ref"] = f"reference {clean['ref']!r} is already used by another {kind.entity}"
    return service_id, errors


def _validated(db: sqlite_utils.Database, kind: CaseKind, fields: Mapping[str, object],
               case_id: str | None, today: date | None) -> tuple[dict, str]:
    clean = kind.validator(db, today or date.today())(fields)
    service_id, link_errors = _check_links(db, kind, clean, case_id)
    if link_errors:
        raise ValidationError(link_errors)
    assert service_id is not None  # else link_errors named the service
    return clean, service_id


def log_case(db: sqlite_utils.Database, kind: CaseKind, fields: Mapping[str, object],
             *, source: str | None = None, today: date | None = None) -> str:
    clean, service_id = _validated(db, kind, fields, None, today)
    values = _stored(kind, clean)
    case_id, stamp = new_id(), now_iso()
    columns = ("service_id", *kind.columns)
    with write(db):
        db.execute(
            f"INSERT INTO {kind.table} (id, {', '.join(columns)}, created_at, updated_at)"
            f" VALUES (?, {', '.join('?' * len(columns))}, ?, ?)",
            (case_id, service_id, *values.values(), stamp, stamp))
        audit(db, action=f"{kind.entity}.log", entity=kind.entity, entity_id=case_id,
              summary=f"logged {kind.entity} {values['ref']}: {kind.describe(clean)}",
              new=values | {"service_ref": clean["service_ref"]}, source=source)
    return case_id


def update_case(db: sqlite_utils.Database, kind: CaseKind, case_id: str,
                fields: Mapping[str, object], *, source: str | None = None,
                today: date | None = None) -> str:
    """Change the fields given; the others keep their values. A status change is named in
    the audit summary, so a record's history reads as a list of its statuses."""
    old = current_fields(db, kind, case_id)
    if old is None:
        raise NotFound({"": f"that {kind.entity} no longer exists"})
    clean, service_id = _validated(db, kind, {**old, **fields}, case_id, today)
    values = _stored(kind, clean)
    new_all = values | {"service_ref": clean["service_ref"]}
    if new_all == old:
        return case_id
    summary = f"updated {kind.entity} {values['ref']}"
    if old["status"] != values["status"]:
        summary += f": status {old['status']} -> {values['status']}"
    with write(db):
        db.execute(
            f"UPDATE {kind.table} SET service_id = ?,"
            f" {', '.join(f'{c} = ?' for c in kind.columns)}, updated_at = ? WHERE id = ?",
            (service_id, *values.values(), now_iso(), case_id))
        audit(db, action=f"{kind.entity}.update", entity=kind.entity, entity_id=case_id,
              summary=summary, old=old, new=new_all, source=source)
    return case_id


def import_cases(db: sqlite_utils.Database, kind: CaseKind,
                 rows: Iterable[tuple[int, Mapping[str, object]]], *, source: str | None = None,
                 today: date | None = None,
                 mapping: Mapping[str, Mapping[str, str]] | None = None,
                 add_new: Iterable[str] = ()) -> dict[str, int]:
    """All-or-nothing: every row is checked (fields, service, reference new to the database
    and to the file) before anything is written; ImportFailed lists every bad row."""
    matched = match_rows(db, f"{kind.entity}s", rows, mapping, add_new)
    validate = kind.validator(db, today or date.today())
    services = _service_ids(db)
    existing = {ref.casefold() for (ref,) in db.execute(f"SELECT ref FROM {kind.table}")}
    errors: list[tuple[int, str]] = []
    cleaned: list[tuple[dict, str]] = []
    seen: dict[str, int] = {}
    for number, fields in matched.rows:
        # Repeats are found from the raw reference, so a row that also fails another check
        # is still reported as a repeat.
        key = str(fields.get("ref") or "").strip().casefold()
        repeat = seen.get(key) if key else None
        if key:
            seen.setdefault(key, number)
        try:
            clean = validate(fields)
        except ValidationError as exc:
            errors.extend((number, f"{field}: {msg}" if field else msg)
                          for field, msg in exc.errors.items()
                          if (number, field) not in matched.cells)
            if repeat:
                errors.append((number, f"ref: reference {fields.get('ref')!r} repeats row"
                                       f" {repeat}"))
            continue
        service = services.get(str(clean["service_ref"]).casefold())
        if service is None:
            errors.append((number, f"service_ref: no service with reference"
                                   f" {clean['service_ref']!r}"))
        if key in existing:
            errors.append((number, f"ref: reference {clean['ref']!r} is already used by"
                                   f" another {kind.entity}"))
        elif repeat:
            errors.append((number, f"ref: reference {clean['ref']!r} repeats row {repeat}"))
        if service is not None:
            cleaned.append((clean, service[0]))
    matched.check(errors)
    if not cleaned:
        raise ImportFailed([(0, f"the file holds no {kind.entity} rows")])
    stamp = now_iso()
    columns = ("service_id", *kind.columns)
    inserts, audits = [], []
    for clean, service_id in cleaned:
        values = _stored(kind, clean)
        case_id = new_id()
        inserts.append((case_id, service_id, *values.values(), stamp, stamp))
        audits.append((f"{kind.entity}.import", kind.entity, case_id,
                       f"imported {kind.entity} {values['ref']}: {kind.describe(clean)}",
                       values | {"service_ref": clean["service_ref"]}, source))
    with write(db):
        save_matches(db, matched, source=source)
        db.conn.executemany(
            f"INSERT INTO {kind.table} (id, {', '.join(columns)}, created_at, updated_at)"
            f" VALUES (?, {', '.join('?' * len(columns))}, ?, ?)", inserts)
        audit_many(db, audits)
    return {"added": len(inserts)}
