"""Contract versions, grants and the unit-category mapping: every write of the contracts area.

Each function validates first (nothing written on bad input), writes in one transaction and
appends audit rows. The register's unit columns (services.household_units/leaseholder_units)
mirror the version in force: they are refreshed here whenever a service's versions change.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, timedelta

import sqlite_utils

from sp_tui.domain.contracts import (
    CATEGORIES, Version, default_contract_type, first_overlap, format_money, in_force,
    parse_category, parse_financial_year, parse_money, plan_new_version, validate_version,
    version_from,
)
from sp_tui.domain.errors import ImportFailed, NotFound, ValidationError
from sp_tui.store.connection import write
from sp_tui.store.records import audit, audit_many, new_id, now_iso

_COLUMNS = ("service_id", "start_date", "end_date", "contract_type", "capped",
            "household_units", "leaseholder_units", "annual_value_pence")


def _service(db: sqlite_utils.Database, service_ref: str) -> dict:
    rows = list(db.query("SELECT id, service_ref, start_date, end_date FROM services"
                         " WHERE service_ref = ? COLLATE NOCASE", [str(service_ref).strip()]))
    if not rows:
        raise NotFound({"service_ref": f"no service with reference {service_ref!r}"})
    return rows[0]


def _versions(db: sqlite_utils.Database, service_ids: Sequence[str] | None = None
              ) -> dict[str, list[Version]]:
    sql = ("SELECT id, service_id, start_date, end_date, contract_type, capped, household_units,"
           " leaseholder_units, annual_value_pence FROM contract_versions")
    params: list = []
    if service_ids is not None:
        if not service_ids:
            return {}
        sql += " WHERE service_id IN (SELECT value FROM json_each(?))"
        params = [json.dumps(list(service_ids))]
    found: dict[str, list[Version]] = {}
    for vid, sid, start, end, kind, capped, hh, lh, value in db.execute(sql, params):
        found.setdefault(sid, []).append(Version(
            start=date.fromisoformat(start), end=date.fromisoformat(end) if end else None,
            contract_type=kind, capped=bool(capped), household_units=hh, leaseholder_units=lh,
            value_pence=value, id=vid))
    for versions in found.values():
        versions.sort(key=lambda v: v.start)
    return found


def _stored(service_id: str, v: Version) -> tuple:
    return (service_id, v.start.isoformat(), v.end.isoformat() if v.end else None,
            v.contract_type, int(v.capped), v.household_units, v.leaseholder_units, v.value_pence)


def _described(v: Version) -> dict:
    return {"start_date": v.start.isoformat(), "end_date": v.end.isoformat() if v.end else None,
            "contract_type": v.contract_type, "capped": v.capped,
            "household_units": v.household_units, "leaseholder_units": v.leaseholder_units,
            "annual_value": format_money(v.value_pence)}


def _reference_day(service: Mapping, today: date) -> date:
    """The day whose version the register shows: today, or the service's last day if it has
    ended, or its first day if it has not started."""
    start = date.fromisoformat(service["start_date"])
    end = date.fromisoformat(service["end_date"]) if service.get("end_date") else None
    day = today
    if end is not None and day > end:
        day = end
    return max(day, start)


def refresh_register_units(db: sqlite_utils.Database, service_ids: Iterable[str],
                           today: date | None = None) -> int:
    """Set each service's register units to its version in force (call inside ``write``)."""
    ids = list(service_ids)
    today = today or date.today()
    versions = _versions(db, ids)
    services = {row["id"]: row for row in db.query(
        "SELECT id, start_date, end_date, household_units, leaseholder_units FROM services"
        " WHERE id IN (SELECT value FROM json_each(?))", [json.dumps(ids)])}
    updates = []
    for sid, service in services.items():
        current = in_force(versions.get(sid, []), _reference_day(service, today))
        if current is None:
            continue
        if (service["household_units"], service["leaseholder_units"]) != \
                (current.household_units, current.leaseholder_units):
            updates.append((current.household_units, current.leaseholder_units, now_iso(), sid))
    db.conn.executemany("UPDATE services SET household_units = ?, leaseholder_units = ?,"
                        " updated_at = ? WHERE id = ?", updates)
    return len(updates)


