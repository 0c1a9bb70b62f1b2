"""KPI actions: record or correct a service's figures for a quarter, import them, enter the
regional and national figures, set targets, the RAG tolerance and the service-class mapping.

Each validates first (nothing is written on bad input), writes in one transaction and appends
an audit row; a correction's old values stay in the audit log (the figures' history).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlite_utils

from sp_tui.domain.errors import ImportFailed, ValidationError
from sp_tui.domain.kpi import (
    BREAKDOWNS, FIGURE_FIELDS, SCOPES, SERVICE_CLASSES, Figures, check_figures, parse_choice,
    parse_figure, parse_kpi, parse_percentage,
)
from sp_tui.domain.quarters import Quarter, parse_quarter, quarters_in_financial_year
from sp_tui.domain.workbooks import is_expected
from sp_tui.services.registry import service_by_ref
from sp_tui.store.connection import write
from sp_tui.store.records import audit, audit_many, now_iso

_NAMESPACE = uuid.UUID("0c5d3f7e-2a41-4b8e-9d6c-8e1f4a2b7c93")
TOLERANCE_KEY = "rag_tolerance"


def figures_id(service_id: str, quarter: int) -> str:
    """The same service and quarter get the same id in every copy of the database."""
    return str(uuid.uuid5(_NAMESPACE, f"kpi:{service_id}:{quarter}"))


def benchmark_id(quarter: int, kpi: int, scope: str, breakdown: str, category: str) -> str:
    return str(uuid.uuid5(_NAMESPACE,
                          f"benchmark:{quarter}:{kpi}:{scope}:{breakdown}:{category.casefold()}"))


@dataclass(frozen=True)
class FiguresChange:
    service_ref: str
    quarter: int
    before: dict
    after: dict
    action: str          # "recorded", "corrected" or "unchanged"


# -- service figures --------------------------------------------------------------------------

def _stored_figures(db, service_id: str, quarter: int) -> dict | None:
    row = db.execute(f"SELECT {', '.join(FIGURE_FIELDS)} FROM kpi_figures"
                     " WHERE service_id = ? AND quarter = ?", (service_id, quarter)).fetchone()
    return dict(zip(FIGURE_FIELDS, row)) if row else None


def _check_service(service: Mapping, quarter: Quarter) -> None:
    start = date.fromisoformat(service["start_date"])
    end = date.fromisoformat(service["end_date"]) if service["end_date"] else None
    if not is_expected(start, end, bool(service["workbook_required"]), quarter):
        why = ("does not have to return workbooks" if not service["workbook_required"]
               else "was not active then")
        raise ValueError(f"{service['service_ref']} has no workbook for {quarter.label}: it {why}")


def _merge_values(stored: dict | None, values: Mapping[str, object]) -> tuple[Figures, dict]:
    """Fields given in ``values`` replace the stored ones (blank clears); others are kept."""
    errors: dict[str, str] = {}
    merged: dict[str, int | None] = dict(stored or dict.fromkeys(FIGURE_FIELDS))
    for name in FIGURE_FIELDS:
        if name in values:
            try:
                merged[name] = parse_figure(values[name], field=name)
            except ValueError as exc:
                errors[name] = str(exc)
    return Figures(**merged), errors


def _write_figures(db, service_id: str, quarter: int, figures: Figures) -> str:
    stamp = now_iso()
    values = figures.as_dict()
    return db.execute(
        f"INSERT INTO kpi_figures (id, service_id, quarter, {', '.join(FIGURE_FIELDS)},"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (service_id, quarter) DO UPDATE SET"
        f" {', '.join(f'{c} = excluded.{c}' for c in FIGURE_FIELDS)},"
        " updated_at = excluded.updated_at RETURNING id",
        (figures_id(service_id, quarter), service_id, quarter,
         *(values[c] for c in FIGURE_FIELDS), stamp, stamp)).fetchone()[0]


def record_figures(db: sqlite_utils.Database, service_ref: str, quarter: Quarter,
                   values: Mapping[str, object], *, source: str | None = None) -> FiguresChange:
    """Record (or correct) a service's KPI figures for a quarter. ``values`` holds any of
    kpi1_independent, kpi1_users, kpi2_planned, kpi2_departures; a field given blank is
    cleared, a field not given keeps its stored value."""
    unknown = set(values) - set(FIGURE_FIELDS)
    if unknown:
        raise ValidationError(f"unknown field(s): {', '.join(sorted(unknown))}")
    service = service_by_ref(db, service_ref)
    try:
        _check_service(service, quarter)
    except ValueError as exc:
        raise ValidationError({"service_ref": str(exc)}) from None
    with write(db):
        before = _stored_figures(db, service["id"], quarter.number)
        figures, errors = _merge_values(before, values)
        if errors:
            raise ValidationError(errors)
        errors = check_figures(figures, service["term"], service["service_ref"])
        if errors:
            raise ValidationError(errors)
        after = figures.as_dict()
        ref = service["service_ref"]
        if before == after or (before is None and figures.empty):
            return FiguresChange(ref, quarter.number, before or {}, after, "unchanged")
        action = "corrected" if before and any(v is not None for v in before.values()) \
            else "recorded"
        fid = _write_figures(db, service["id"], quarter.number, figures)
        audit(db, action=f"kpi.{'correct' if action == 'corrected' else 'record'}",
              entity="kpi_figures", entity_id=fid,
              summary=f"KPI figures {action}: {ref} Q{quarter.number}",
              old=before or {}, new=after, source=source)
    return FiguresChange(ref, quarter.number, before or {}, after, action)


class _Services:
    """The register, loaded once per import file."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.by_ref = {
            row["service_ref"].casefold(): row for row in db.query(
                "SELECT id, service_ref, term, workbook_required, start_date, end_date"
                " FROM services")}

    def get(self, ref: object) -> dict:
        text = str(ref or "").strip()
        if not text:
            raise ValueError("service_ref is required")
        service = self.by_ref.get(text.casefold())
        if service is None:
            raise ValueError(f"unknown service reference {text!r}")
        return service


