"""Recording reconnection returns: a service's monthly grid, or an import of many months.

The grid holds a service's whole return for a month: saving it makes that month's movements
what the grid says. An import sets the counts its rows add up to (so importing the same file
twice changes nothing) and leaves the rest of the month alone. Both mark the returns received.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import sqlite_utils

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.domain.reconnection import (
    ENTRANT, LEAVER, Areas, MovementValidator, check_service_month, month_first, parse_month,
    validate_movement,
)
from sp_tui.domain.values import parse_date
from sp_tui.reports.reconnection import areas_in_use, return_sheet
from sp_tui.reports.reference import reference_lists
from sp_tui.store.connection import write
from sp_tui.store.records import audit, audit_many, new_id, now_iso

# (movement, client_group, origin, origin_area, settled) -> count
FineKey = tuple[str, str, str, str, str]


@dataclass(frozen=True)
class _Service:
    id: str
    ref: str
    client_group: str
    start: date
    end: date | None
    term: str


def _services(db: sqlite_utils.Database) -> dict[str, _Service]:
    return {ref.casefold(): _Service(sid, ref, group, date.fromisoformat(start),
                                     date.fromisoformat(end) if end else None, term)
            for sid, ref, group, start, end, term in db.execute(
                "SELECT id, service_ref, client_group, start_date, end_date, term"
                " FROM services")}


def _service_errors(service: _Service | None, ref: str, month: str | None) -> list[str]:
    if service is None:
        return [f"service_ref: no service with reference {ref!r}"]
    if service.term != "short":
        return [f"service_ref: {service.ref} is a long-term service; reconnection is"
                f" reported by short-term services"]
    if month:
        problem = check_service_month(month, service.start, service.end, service.ref)
        if problem:
            return [f"month: {problem}"]
    return []


# -- writing one month ---------------------------------------------------------------------------

def _existing(db: sqlite_utils.Database, service_id: str,
              month: str) -> dict[FineKey, tuple[str, int]]:
    return {(m, g, o, a, s): (rid, n) for rid, m, g, o, a, s, n in db.execute(
        "SELECT id, movement, client_group, origin, origin_area, settled, count"
        " FROM reconnection_movements WHERE service_id = ? AND month = ?", (service_id, month))}


Pair = tuple[str, str]  # (service id, month)


def _apply_months(db: sqlite_utils.Database, returns: Mapping[Pair, Mapping[FineKey, int]],
                  today: date, stamp: str, *, replace: bool) -> dict[Pair, bool]:
    """Set the counts ``returns`` holds for each (service, month) and mark the returns
    received, in a few bulk statements; ``replace`` also removes the month's movements not
    in ``returns`` (a whole return from the grid). Returns, per pair, whether anything was
    written (movements changed or the return newly recorded). Call inside ``write``."""
    if not returns:
        return {}
    first, last = min(m for _, m in returns), max(m for _, m in returns)
    existing: dict[Pair, dict[FineKey, tuple[str, int]]] = defaultdict(dict)
    for rid, sid, month, *key, n in db.execute(
            "SELECT id, service_id, month, movement, client_group, origin, origin_area, settled,"
            " count FROM reconnection_movements WHERE month BETWEEN ? AND ?", (first, last)):
        if (sid, month) in returns:
            existing[(sid, month)][tuple(key)] = (rid, n)
    received = {(sid, month) for sid, month in db.execute(
        "SELECT service_id, month FROM reconnection_returns WHERE month BETWEEN ? AND ?",
        (first, last)) if (sid, month) in returns}
    gone: list[tuple] = []
    changed: list[tuple] = []
    added: list[tuple] = []
    new_returns: list[tuple] = []
    written: dict[Pair, bool] = {}
    for pair, wanted in returns.items():
        had = existing.get(pair, {})
        before = len(gone) + len(changed) + len(added)
        if replace:
            gone += [(rid,) for key, (rid, _) in had.items() if key not in wanted]
        changed += [(n, stamp, had[key][0]) for key, n in wanted.items()
                    if key in had and had[key][1] != n]
        added += [(new_id(), *pair, *key, n, stamp, stamp)
                  for key, n in wanted.items() if key not in had]
        if pair not in received:
            new_returns.append((new_id(), *pair, today.isoformat(), stamp, stamp))
        written[pair] = len(gone) + len(changed) + len(added) > before or pair not in received
    db.conn.executemany("DELETE FROM reconnection_movements WHERE id = ?", gone)
    db.conn.executemany("UPDATE reconnection_movements SET count = ?, updated_at = ?"
                        " WHERE id = ?", changed)
    db.conn.executemany(
        "INSERT INTO reconnection_movements (id, service_id, month, movement, client_group,"
        " origin, origin_area, settled, count, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", added)
    db.conn.executemany(
        "INSERT INTO reconnection_returns (id, service_id, month, received_date, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?)", new_returns)
    return written


def _totals(wanted: Mapping[FineKey, int]) -> dict[str, int]:
    entrants = sum(n for key, n in wanted.items() if key[0] == ENTRANT)
    leavers = sum(n for key, n in wanted.items() if key[0] == LEAVER)
    return {"entrants": entrants, "leavers": leavers}


# -- the monthly grid ------------------------------------------------------------------------

@dataclass(frozen=True)
class GridCell:
    """One cell of a monthly return grid: so many people of a client group, from an origin,
    (leavers) settled in an area."""

    movement: str
    client_group: str
    origin: str
    settled: str
    count: int


def record_monthly_return(db: sqlite_utils.Database, service_ref: str, month: object,
                          cells: Iterable[GridCell | Mapping[str, object]], *,
                          source: str | None = None, today: date | None = None) -> dict[str, int]:
    """A service's return for a month as typed into the grid: its cells replace what was
    recorded for that month (cells of 0 are nobody). A cell whose count did not change keeps
    its recorded rows, so named out-of-county areas from an import survive an edit.
    One transaction, one audit row. Returns the month's entrant and leaver totals."""
    today = today or date.today()
    areas = areas_in_use(db)
    groups = reference_lists(db)["client_group"]
    try:
        clean_month = parse_month(month)
    except ValueError as exc:
        raise ValidationError({"month": str(exc)}) from None
    service = _services(db).get(str(service_ref).strip().casefold())
    problems = _service_errors(service, str(service_ref), clean_month)
    if problems:
        raise ValidationError(dict(p.split(": ", 1) for p in problems))
    assert service is not None
    coarse: dict[tuple[str, str, str, str], int] = defaultdict(int)
    errors: dict[str, str] = {}
    for number, cell in enumerate(cells, start=1):
        raw = dict(cell.__dict__) if isinstance(cell, GridCell) else dict(cell)
        if not raw.get("count"):
            continue
        raw.update(service_ref=service.ref, month=clean_month,
                   settled=raw.get("settled") or None, origin_area="")
        try:
            clean = validate_movement(raw, areas, groups, today=today)
        except ValidationError as exc:
            for field, message in exc.errors.items():
                errors.setdefault(f"cell {number} {field}".strip(), message)
            continue
        group = clean["client_group"] or service.client_group
        coarse[(clean["movement"], group, clean["origin"], clean["settled"])] += clean["count"]
    if errors:
        raise ValidationError(errors)
    existing = _existing(db, service.id, clean_month)
    by_coarse: dict[tuple[str, str, str, str], dict[FineKey, int]] = defaultdict(dict)
    for fine, (_, n) in existing.items():
        by_coarse[(fine[0], fine[1], fine[2], fine[4])][fine] = n
    wanted: dict[FineKey, int] = {}
    for coarse_key, n in coarse.items():
        kept = by_coarse.get(coarse_key, {})
        if sum(kept.values()) == n:
            wanted.update(kept)
        else:
            movement, group, origin, settled = coarse_key
            wanted[(movement, group, origin, "", settled)] = n
    totals = _totals(wanted)
    stamp = now_iso()
    with write(db):
        if _apply_months(db, {(service.id, clean_month): wanted}, today, stamp, replace=True)[
                (service.id, clean_month)]:
            audit(db, action="reconnection.return", entity="reconnection_return",
                  entity_id=f"{service.ref}:{clean_month}",
                  summary=f"recorded reconnection return {service.ref} {clean_month}:"
                          f" {totals['entrants']} entrants, {totals['leavers']} leavers",
                  new={"service_ref": service.ref, "month": clean_month, **totals},
                  source=source)
    return totals