# -- adding a version ----------------------------------------------------------------------------
def add_version(db: sqlite_utils.Database, service_ref: str, fields: Mapping[str, object],
                *, today: date | None = None, source: str | None = None) -> str:
    """Add a contract version from its start date; the version in force the day before is
    closed that day. Returns the new version's id. Raises ValidationError / NotFound."""
    service = _service(db, service_ref)
    new = version_from(validate_version(fields))
    start = date.fromisoformat(service["start_date"])
    if service["end_date"] and new.start > date.fromisoformat(service["end_date"]):
        raise ValidationError({"start_date": f"the service ended on {service['end_date']}"})
    with write(db):
        existing = _versions(db, [service["id"]]).get(service["id"], [])
        plan = plan_new_version(existing, new, start)
        stamp = now_iso()
        if plan.close is not None and plan.close_end is not None:  # set together
            db.execute("UPDATE contract_versions SET end_date = ?, updated_at = ? WHERE id = ?",
                       (plan.close_end.isoformat(), stamp, plan.close.id))
            audit(db, action="contract.close", entity="contract_version", entity_id=plan.close.id,
                  summary=f"closed contract of {service['service_ref']} from"
                          f" {plan.close.start.isoformat()} on {plan.close_end.isoformat()}",
                  old={"end_date": plan.close.end.isoformat() if plan.close.end else None},
                  new={"end_date": plan.close_end.isoformat()}, source=source)
        version_id = new_id()
        db.execute(f"INSERT INTO contract_versions (id, {', '.join(_COLUMNS)}, created_at,"
                   f" updated_at) VALUES (?, {', '.join('?' * len(_COLUMNS))}, ?, ?)",
                   (version_id, *_stored(service["id"], new), stamp, stamp))
        audit(db, action="contract.add", entity="contract_version", entity_id=version_id,
              summary=f"added contract of {service['service_ref']} from {new.start.isoformat()}"
                      f" ({new.contract_type}{', capped' if new.capped else ''},"
                      f" {new.units} units, {format_money(new.value_pence)})",
              new=_described(new) | {"service_ref": service["service_ref"]}, source=source)
        refresh_register_units(db, [service["id"]], today)
    return version_id


# -- import --------------------------------------------------------------------------------------
def import_contracts(db: sqlite_utils.Database,
                     rows: Iterable[tuple[int, Mapping[str, object]]],
                     *, source: str | None = None, today: date | None = None) -> dict[str, int]:
    """All-or-nothing. A row for a service and start date already recorded updates that
    version (so a file can be imported twice); other rows add versions, each closing the
    recorded version in force the day before it (as adding one by hand does). The versions of
    each service, recorded and imported together, may not overlap then. Raises ImportFailed."""
    services = {ref.casefold(): (sid, ref, start, end) for sid, ref, start, end in db.execute(
        "SELECT id, service_ref, start_date, end_date FROM services")}
    errors: list[tuple[int, str]] = []
    by_service: dict[str, list[tuple[int, Version]]] = {}
    seen: dict[tuple[str, date], int] = {}
    for number, raw in rows:
        ref = clean_ref(raw.get("service_ref"))
        try:
            clean = validate_version(raw)
        except ValidationError as exc:
            errors.extend((number, message) for message in exc.errors.values())
            clean = None
        if ref is None:
            errors.append((number, "service_ref is required"))
            continue
        found = services.get(ref.casefold())
        if found is None:
            errors.append((number, f"no service with reference {ref!r}"))
            continue
        if clean is None:
            continue
        sid, _, service_start, service_end = found
        version = version_from(clean)
        if version.start < date.fromisoformat(service_start):
            errors.append((number, f"start date {version.start.isoformat()} is before the"
                                   f" service starts ({service_start})"))
            continue
        if service_end and version.start > date.fromisoformat(service_end):
            errors.append((number, f"start date {version.start.isoformat()} is after the"
                                   f" service ended ({service_end})"))
            continue
        key = (sid, version.start)
        if key in seen:
            errors.append((number, f"{found[1]} from {version.start.isoformat()} repeats row"
                                   f" {seen[key]}"))
            continue
        seen[key] = number
        by_service.setdefault(sid, []).append((number, version))
    if errors:
        raise ImportFailed(errors)
    if not by_service:
        raise ImportFailed([(0, "the file holds no contract rows")])

    recorded = _versions(db, list(by_service))
    refs = {sid: ref for sid, ref, _, _ in services.values()}
    inserts, updates, closures, audits = [], [], [], []
    stamp = now_iso()
    for sid, imported in by_service.items():
        old = {v.start: v for v in recorded.get(sid, [])}
        merged = dict(old)
        for _, version in imported:
            merged[version.start] = version
        # As when adding one by hand: a new version closes the recorded version (one the file
        # does not list) in force the day before it starts.
        listed = {v.start for _, v in imported}
        for _, version in sorted(imported, key=lambda item: item[1].start):
            if version.start in old:
                continue
            unlisted = [v for start, v in merged.items() if start not in listed]
            previous = in_force(unlisted, version.start - timedelta(days=1))
            if previous is not None and (previous.end is None or previous.end >= version.start):
                end = version.start - timedelta(days=1)
                closed = replace(previous, end=end)
                merged[previous.start] = closed
                closures.append((*_stored(sid, closed)[2:], stamp, closed.id))
                audits.append(("contract.close", "contract_version", closed.id,
                               f"closed contract of {refs[sid]} from {closed.start.isoformat()}"
                               f" on {end.isoformat()} by import", _described(closed),
                               source))
        clash = first_overlap(merged.values())
        if clash:
            a, b = clash
            rows_of = {v.start: n for n, v in imported}
            where = rows_of.get(b.start) or rows_of.get(a.start) or 0
            errors.append((where, f"{refs[sid]}: the version from {a.period()} overlaps the"
                                  f" version from {b.period()}"))
            continue
        for _, version in imported:
            before = old.get(version.start)
            if before is None:
                vid = new_id()
                inserts.append((vid, *_stored(sid, version), stamp, stamp))
                audits.append(("contract.import", "contract_version", vid,
                               f"added contract of {refs[sid]} from {version.start.isoformat()}"
                               " by import", _described(version), source))
            elif _stored(sid, before) != _stored(sid, version):
                updates.append((*_stored(sid, version)[2:], stamp, before.id))
                audits.append(("contract.import", "contract_version", before.id,
                               f"updated contract of {refs[sid]} from"
                               f" {version.start.isoformat()} by import",
                               _described(version), source))
    if errors:
        raise ImportFailed(sorted(errors))
    with write(db):
        db.conn.executemany(
            f"INSERT INTO contract_versions (id, {', '.join(_COLUMNS)}, created_at, updated_at)"
            f" VALUES (?, {', '.join('?' * len(_COLUMNS))}, ?, ?)", inserts)
        db.conn.executemany(
            "UPDATE contract_versions SET end_date = ?, contract_type = ?, capped = ?,"
            " household_units = ?, leaseholder_units = ?, annual_value_pence = ?,"
            " updated_at = ? WHERE id = ?", closures + updates)
        audit_many(db, audits)
        refresh_register_units(db, list(by_service), today)
    return {"added": len(inserts), "updated": len(updates), "closed": len(closures),
            "unchanged": sum(len(v) for v in by_service.values()) - len(inserts) - len(updates)}