def _row_quarter(raw: object) -> Quarter:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if raw is None or not str(raw).strip():
        raise ValueError("quarter is required")
    return parse_quarter(raw if isinstance(raw, int) else str(raw))


def import_kpis(db: sqlite_utils.Database, rows: Iterable[tuple[int, Mapping[str, object]]],
                *, source: str | None = None) -> dict[str, int]:
    """`sp-tui import kpis`: service_ref, quarter, kpi1_independent, kpi1_users,
    kpi2_planned, kpi2_departures (blank = not reported). All or nothing; a row equal to what
    is recorded is skipped; a row that differs corrects it (the old values are audited)."""
    services = _Services(db)
    errors: list[tuple[int, str]] = []
    seen: dict[tuple[str, int], int] = {}
    planned: list[tuple[dict, int, Figures]] = []
    for number, fields in rows:
        try:
            service = services.get(fields.get("service_ref"))
            quarter = _row_quarter(fields.get("quarter"))
            _check_service(service, quarter)
        except ValueError as exc:
            errors.append((number, str(exc)))
            continue
        key = (service["id"], quarter.number)
        if key in seen:
            errors.append((number, f"{service['service_ref']} Q{quarter.number} is already in"
                                   f" row {seen[key]}"))
            continue
        seen[key] = number
        figures, problems = _merge_values(None, {f: fields.get(f) for f in FIGURE_FIELDS})
        problems = problems or check_figures(figures, service["term"], service["service_ref"])
        if problems:
            errors += [(number, message) for message in problems.values()]
            continue
        planned.append((service, quarter.number, figures))
    if errors:
        raise ImportFailed(errors)
    counts = {"recorded": 0, "corrected": 0, "unchanged": 0}
    with write(db):
        stored = {(sid, q): dict(zip(FIGURE_FIELDS, vals)) for sid, q, *vals in db.execute(
            f"SELECT service_id, quarter, {', '.join(FIGURE_FIELDS)} FROM kpi_figures")}
        audits = []
        for service, quarter_no, figures in planned:
            before = stored.get((service["id"], quarter_no))
            after = figures.as_dict()
            if before == after or (before is None and figures.empty):
                counts["unchanged"] += 1
                continue
            corrected = before is not None and any(v is not None for v in before.values())
            fid = _write_figures(db, service["id"], quarter_no, figures)
            if corrected:
                audit(db, action="kpi.correct", entity="kpi_figures", entity_id=fid,
                      summary=f"KPI figures corrected: {service['service_ref']} Q{quarter_no}",
                      old=before, new=after, source=source)
                counts["corrected"] += 1
            else:
                audits.append(("kpi.record", "kpi_figures", fid,
                               f"KPI figures recorded: {service['service_ref']} Q{quarter_no}",
                               after, source))
                counts["recorded"] += 1
        audit_many(db, audits)
    return counts