def parse_month_or_error(month: object) -> str:
    try:
        return parse_month(month)
    except ValueError as exc:
        raise ValidationError({"month": str(exc)}) from None


# -- the import ------------------------------------------------------------------------------

def import_reconnection(db: sqlite_utils.Database,
                        rows: Iterable[tuple[int, Mapping[str, object]]], *,
                        source: str | None = None, today: date | None = None) -> dict[str, int]:
    """All-or-nothing import of movements, one row per person or per count. The file's rows
    are added up by (service, month, movement, client group, origin, named area, settled) and
    each total is recorded as that count, replacing the one recorded: re-importing a file
    changes nothing, and a file split in parts (sheets) imports part by part. Movements the
    file does not mention are kept (the grid removes them). The returns are marked received.
    ImportFailed lists every bad row."""
    today = today or date.today()
    areas: Areas = areas_in_use(db)
    groups = reference_lists(db)["client_group"]
    services = _services(db)
    validate = MovementValidator(areas, groups, today=today)
    known_problems: dict[tuple[str, str | None], list[str]] = {}
    errors: list[tuple[int, str]] = []
    months: dict[tuple[str, str], dict[FineKey, int]] = defaultdict(lambda: defaultdict(int))
    refs: dict[str, str] = {}
    for number, fields in rows:
        try:
            clean = validate(fields)
        except ValidationError as exc:
            errors.extend((number, f"{field}: {msg}" if field else msg)
                          for field, msg in exc.errors.items())
            clean = None
        ref = str(fields.get("service_ref") or "").strip()
        service = services.get(ref.casefold()) if ref else None
        if ref:
            month = clean["month"] if clean else None
            checked = (ref.casefold(), month)
            problems = known_problems.get(checked)
            if problems is None:
                problems = known_problems[checked] = _service_errors(service, ref, month)
            errors.extend((number, p) for p in problems)
            if problems:
                continue
        if clean is None or service is None:
            continue
        refs[service.id] = service.ref
        key = (clean["movement"], clean["client_group"] or service.client_group,
               clean["origin"], clean["origin_area"], clean["settled"])
        months[(service.id, clean["month"])][key] += clean["count"]
    if errors:
        raise ImportFailed(errors)
    if not months:
        raise ImportFailed([(0, "the file holds no movement rows")])
    stamp = now_iso()
    counts = {"months": 0, "unchanged_months": 0, "entrants": 0, "leavers": 0}
    audits = []
    with write(db):
        written = _apply_months(db, months, today, stamp, replace=False)
        for (service_id, month), wanted in sorted(months.items(), key=lambda i: i[0][1]):
            totals = _totals(wanted)
            counts["entrants"] += totals["entrants"]
            counts["leavers"] += totals["leavers"]
            if not written[(service_id, month)]:
                counts["unchanged_months"] += 1
                continue
            counts["months"] += 1
            ref = refs[service_id]
            audits.append(("reconnection.import", "reconnection_return", f"{ref}:{month}",
                           f"imported reconnection return {ref} {month}:"
                           f" {totals['entrants']} entrants, {totals['leavers']} leavers",
                           {"service_ref": ref, "month": month, **totals}, source))
        audit_many(db, audits)
    return counts