def clean_ref(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


# -- the register's units (called by the services import and the service form) ------------------
def sync_register_units(db: sqlite_utils.Database, saved: Iterable[tuple[str, Mapping]],
                        *, today: date | None = None, source: str | None = None) -> None:
    """The register's units of each saved service (id, its stored values: term, units, dates)
    become those of its version in force: that version is updated, or a first version is
    created from the service's start (or from the day after its last version ended). Call
    inside ``write``. No audit rows of its own: this is part of the service's add, edit or
    import, whose audit row records the units."""
    saved = list(saved)
    if not saved:
        return
    try:
        versions = _versions(db, [sid for sid, _ in saved])
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return  # a file still at an older schema (the merge tests build them)
        raise
    today = today or date.today()
    stamp = now_iso()
    inserts, updates = [], []
    for sid, values in saved:
        household, leaseholder = values["household_units"], values["leaseholder_units"]
        existing = versions.get(sid, [])
        day = _reference_day(values, today)
        current = in_force(existing, day)
        if current is not None:
            if (current.household_units, current.leaseholder_units) != (household, leaseholder):
                updates.append((household, leaseholder, stamp, current.id))
            continue
        ended = [v.end for v in existing if v.end is not None and v.end < day]
        begins = [v.start for v in existing if v.start > day]
        start = max([date.fromisoformat(values["start_date"]),
                     *[e + timedelta(days=1) for e in ended]])
        end = min(begins) - timedelta(days=1) if begins else None
        version = Version(start=start, end=end,
                          contract_type=default_contract_type(values["term"]), capped=False,
                          household_units=household, leaseholder_units=leaseholder,
                          value_pence=0)
        inserts.append((new_id(), *_stored(sid, version), stamp, stamp))
    db.conn.executemany(
        f"INSERT INTO contract_versions (id, {', '.join(_COLUMNS)}, created_at, updated_at)"
        f" VALUES (?, {', '.join('?' * len(_COLUMNS))}, ?, ?)", inserts)
    db.conn.executemany("UPDATE contract_versions SET household_units = ?,"
                        " leaseholder_units = ?, updated_at = ? WHERE id = ?", updates)


# -- grants and the unit-category mapping --------------------------------------------------------
def set_grant(db: sqlite_utils.Database, financial_year: object, amount: object,
              *, source: str | None = None) -> tuple[str, int]:
    """The government's annual grant for a financial year ('2008/09'), in pounds."""
    errors = {}
    try:
        year = parse_financial_year(financial_year)
    except ValueError as exc:
        errors["financial_year"] = str(exc)
    try:
        pence = parse_money(amount, field="grant")
        if amount is None or not str(amount).strip():
            raise ValueError("grant is required")
    except ValueError as exc:
        errors["amount"] = str(exc)
    if errors:
        raise ValidationError(errors)
    with write(db):
        old = db.execute("SELECT amount_pence FROM contract_grants WHERE financial_year = ?",
                         (year,)).fetchone()
        if old and old[0] == pence:
            return year, pence
        db.execute("INSERT INTO contract_grants (financial_year, amount_pence, updated_at)"
                   " VALUES (?, ?, ?) ON CONFLICT (financial_year) DO UPDATE SET"
                   " amount_pence = excluded.amount_pence, updated_at = excluded.updated_at",
                   (year, pence, now_iso()))
        audit(db, action="contract.grant", entity="contract_grant", entity_id=year,
              summary=f"grant for {year} set to {format_money(pence)}",
              old={"amount": format_money(old[0])} if old else None,
              new={"amount": format_money(pence)}, source=source)
    return year, pence


def import_grants(db: sqlite_utils.Database, rows: Iterable[tuple[int, Mapping[str, object]]],
                  *, source: str | None = None) -> dict[str, int]:
    """All-or-nothing: financial_year, amount (£). A year already recorded is updated."""
    errors: list[tuple[int, str]] = []
    clean: dict[str, tuple[int, int]] = {}
    for number, raw in rows:
        try:
            year = parse_financial_year(raw.get("financial_year"))
            pence = parse_money(raw.get("amount"), field="amount")
        except ValueError as exc:
            errors.append((number, str(exc)))
            continue
        if year in clean:
            errors.append((number, f"{year} repeats row {clean[year][0]}"))
            continue
        clean[year] = (number, pence)
    if errors:
        raise ImportFailed(errors)
    old = dict(db.execute("SELECT financial_year, amount_pence FROM contract_grants"))
    changed = {year: pence for year, (_, pence) in clean.items() if old.get(year) != pence}
    stamp = now_iso()
    with write(db):
        db.conn.executemany(
            "INSERT INTO contract_grants (financial_year, amount_pence, updated_at)"
            " VALUES (?, ?, ?) ON CONFLICT (financial_year) DO UPDATE SET"
            " amount_pence = excluded.amount_pence, updated_at = excluded.updated_at",
            [(year, pence, stamp) for year, pence in changed.items()])
        audit_many(db, [("contract.grant", "contract_grant", year,
                         f"grant for {year} set to {format_money(pence)} by import",
                         {"amount": format_money(pence)}, source)
                        for year, pence in changed.items()])
    return {"set": len(changed), "unchanged": len(clean) - len(changed)}


def set_unit_category(db: sqlite_utils.Database, service_type: str, category: object,
                      *, source: str | None = None) -> str:
    """Which line of Table 1.2 a service type's units go to."""
    from sp_tui.reports.reference import reference_lists

    errors = {}
    types = reference_lists(db)["service_type"]
    wanted = str(service_type or "").strip().casefold()
    matched = next((t for t in types if t.casefold() == wanted), None)
    if matched is None:
        errors["service_type"] = f"unknown service type {service_type!r}"
    try:
        kind = parse_category(category)
    except ValueError as exc:
        errors["category"] = str(exc)
    if errors:
        raise ValidationError(errors)
    assert kind in CATEGORIES
    with write(db):
        old = db.execute("SELECT category FROM unit_categories WHERE service_type = ?",
                         (matched,)).fetchone()
        if old and old[0] == kind:
            return kind
        db.execute("INSERT INTO unit_categories (service_type, category, updated_at)"
                   " VALUES (?, ?, ?) ON CONFLICT (service_type) DO UPDATE SET"
                   " category = excluded.category, updated_at = excluded.updated_at",
                   (matched, kind, now_iso()))
        audit(db, action="contract.category", entity="unit_category", entity_id=matched,
              summary=f"units of {matched} services count as {kind}",
              old={"category": old[0]} if old else None, new={"category": kind}, source=source)
    return kind