# -- regional and national figures ------------------------------------------------------------

@dataclass(frozen=True)
class Benchmark:
    quarter: int
    kpi: int
    scope: str
    breakdown: str
    category: str
    value: Decimal


def _client_groups(db) -> dict[str, str]:
    return {v.casefold(): v for (v,) in db.execute(
        "SELECT value FROM reference_values WHERE kind = 'client_group'")}


def clean_benchmark(fields: Mapping[str, object], groups: Mapping[str, str]) -> Benchmark:
    """A regional or national figure from raw input, or ValueError saying what is wrong."""
    quarter = _row_quarter(fields.get("quarter"))
    kpi = parse_kpi(fields.get("kpi"))
    scope = parse_choice(fields.get("scope"), SCOPES, "scope")
    breakdown = parse_choice(fields.get("breakdown") or "overall", BREAKDOWNS, "breakdown")
    raw = str(fields.get("category") or "").strip()
    if breakdown == "overall":
        if raw:
            raise ValueError(f"an overall figure has no category (got {raw[:40]!r})")
        category = ""
    elif not raw:
        raise ValueError(f"a {breakdown.replace('_', ' ')} figure needs a category")
    elif breakdown == "service_class":
        if kpi != 1:
            raise ValueError("KPI 2 is not split by service class")
        category = parse_choice(raw, SERVICE_CLASSES, "service class")
    else:
        if raw.casefold() not in groups:
            raise ValueError(f"unknown client group {raw[:60]!r}"
                             " (see `sp-tui ref list client_group`)")
        category = groups[raw.casefold()]
    value = parse_percentage(fields.get("value"), field="value")
    return Benchmark(quarter.number, kpi, scope, breakdown, category, value)


def _write_benchmark(db, b: Benchmark) -> tuple[str, str | None]:
    """Insert or update; returns (id, the old value or None)."""
    bid = benchmark_id(b.quarter, b.kpi, b.scope, b.breakdown, b.category)
    old = db.execute("SELECT value FROM kpi_benchmarks WHERE quarter = ? AND kpi = ? AND"
                     " scope = ? AND breakdown = ? AND category = ?",
                     (b.quarter, b.kpi, b.scope, b.breakdown, b.category)).fetchone()
    stamp = now_iso()
    bid = db.execute(
        "INSERT INTO kpi_benchmarks (id, quarter, kpi, scope, breakdown, category, value,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (quarter, kpi, scope, breakdown, category) DO UPDATE SET"
        " value = excluded.value, updated_at = excluded.updated_at RETURNING id",
        (bid, b.quarter, b.kpi, b.scope, b.breakdown, b.category, str(b.value), stamp, stamp)
    ).fetchone()[0]
    return bid, old[0] if old else None


def _benchmark_label(b: Benchmark) -> str:
    what = b.category or "overall"
    return f"KPI {b.kpi} {b.scope} Q{b.quarter} {what}"


