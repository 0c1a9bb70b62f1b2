"""KPI 1 and KPI 2 from the workbooks' figures: Tables 2.1-2.5 (report Appendix 2), the
per-service list, the dashboard panel and the "figures missing" attention source.

Figures count as at the quarter's close, including any entered later for that quarter.
Every programme figure is Σ numerators / Σ denominators over the services counted; a cell
with no denominator is blank.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlite_utils

from sp_tui.domain.kpi import (
    ACCOMMODATION, CLASS_LABELS, DEFAULT_TOLERANCE, SERVICE_CLASSES, TWO_PLACES, Rag, kpi_percent,
    rag,
)
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.paging import PAGE_SIZE
from sp_tui.reports.tables import Percent, ReportTable

YEAR_TO_DATE = 3       # Tables 2.1-2.3: the three quarters ending at N
COMPARISON = 4         # Tables 2.4-2.5: the four quarters ending at N
PAGE = PAGE_SIZE  # the one page size (reports.paging)

# A service due a workbook in the quarter whose last day is the parameter :last.
_EXPECTED = ("s.workbook_required = 1 AND s.start_date <= :last"
             " AND (s.end_date IS NULL OR s.end_date >= :last)")
_CLASS = f"coalesce(c.service_class, '{ACCOMMODATION}')"


def pct(value: Decimal | None) -> Percent:
    """A two-decimal percentage cell (entered figures such as 96.5 shown as 96.50)."""
    return Percent(None if value is None else value.quantize(TWO_PLACES), places=2)


def _label(value: Decimal) -> str:
    return f"{value.normalize():f}"


# -- settings ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class KpiSettings:
    targets: dict[tuple[int, str], Decimal]     # (kpi, "2008/09") -> target
    tolerance: Decimal

    def target(self, kpi: int, quarter: Quarter) -> Decimal | None:
        """The target for the quarter's financial year, else the latest earlier year's."""
        year = quarter.financial_year
        years = sorted(y for k, y in self.targets if k == kpi and y <= year)
        return self.targets[(kpi, years[-1])] if years else None

    def rag(self, kpi: int, quarter: Quarter, value: Decimal | None) -> Rag | None:
        return rag(value, self.target(kpi, quarter), self.tolerance)


def kpi_settings(db: sqlite_utils.Database) -> KpiSettings:
    targets = {(kpi, year): Decimal(value) for kpi, year, value in db.execute(
        "SELECT kpi, financial_year, target FROM kpi_targets")}
    row = db.execute("SELECT value FROM kpi_settings WHERE key = 'rag_tolerance'").fetchone()
    return KpiSettings(targets, Decimal(row[0]) if row else DEFAULT_TOLERANCE)


def kpi_targets(db: sqlite_utils.Database) -> list[tuple[int, str, Decimal]]:
    return [(kpi, year, Decimal(v)) for kpi, year, v in db.execute(
        "SELECT kpi, financial_year, target FROM kpi_targets ORDER BY kpi, financial_year")]


def service_classes(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """Every service type with its class (unmapped types are accommodation based)."""
    return [tuple(r) for r in db.execute(
        f"SELECT r.value, {_CLASS} FROM reference_values r"
        " LEFT JOIN kpi_service_classes c ON c.service_type = r.value"
        " WHERE r.kind = 'service_type' ORDER BY r.value COLLATE NOCASE")]


# -- sums -------------------------------------------------------------------------------------

@dataclass
class Sums:
    """Σ of each figure over a set of services (None: nobody reported that pair)."""

    kpi1: list[int] | None = None   # [Σ independent, Σ users]
    kpi2: list[int] | None = None   # [Σ planned, Σ departures]

    def add(self, n1, d1, n2, d2) -> None:
        if d1 is not None:
            self.kpi1 = [a + b for a, b in zip(self.kpi1 or [0, 0], (n1 or 0, d1))]
        if d2 is not None:
            self.kpi2 = [a + b for a, b in zip(self.kpi2 or [0, 0], (n2 or 0, d2))]

    def percent(self, kpi: int) -> Decimal | None:
        pair = self.kpi1 if kpi == 1 else self.kpi2
        return kpi_percent(*pair) if pair else None

    def reported(self, kpi: int) -> bool:
        return (self.kpi1 if kpi == 1 else self.kpi2) is not None


@dataclass
class KpiSums:
    """Sums by quarter: overall, by service class, by client group."""

    overall: dict[int, Sums]
    by_class: dict[tuple[int, str], Sums]
    by_group: dict[tuple[int, str], Sums]
    last_changed: str | None

    def groups(self, kpi: int, quarters: Iterable[int]) -> list[str]:
        """The client groups with figures for ``kpi`` in any of ``quarters``."""
        wanted = set(quarters)
        return sorted({g for (q, g), s in self.by_group.items()
                       if q in wanted and s.reported(kpi)}, key=str.casefold)


_SUMS = f"""
SELECT f.quarter, s.client_group, {_CLASS},
       sum(f.kpi1_independent), sum(f.kpi1_users), count(f.kpi1_users),
       sum(f.kpi2_planned), sum(f.kpi2_departures), count(f.kpi2_departures),
       max(f.updated_at)