def import_returns(db: sqlite_utils.Database,
                   rows: Iterable[tuple[int, Mapping[str, object]]], *,
                   source: str | None = None, today: date | None = None) -> dict[str, int]:
    """All-or-nothing import of monthly returns received (a nil return has no movements).
    A return already recorded with the same date is skipped; another date updates it."""
    today = today or date.today()
    services = _services(db)
    errors: list[tuple[int, str]] = []
    wanted: dict[tuple[str, str], tuple[str, str]] = {}
    for number, fields in rows:
        ref = str(fields.get("service_ref") or "").strip()
        try:
            month = parse_month(fields.get("month"))
        except ValueError as exc:
            errors.append((number, f"month: {exc}"))
            month = None
        try:
            received = parse_date(fields.get("received_date"), field="received date")
        except ValueError as exc:
            errors.append((number, f"received_date: {exc}"))
            received = None
        if not ref:
            errors.append((number, "service_ref: service reference is required"))
            continue
        service = services.get(ref.casefold())
        problems = _service_errors(service, ref, month)
        errors.extend((number, p) for p in problems)
        if problems or month is None or received is None or service is None:
            continue
        if received > today:
            errors.append((number, f"received_date: {received.isoformat()} is in the future"))
        elif received < month_first(month):
            errors.append((number, f"received_date: {received.isoformat()} is before the month"
                                   f" {month} began"))
        else:
            wanted[(service.id, month)] = (service.ref, received.isoformat())
    if errors:
        raise ImportFailed(errors)
    if not wanted:
        raise ImportFailed([(0, "the file holds no return rows")])
    existing = {(sid, m): (rid, d) for rid, sid, m, d in db.execute(
        "SELECT id, service_id, month, received_date FROM reconnection_returns")}
    stamp = now_iso()
    added, updated, audits = [], [], []
    for (service_id, month), (ref, day) in wanted.items():
        old = existing.get((service_id, month))
        if old is None:
            added.append((new_id(), service_id, month, day, stamp, stamp))
        elif old[1] != day:
            updated.append((day, stamp, old[0]))
        else:
            continue
        audits.append(("reconnection.return", "reconnection_return", f"{ref}:{month}",
                       f"reconnection return {ref} {month} received {day}",
                       {"service_ref": ref, "month": month, "received_date": day}, source))
    with write(db):
        db.conn.executemany(
            "INSERT INTO reconnection_returns (id, service_id, month, received_date, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)", added)
        db.conn.executemany("UPDATE reconnection_returns SET received_date = ?, updated_at = ?"
                            " WHERE id = ?", updated)
        audit_many(db, audits)
    return {"added": len(added), "updated": len(updated),
            "unchanged": len(wanted) - len(added) - len(updated)}


def record_nil_return(db: sqlite_utils.Database, service_ref: str, month: object, *,
                      source: str | None = None, today: date | None = None) -> dict[str, int]:
    """A return with nobody entering or leaving (it still counts as received). Refused when
    movements are recorded for the month: those are corrected in the grid, not wiped."""
    sheet = return_sheet(db, str(service_ref), parse_month_or_error(month))
    if sheet is not None and sheet.cells:
        raise ValidationError({"month": f"{sum(sheet.cells.values())} movements are recorded for"
                                        f" {service_ref} in that month; correct them in the"
                                        f" monthly return grid"})
    return record_monthly_return(db, service_ref, month, [], source=source, today=today)


__all__ = ["GridCell", "import_reconnection", "record_monthly_return",
           "record_nil_return", "import_returns", "ENTRANT", "LEAVER"]