def set_benchmark(db: sqlite_utils.Database, fields: Mapping[str, object], *,
                  source: str | None = None) -> Benchmark:
    """Enter (or change) one regional or national figure: quarter, kpi, scope, breakdown,
    category, value."""
    try:
        benchmark = clean_benchmark(fields, _client_groups(db))
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    with write(db):
        bid, old = _write_benchmark(db, benchmark)
        if old != str(benchmark.value):
            audit(db, action="kpi.benchmark", entity="kpi_benchmark", entity_id=bid,
                  summary=f"{_benchmark_label(benchmark)} = {benchmark.value}%",
                  old={"value": old}, new={"value": str(benchmark.value)}, source=source)
    return benchmark


def remove_benchmark(db: sqlite_utils.Database, fields: Mapping[str, object], *,
                     source: str | None = None) -> bool:
    """Remove one regional or national figure (the audit log keeps its value)."""
    try:
        b = clean_benchmark({**fields, "value": fields.get("value") or 0}, _client_groups(db))
    except ValueError as exc:
        raise ValidationError(str(exc)) from None
    with write(db):
        row = db.execute("SELECT id, value FROM kpi_benchmarks WHERE quarter = ? AND kpi = ?"
                         " AND scope = ? AND breakdown = ? AND category = ?",
                         (b.quarter, b.kpi, b.scope, b.breakdown, b.category)).fetchone()
        if not row:
            return False
        db.execute("DELETE FROM kpi_benchmarks WHERE id = ?", (row[0],))
        audit(db, action="kpi.benchmark.remove", entity="kpi_benchmark", entity_id=row[0],
              summary=f"{_benchmark_label(b)} removed", old={"value": row[1]}, new={},
              source=source)
    return True


def import_benchmarks(db: sqlite_utils.Database,
                      rows: Iterable[tuple[int, Mapping[str, object]]], *,
                      source: str | None = None) -> dict[str, int]:
    """`sp-tui import kpi-benchmarks`: quarter, kpi, scope, breakdown, category, value.
    All or nothing; a figure already recorded with another value is replaced (audited)."""
    groups = _client_groups(db)
    errors: list[tuple[int, str]] = []
    seen: dict[tuple, int] = {}
    planned: list[Benchmark] = []
    for number, fields in rows:
        try:
            b = clean_benchmark(fields, groups)
        except ValueError as exc:
            errors.append((number, str(exc)))
            continue
        key = (b.quarter, b.kpi, b.scope, b.breakdown, b.category.casefold())
        if key in seen:
            errors.append((number, f"{_benchmark_label(b)} is already in row {seen[key]}"))
            continue
        seen[key] = number
        planned.append(b)
    if errors:
        raise ImportFailed(errors)
    counts = {"figures": 0, "changed": 0, "unchanged": 0}
    with write(db):
        for b in planned:
            bid, old = _write_benchmark(db, b)
            if old == str(b.value):
                counts["unchanged"] += 1
                continue
            counts["changed" if old is not None else "figures"] += 1
            audit(db, action="kpi.benchmark", entity="kpi_benchmark", entity_id=bid,
                  summary=f"{_benchmark_label(b)} = {b.value}%", old={"value": old},
                  new={"value": str(b.value)}, source=source)
    return counts


# -- targets, tolerance, service classes -----------------------------------------------------

def set_target(db: sqlite_utils.Database, kpi: object, financial_year: object, value: object,
               *, source: str | None = None) -> Decimal:
    """A KPI's target for a financial year ("2009/10"), as a percentage."""
    errors: dict[str, str] = {}
    try:
        number = parse_kpi(kpi)
    except ValueError as exc:
        errors["kpi"] = str(exc)
    try:
        year = quarters_in_financial_year(str(financial_year or ""))[0].financial_year
    except ValueError as exc:
        errors["financial_year"] = str(exc)
    try:
        target = parse_percentage(value, field="target")
    except ValueError as exc:
        errors["target"] = str(exc)
    if errors:
        raise ValidationError(errors)
    tid = f"kpi{number} {year}"
    with write(db):
        old = db.execute("SELECT target FROM kpi_targets WHERE id = ?", (tid,)).fetchone()
        db.execute("INSERT INTO kpi_targets (id, kpi, financial_year, target, updated_at)"
                   " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
                   " target = excluded.target, updated_at = excluded.updated_at",
                   (tid, number, year, str(target), now_iso()))
        audit(db, action="kpi.target", entity="kpi_target", entity_id=tid,
              summary=f"KPI {number} target for {year}: {target}%",
              old={"target": old[0] if old else None}, new={"target": str(target)},
              source=source)
    return target