FROM kpi_figures f JOIN services s ON s.id = f.service_id
LEFT JOIN kpi_service_classes c ON c.service_type = s.service_type
WHERE f.quarter BETWEEN ? AND ?
GROUP BY f.quarter, s.client_group, {_CLASS}
"""


def kpi_sums(db: sqlite_utils.Database, first: int, last: int) -> KpiSums:
    overall: dict[int, Sums] = defaultdict(Sums)
    by_class: dict[tuple[int, str], Sums] = defaultdict(Sums)
    by_group: dict[tuple[int, str], Sums] = defaultdict(Sums)
    changed: str | None = None
    for q, group, klass, n1, d1, c1, n2, d2, c2, stamp in db.execute(_SUMS, (first, last)):
        d1 = d1 if c1 else None
        d2 = d2 if c2 else None
        for sums in (overall[q], by_class[(q, klass)], by_group[(q, group)]):
            sums.add(n1, d1, n2, d2)
        changed = max(changed or "", stamp or "") or None
    return KpiSums(overall, by_class, by_group, changed)


def benchmarks(db: sqlite_utils.Database, first: int, last: int
               ) -> dict[tuple[int, int, str, str, str], Decimal]:
    """(quarter, kpi, scope, breakdown, category casefolded) -> value."""
    return {(q, kpi, scope, breakdown, category.casefold()): Decimal(value)
            for q, kpi, scope, breakdown, category, value in db.execute(
                "SELECT quarter, kpi, scope, breakdown, category, value FROM kpi_benchmarks"
                " WHERE quarter BETWEEN ? AND ?", (first, last))}


def benchmark_list(db: sqlite_utils.Database, quarter: Quarter | None = None) -> list[tuple]:
    """Every regional and national figure (of one quarter): quarter, kpi, scope,
    breakdown, category, value."""
    where, params = ("WHERE quarter = ?", (quarter.number,)) if quarter else ("", ())
    return [(q, k, s, b, c, Decimal(v)) for q, k, s, b, c, v in db.execute(
        f"SELECT quarter, kpi, scope, breakdown, category, value FROM kpi_benchmarks {where}"
        " ORDER BY quarter, kpi, scope, breakdown, category", params)]


# -- Tables 2.1-2.5 ---------------------------------------------------------------------------

def _quarters(quarter: Quarter, count: int) -> list[Quarter]:
    return [Quarter(n) for n in range(max(1, quarter.number - count + 1), quarter.number + 1)]


def _notes(sums: KpiSums, extra: Sequence[str] = ()) -> list[str]:
    notes = ["Σ numerators / Σ denominators over the services' workbook figures, as at each"
             " quarter's close (figures entered later count); two decimals, half up.",
             *extra,
             "Regional and national figures: published by CLG, entered in sp-tui."]
    if sums.last_changed:
        notes.append(f"Figures last changed {sums.last_changed.replace('T', ' ')}.")
    return notes


@dataclass(frozen=True)
class _Inputs:
    """What Tables 2.1-2.5 read, loaded once for the four quarters ending at N."""

    sums: KpiSums
    marks: dict
    settings: KpiSettings


def _inputs(db, quarter: Quarter) -> _Inputs:
    first = _quarters(quarter, COMPARISON)[0].number
    return _Inputs(kpi_sums(db, first, quarter.number), benchmarks(db, first, quarter.number),
                   kpi_settings(db))


def _year_to_date(db, quarter: Quarter, kpi: int, *, by_class: bool, key: str, title: str,
                  subtitle: str, inputs: _Inputs | None = None) -> ReportTable:
    quarters = _quarters(quarter, YEAR_TO_DATE)
    inputs = inputs or _inputs(db, quarter)
    sums, marks, settings = inputs.sums, inputs.marks, inputs.settings
    target = settings.target(kpi, quarter)
    n = quarter.number

    def row(label: str, cells: list[Sums | None], breakdown: str, category: str) -> list:
        values = [c.percent(kpi) if c else None for c in cells]
        regional = marks.get((n, kpi, "regional", breakdown, category.casefold()))
        return [label, *[pct(v) for v in values], pct(regional),
                settings.rag(kpi, quarter, values[-1])]

    rows = []
    footnotes = []
    if by_class:
        for klass in SERVICE_CLASSES:
            rows.append(row(CLASS_LABELS[klass],
                            [sums.by_class.get((q.number, klass)) for q in quarters],
                            "service_class", klass))
        rows.append(row(f"Overall KPI {kpi}", [sums.overall.get(q.number) for q in quarters],
                        "overall", ""))
    else:
        blank: list[str] = []
        for group in sums.groups(kpi, [q.number for q in quarters]):
            cells = [sums.by_group.get((q.number, group)) for q in quarters]
            label = group
            if cells[-1] is None or cells[-1].percent(kpi) is None:
                label = f"{group}*"
                blank.append(group)
            rows.append(row(label, cells, "client_group", group))
        rows.append(row("Total", [sums.overall.get(q.number) for q in quarters], "overall", ""))
        if blank:
            footnotes.append(f"* no {'departures' if kpi == 2 else 'service users counted'}"
                             f" in Q{n}.")
    target_text = f"target {_label(target)}%" if target is not None else "no target set"
    return ReportTable(
        key=key, title=title, subtitle=f"{subtitle}; Q{quarters[0].number}-Q{n}",
        columns=["Primary client group" if not by_class else "",
                 *[f"Q{q.number} KPI {kpi} (%)" for q in quarters],
                 f"Q{n} regional (%)", f"RAG rating ({target_text})"],
        rows=rows, total_rows=1, footnotes=_notes(sums, footnotes))


def table_2_1(db: sqlite_utils.Database, quarter: Quarter,
              inputs: _Inputs | None = None) -> ReportTable:
    """KPI 1 by service class for the three quarters ending at ``quarter``."""
    return _year_to_date(db, quarter, 1, by_class=True, key="table2_1",
                         title="Table 2.1: KPI 1 by service type",
                         subtitle="Year to date analysis of local performance",
                         inputs=inputs)


def table_2_2(db: sqlite_utils.Database, quarter: Quarter,
              inputs: _Inputs | None = None) -> ReportTable:
    """KPI 1 by primary client group, with the total row."""
    return _year_to_date(db, quarter, 1, by_class=False, key="table2_2",
                         title="Table 2.2: KPI 1 by primary client group",
                         subtitle="Year to date analysis of local performance",
                         inputs=inputs)


def table_2_3(db: sqlite_utils.Database, quarter: Quarter,
              inputs: _Inputs | None = None) -> ReportTable:
    """KPI 2 by primary client group, with the total row."""
    return _year_to_date(db, quarter, 2, by_class=False, key="table2_3",
                         title="Table 2.3: KPI 2 by primary client group",
                         subtitle="Year to date analysis of local performance",
                         inputs=inputs)


def _comparison(db, quarter: Quarter, kpi: int, key: str, title: str,
                inputs: _Inputs | None = None) -> ReportTable:
    quarters = _quarters(quarter, COMPARISON)
    inputs = inputs or _inputs(db, quarter)
    sums, marks = inputs.sums, inputs.marks
    rows = [["Programme", *[pct(sums.overall[q.number].percent(kpi))
                            if q.number in sums.overall else pct(None) for q in quarters]]]
    for scope in ("regional", "national"):
        rows.append([scope.capitalize(),
                     *[pct(marks.get((q.number, kpi, scope, "overall", ""))) for q in quarters]])
    years: dict[str, list[int]] = {}
    for q in quarters:
        years.setdefault(q.financial_year, []).append(q.number)
    subtitle = "; ".join(f"{y}: Q{ns[0]}" + (f"-Q{ns[-1]}" if len(ns) > 1 else "")
                         for y, ns in years.items())
    return ReportTable(key=key, title=title, subtitle=subtitle,
                       columns=["", *[f"Q{q.number}" for q in quarters]], rows=rows,
                       footnotes=_notes(sums))


def table_2_4(db: sqlite_utils.Database, quarter: Quarter,
              inputs: _Inputs | None = None) -> ReportTable:
    """KPI 1 for the four quarters ending at ``quarter``: programme, regional, national."""
    return _comparison(db, quarter, 1, "table2_4",
                       "Table 2.4: KPI 1, regional and national comparison", inputs)


def table_2_5(db: sqlite_utils.Database, quarter: Quarter,
              inputs: _Inputs | None = None) -> ReportTable:
    """KPI 2 for the four quarters ending at ``quarter``: programme, regional, national."""
    return _comparison(db, quarter, 2, "table2_5",
                       "Table 2.5: KPI 2, regional and national comparison", inputs)


KPI_TABLES = (table_2_1, table_2_2, table_2_3, table_2_4, table_2_5)


def kpi_tables(db: sqlite_utils.Database, quarter: Quarter) -> list[ReportTable]:
    """Tables 2.1-2.5 in the report's order, from one read of the figures."""
    inputs = _inputs(db, quarter)
    return [build(db, quarter, inputs) for build in KPI_TABLES]


