"""Logging QAF monitoring visits: add, edit (complete later), delete, import a file."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import sqlite_utils

from sp_tui.domain.errors import ImportFailed, NotFound, ValidationError
from sp_tui.domain.qaf import VISIT_FIELDS, grade_label, validate_visit
from sp_tui.services.registry import service_by_ref
from sp_tui.services.import_lists import match_rows, save_matches
from sp_tui.store.connection import write
from sp_tui.store.records import audit, audit_many, new_id, now_iso

_COLUMNS = ("service_id", *VISIT_FIELDS)


def _stored(clean: Mapping[str, object], service_id: str) -> dict[str, object]:
    """Cleaned fields as the row holds them (ISO dates, 0/1)."""
    values: dict[str, object] = {"service_id": service_id}
    for field in VISIT_FIELDS:
        value = clean[field]
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, bool):
            value = int(value)
        values[field] = value
    return values


def _visit_row(db: sqlite_utils.Database, visit_id: str) -> dict | None:
    rows = list(db.query(f"SELECT {', '.join(_COLUMNS)} FROM visits WHERE id = ?", [visit_id]))
    return rows[0] if rows else None


def _describe(service_ref: str, values: Mapping[str, object]) -> str:
    awarded = values["awarded_grade"]  # a grade letter, or None when not graded
    state = (f"completed {values['completed_date']},"
             f" awarded {grade_label(awarded if isinstance(awarded, str) else None)}"
             if values["completed_date"] else "in progress")
    return f"visit to {service_ref} begun {values['started_date']} ({state})"


def save_visit(db: sqlite_utils.Database, fields: Mapping[str, object], *,
               visit_id: str | None = None, today: date | None = None,
               source: str | None = None) -> str:
    """Add a visit (``visit_id`` None) or edit one, e.g. to complete it. Returns its id.

    ``fields``: service_ref plus the names in domain.qaf.VISIT_FIELDS.
    """
    today = today or date.today()
    errors: dict[str, str] = {}
    service = None
    ref = str(fields.get("service_ref") or "").strip()
    if not ref:
        errors["service_ref"] = "service is required"
    else:
        try:
            service = service_by_ref(db, ref)
        except NotFound as exc:
            errors.update(exc.errors)
    try:
        clean = validate_visit(fields, today=today)
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    assert service is not None  # found, else errors above
    old = _visit_row(db, visit_id) if visit_id else None
    if visit_id and old is None:
        raise NotFound({"": "that visit no longer exists"})
    values = _stored(clean, service["id"])
    clash = db.execute("SELECT id FROM visits WHERE service_id = ? AND started_date = ?",
                       (service["id"], values["started_date"])).fetchone()
    if clash and clash[0] != visit_id:
        raise ValidationError({"started_date": f"{service['service_ref']} already has a visit"
                                               f" begun on {values['started_date']}"})
    with write(db):
        stamp = now_iso()
        if old is None:
            visit_id = new_id()
            db.execute(f"INSERT INTO visits (id, {', '.join(_COLUMNS)}, created_at, updated_at)"
                       f" VALUES (?, {', '.join('?' * len(_COLUMNS))}, ?, ?)",
                       (visit_id, *values.values(), stamp, stamp))
            audit(db, action="visit.add", entity="visit", entity_id=visit_id,
                  summary="added " + _describe(service["service_ref"], values),
                  new=values, source=source)
        else:
            assert visit_id is not None  # old was read by it
            if old == values:
                return visit_id
            db.execute(f"UPDATE visits SET {', '.join(f'{c} = ?' for c in _COLUMNS)},"
                       " updated_at = ? WHERE id = ?", (*values.values(), stamp, visit_id))
            audit(db, action="visit.edit", entity="visit", entity_id=visit_id,
                  summary="edited " + _describe(service["service_ref"], values),
                  old=old, new=values, source=source)
    return visit_id


def delete_visit(db: sqlite_utils.Database, visit_id: str, *, source: str | None = None) -> None:
    old = _visit_row(db, visit_id)
    if old is None:
        raise NotFound({"": "that visit no longer exists"})
    ref = db.execute("SELECT service_ref FROM services WHERE id = ?",
                     (old["service_id"],)).fetchone()[0]
    with write(db):
        db.execute("DELETE FROM visits WHERE id = ?", (visit_id,))
        audit(db, action="visit.delete", entity="visit", entity_id=visit_id,
              summary="deleted " + _describe(ref, old), old=old, new={}, source=source)


def import_visits(db: sqlite_utils.Database, rows: Iterable[tuple[int, Mapping[str, object]]],
                  *, today: date | None = None, source: str | None = None,
                  mapping: Mapping[str, Mapping[str, str]] | None = None,
                  add_new: Iterable[str] = ()) -> dict[str, int]:
    """All-or-nothing import of (row number, fields). A row for a service and start date that
    already has a visit updates it (so a re-import completes visits instead of repeating
    them). Raises ImportFailed listing every bad row; writes nothing then."""
    today = today or date.today()
    matched = match_rows(db, "visits", rows, mapping, add_new)
    services = {ref.casefold(): (sid, ref) for sid, ref in
                db.execute("SELECT id, service_ref FROM services")}
    errors: list[tuple[int, str]] = []
    cleaned: list[tuple[str, str, dict]] = []
    seen: dict[tuple[str, object], int] = {}
    for number, fields in matched.rows:
        ref = str(fields.get("service_ref") or "").strip()
        found = services.get(ref.casefold())
        if not ref:
            errors.append((number, "service_ref is required"))
        elif found is None:
            errors.append((number, f"no service with reference {ref!r}"))
        try:
            clean = validate_visit(fields, today=today, require_action_plan=False)
        except ValidationError as exc:
            errors.extend(matched.row_errors(number, exc))
            continue
        if found is None:
            continue
        values = _stored(clean, found[0])
        key = (found[0], values["started_date"])
        if key in seen:
            errors.append((number, f"{found[1]} begun {values['started_date']} repeats"
                                   f" row {seen[key]}"))
            continue
        seen[key] = number
        cleaned.append((found[0], found[1], values))
    matched.check(errors)
    if not cleaned:
        raise ImportFailed([(0, "the file holds no visit rows")])

    existing = {(sid, started): vid for vid, sid, started in
                db.execute("SELECT id, service_id, started_date FROM visits")}
    stamp = now_iso()
    inserts, updates, audits = [], [], []
    for service_id, ref, values in cleaned:
        visit_id = existing.get((service_id, values["started_date"]))
        if visit_id:
            updates.append((*values.values(), stamp, visit_id))
            audits.append(("visit.import", "visit", visit_id,
                           "updated " + _describe(ref, values) + " by import", values, source))
        else:
            visit_id = new_id()
            inserts.append((visit_id, *values.values(), stamp, stamp))
            audits.append(("visit.import", "visit", visit_id,
                           "added " + _describe(ref, values) + " by import", values, source))
    with write(db):
        save_matches(db, matched, source=source)
        db.conn.executemany(
            f"INSERT INTO visits (id, {', '.join(_COLUMNS)}, created_at, updated_at)"
            f" VALUES (?, {', '.join('?' * len(_COLUMNS))}, ?, ?)", inserts)
        db.conn.executemany(
            f"UPDATE visits SET {', '.join(f'{c} = ?' for c in _COLUMNS)}, updated_at = ?"
            " WHERE id = ?", updates)
        audit_many(db, audits)
    return {"added": len(inserts), "updated": len(updates)}