def set_tolerance(db: sqlite_utils.Database, value: object, *,
                  source: str | None = None) -> Decimal:
    """Amber below target by less than this many percentage points (more than 0)."""
    try:
        tolerance = parse_percentage(value, field="tolerance")
    except ValueError as exc:
        raise ValidationError({"tolerance": str(exc)}) from None
    if tolerance <= 0:
        raise ValidationError({"tolerance": "tolerance must be more than 0 percentage points"})
    with write(db):
        old = db.execute("SELECT value FROM kpi_settings WHERE key = ?",
                         (TOLERANCE_KEY,)).fetchone()
        db.execute("INSERT INTO kpi_settings (key, value, updated_at) VALUES (?, ?, ?)"
                   " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                   " updated_at = excluded.updated_at", (TOLERANCE_KEY, str(tolerance), now_iso()))
        audit(db, action="kpi.tolerance", entity="kpi_setting", entity_id=TOLERANCE_KEY,
              summary=f"RAG tolerance: {tolerance} percentage points",
              old={"value": old[0] if old else None}, new={"value": str(tolerance)},
              source=source)
    return tolerance


def set_service_class(db: sqlite_utils.Database, service_type: object, service_class: object,
                      *, source: str | None = None) -> str:
    """Map a service type to accommodation based or floating support (Table 2.1)."""
    types = {v.casefold(): v for (v,) in db.execute(
        "SELECT value FROM reference_values WHERE kind = 'service_type'")}
    errors: dict[str, str] = {}
    name = str(service_type or "").strip()
    if name.casefold() not in types:
        errors["service_type"] = f"unknown service type {name[:60]!r}"
    try:
        chosen = parse_choice(service_class, SERVICE_CLASSES, "service class")
    except ValueError as exc:
        errors["service_class"] = str(exc)
    if errors:
        raise ValidationError(errors)
    name = types[name.casefold()]
    with write(db):
        old = db.execute("SELECT service_class FROM kpi_service_classes WHERE service_type = ?",
                         (name,)).fetchone()
        db.execute("INSERT INTO kpi_service_classes (service_type, service_class, updated_at)"
                   " VALUES (?, ?, ?) ON CONFLICT (service_type) DO UPDATE SET"
                   " service_class = excluded.service_class, updated_at = excluded.updated_at",
                   (name, chosen, now_iso()))
        audit(db, action="kpi.service_class", entity="kpi_service_class", entity_id=name,
              summary=f"{name}: {chosen}", old={"service_class": old[0] if old else None},
              new={"service_class": chosen}, source=source)
    return chosen


def receive_with_figures(db: sqlite_utils.Database, service_ref: str, quarter: Quarter,
                         received: object, values: Mapping[str, object], *,
                         today: date | None = None, source: str | None = None):
    """Mark a workbook received and record the figures it gives, in one transaction: bad
    figures leave the workbook as it was. Figures left blank can be entered later. Returns
    the workbook change (for undo; undoing the receipt keeps the figures)."""
    from sp_tui.services.workbooks import receive_workbook

    given = {k: v for k, v in values.items() if k in FIGURE_FIELDS}
    with write(db):
        change = receive_workbook(db, service_ref, quarter, received, today=today,
                                  source=source)
        if any(str(v or "").strip() for v in given.values()):
            record_figures(db, service_ref, quarter, given, source=source)
    return change


def set_target_and_tolerance(db: sqlite_utils.Database, kpi: object, financial_year: object,
                             target: object, tolerance: object, *,
                             source: str | None = None) -> tuple[Decimal, Decimal]:
    """The app's target form: both in one transaction (a bad tolerance saves neither)."""
    with write(db):
        return (set_target(db, kpi, financial_year, target, source=source),
                set_tolerance(db, tolerance, source=source))