def kpi_panel(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    """The dashboard's KPI panel: each KPI for the quarter with target, RAG and regional."""
    sums = kpi_sums(db, quarter.number, quarter.number)
    marks = benchmarks(db, quarter.number, quarter.number)
    settings = kpi_settings(db)
    total = sums.overall.get(quarter.number, Sums())
    rows = []
    for kpi, name in ((1, "KPI 1 independent living"), (2, "KPI 2 planned moves")):
        value = total.percent(kpi)
        target = settings.target(kpi, quarter)
        rows.append([name, pct(value), pct(target), settings.rag(kpi, quarter, value),
                     pct(marks.get((quarter.number, kpi, "regional", "overall", "")))])
    missing = len(figures_missing(db, quarter))
    return ReportTable(
        key="kpi_panel", title=f"KPIs Q{quarter.number}",
        columns=["", "Programme", "Target", "RAG", "Regional"], rows=rows,
        footnotes=[f"{missing} workbook(s) received without figures." if missing
                   else "Every workbook received has its figures."])


# -- the per-service list ---------------------------------------------------------------------

@dataclass(frozen=True)
class ServiceKpi:
    service_id: str
    service_ref: str
    name: str
    provider: str
    client_group: str
    service_class: str
    kpi: int
    numerator: int | None
    denominator: int | None
    received: str | None
    percent: Decimal | None
    rag: Rag | None

    @property
    def missing(self) -> bool:
        """Workbook received, figures not entered."""
        return self.received is not None and self.denominator is None


@dataclass(frozen=True)
class ServiceKpiPage:
    rows: list[ServiceKpi]
    total: int
    missing: int


SORTS = {
    "percent": "ratio IS NULL, ratio",
    "ref": "s.service_ref COLLATE NOCASE",
    "name": "s.name COLLATE NOCASE",
    "provider": "p.name COLLATE NOCASE",
    "client_group": "s.client_group COLLATE NOCASE",
    "class": "class",
    "kpi": "s.term DESC",
    "numerator": "num IS NULL, num",
    "denominator": "den IS NULL, den",
}

_LIST = f"""
SELECT s.id, s.service_ref, s.name, p.name, s.client_group, {_CLASS} AS class, s.term,
       CASE s.term WHEN 'long' THEN f.kpi1_independent ELSE f.kpi2_planned END AS num,
       CASE s.term WHEN 'long' THEN f.kpi1_users ELSE f.kpi2_departures END AS den,
       w.received_date,
       CAST(CASE s.term WHEN 'long' THEN f.kpi1_independent ELSE f.kpi2_planned END AS REAL)
         / nullif(CASE s.term WHEN 'long' THEN f.kpi1_users ELSE f.kpi2_departures END, 0)
         AS ratio
FROM services s JOIN providers p ON p.id = s.provider_id
LEFT JOIN kpi_figures f ON f.service_id = s.id AND f.quarter = :q
LEFT JOIN workbooks w ON w.service_id = s.id AND w.quarter = :q
LEFT JOIN kpi_service_classes c ON c.service_type = s.service_type
WHERE {_EXPECTED} {{filters}}
"""


def service_kpis(db: sqlite_utils.Database, quarter: Quarter, *, kpi: int | None = None,
                 client_group: str | None = None, search: str = "", sort: str = "percent",
                 descending: bool = False, limit: int = PAGE, offset: int = 0,
                 missing_only: bool = False) -> ServiceKpiPage:
    """Each service due a workbook in the quarter with its KPI (1 for long-term, 2 for
    short-term services), percentage and RAG; filtered, sorted and paged in SQL."""
    params: dict[str, object] = {"q": quarter.number, "last": quarter.end.isoformat()}
    filters = []
    if kpi in (1, 2):
        filters.append("AND s.term = :term")
        params["term"] = "long" if kpi == 1 else "short"
    if client_group:
        filters.append("AND s.client_group = :group COLLATE NOCASE")
        params["group"] = client_group
    if search.strip():
        filters.append("AND (s.service_ref LIKE :like OR s.name LIKE :like OR p.name LIKE :like)")
        params["like"] = f"%{search.strip()}%"
    if missing_only:
        filters.append("AND w.received_date IS NOT NULL AND"
                       " CASE s.term WHEN 'long' THEN f.kpi1_users ELSE f.kpi2_departures END"
                       " IS NULL")
    sql = _LIST.format(filters=" ".join(filters))
    total, missing = db.execute(
        f"SELECT count(*), coalesce(sum(received_date IS NOT NULL AND den IS NULL), 0)"
        f" FROM ({sql})", params).fetchone()
    order = SORTS.get(sort, SORTS["percent"])
    if descending:
        order = ", ".join(part + " DESC" if "IS NULL" not in part else part
                          for part in order.split(", "))
    params.update(limit=limit, offset=offset)
    settings = kpi_settings(db)
    rows = []
    for sid, ref, name, provider, group, klass, term, num, den, received, _ in db.execute(
            f"{sql} ORDER BY {order}, s.service_ref COLLATE NOCASE LIMIT :limit OFFSET :offset",
            params):
        number = 1 if term == "long" else 2
        value = kpi_percent(num, den)
        rows.append(ServiceKpi(sid, ref, name, provider, group, klass, number, num, den,
                               received, value, settings.rag(number, quarter, value)))
    return ServiceKpiPage(rows, total, missing)


# -- needs attention --------------------------------------------------------------------------

def figures_missing(db: sqlite_utils.Database, quarter: Quarter) -> list[ServiceKpi]:
    """Workbooks received for the quarter whose KPI figures have not been entered."""
    return service_kpis(db, quarter, missing_only=True, sort="ref", limit=-1).rows


def figures_missing_count(db: sqlite_utils.Database, quarter: Quarter) -> int:
    return service_kpis(db, quarter, missing_only=True, limit=0).total


def kpi_attention(db: sqlite_utils.Database, quarter: Quarter, today: date) -> list:
    from sp_tui.reports.attention import AttentionItem  # that module lists this function

    return [AttentionItem("kpis", "Workbook received, figures missing", row.service_id,
                          f"{row.service_ref} {row.name} ({row.provider})",
                          date.fromisoformat(row.received[:10]))
            for row in figures_missing(db, quarter) if row.received is not None]


# -- records in their import formats (`sp-tui export data`) -----------------------------------

def kpi_import_rows(db: sqlite_utils.Database) -> Iterator[tuple]:
    """service_ref, quarter, kpi1_independent, kpi1_users, kpi2_planned, kpi2_departures."""
    yield from db.execute(
        "SELECT s.service_ref, f.quarter, f.kpi1_independent, f.kpi1_users, f.kpi2_planned,"
        " f.kpi2_departures FROM kpi_figures f JOIN services s ON s.id = f.service_id"
        " ORDER BY f.quarter, s.service_ref")


def benchmark_import_rows(db: sqlite_utils.Database) -> Iterator[tuple]:
    """quarter, kpi, scope, breakdown, category, value."""
    yield from db.execute(
        "SELECT quarter, kpi, scope, breakdown, category, value FROM kpi_benchmarks"
        " ORDER BY quarter, kpi, scope, breakdown, category")
