"""Appendix 1, Tables 1.1-1.4: the contract position at a quarter's close beside the same
quarter a year earlier, each column from the contract versions in force on that day.

A service counts at a date if it is active in the register then (started, not ended) and has
a contract version in force that day. Units are household plus leaseholder units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlite_utils

from sp_tui.domain.contracts import (
    BLOCK_GROSS, BLOCK_SUBSIDY, CATEGORY_LABELS, FLOATING_SUPPORT, HIA, OTHER,
    SHELTERED_ACCOMMODATION, SHELTERED_ALARM, ContractPosition, InForce, format_money,
    pounds_text,
)
from sp_tui.domain.quarters import Quarter
from sp_tui.reports.tables import Money, Percent, ReportTable

# The version in force at :day for each service active at :day. Should two versions of a
# service ever overlap (a merge of copies), the one that started last wins: one per service.
_IN_FORCE = f"""
SELECT s.id AS service_id, s.provider_id AS provider_id,
       coalesce(c.category, '{OTHER}') AS category, v.contract_type AS contract_type,
       v.capped AS capped, v.household_units AS household, v.leaseholder_units AS leaseholder,
       v.annual_value_pence AS value
FROM contract_versions v
JOIN services s ON s.id = v.service_id
LEFT JOIN unit_categories c ON c.service_type = s.service_type
WHERE v.start_date <= :day AND (v.end_date IS NULL OR v.end_date >= :day)
  AND s.start_date <= :day AND (s.end_date IS NULL OR s.end_date >= :day)
  AND NOT EXISTS (
      SELECT 1 FROM contract_versions w
      WHERE w.service_id = v.service_id AND w.start_date > v.start_date
        AND w.start_date <= :day AND (w.end_date IS NULL OR w.end_date >= :day))
"""


def grant_for(db: sqlite_utils.Database, financial_year: str) -> int | None:
    row = db.execute("SELECT amount_pence FROM contract_grants WHERE financial_year = ?",
                     (financial_year,)).fetchone()
    return row[0] if row else None


# The same sums as ``position`` over _IN_FORCE's rows, added up in SQL: one row per category,
# contract type and cap (a few dozen), instead of one per service.
_POSITION = f"""
WITH f AS MATERIALIZED ({_IN_FORCE})
SELECT category, contract_type, capped, count(*), sum(household), sum(leaseholder), sum(value),
       (SELECT count(DISTINCT provider_id) FROM f)
FROM f GROUP BY category, contract_type, capped
"""


def contract_position(db: sqlite_utils.Database, quarter: Quarter) -> ContractPosition:
    """The position at the quarter's last day, with the grant of its financial year (what
    ``domain.contracts.position`` adds up from the versions in force, summed in SQL)."""
    day = quarter.end
    providers = services = household = leaseholder = 0
    by_category: dict[str, int] = {}
    by_type: dict[tuple[str, bool], int] = {}
    values: dict[str, int] = {}
    for (category, kind, capped, count, homes, leases, value,
         provider_count) in db.execute(_POSITION, {"day": day.isoformat()}):
        providers = provider_count
        services += count
        household += homes
        leaseholder += leases
        by_category[category] = by_category.get(category, 0) + homes + leases
        key = (kind, bool(capped))
        by_type[key] = by_type.get(key, 0) + homes + leases
        values[category] = values.get(category, 0) + value
    return ContractPosition(day=day, providers=providers, services=services,
                            household_units=household, leaseholder_units=leaseholder,
                            by_category=by_category, by_type=by_type, value_pence=values,
                            grant_pence=grant_for(db, quarter.financial_year),
                            financial_year=quarter.financial_year)


def versions_in_force(db: sqlite_utils.Database, day: date) -> list[InForce]:
    """Each service's version in force at ``day`` (what the position adds up)."""
    return [InForce(*row) for row in db.execute(_IN_FORCE, {"day": day.isoformat()})]


def contract_figures(db: sqlite_utils.Database, quarter: Quarter) -> dict[str, int]:
    """Table 1.1's figures for one quarter (kept for callers of the first version)."""
    p = contract_position(db, quarter)
    return {"providers": p.providers, "services": p.services,
            "household_units": p.household_units, "leaseholder_units": p.leaseholder_units,
            "total_units": p.total_units}


def _columns(db: sqlite_utils.Database, quarter: Quarter
             ) -> tuple[list[str], list[ContractPosition]]:
    earlier = Quarter(quarter.number - 4) if quarter.number > 4 else None
    quarters = ([earlier] if earlier else []) + [quarter]
    return [""] + [q.label for q in quarters], [contract_position(db, q) for q in quarters]


def _rows(positions: list[ContractPosition], lines) -> list[list[object]]:
    return [[label, *[value(p) for p in positions]] for label, value in lines]


SOURCE = ("Source: contract versions in force at each quarter's close, for services active in"
          " the register that day (a year earlier: the terms in force then).")


def table_1_1(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    columns, positions = _columns(db, quarter)
    return ReportTable(
        key="table1_1",
        title=f"Table 1.1: Contractual data as at close of Quarter {quarter.number}",
        subtitle="Each quarter's close beside the same quarter a year earlier",
        columns=columns, total_rows=1,
        rows=_rows(positions, [
            ("Number of providers", lambda p: p.providers),
            ("Number of services", lambda p: p.services),
            ("Number of household units", lambda p: p.household_units),
            ("Number of leaseholder units", lambda p: p.leaseholder_units),
            ("Total units", lambda p: p.total_units),
        ]),
        footnotes=[SOURCE, "Providers: those with at least one service counted."])


def table_1_2(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    columns, positions = _columns(db, quarter)
    return ReportTable(
        key="table1_2", title="Table 1.2: Breakdown of units",
        subtitle=f"As at close of Quarter {quarter.number} and a year earlier",
        columns=columns, total_rows=1,
        rows=_rows(positions, [
            ("Number of floating support units", lambda p: p.category(FLOATING_SUPPORT)),
            ("Number of HIA units", lambda p: p.category(HIA)),
            ("Number of sheltered units", lambda p: p.sheltered_units),
            ("- Accommodation", lambda p: p.category(SHELTERED_ACCOMMODATION)),
            ("- Community alarm", lambda p: p.category(SHELTERED_ALARM)),
            ("Number of other accommodation based units", lambda p: p.category(OTHER)),
            ("Total", lambda p: p.category_total),
        ]),
        footnotes=[SOURCE, "Units include leaseholder units; the total equals Table 1.1's."
                   " Each service type's units go to one line (`sp-tui contracts categories`)."])


def table_1_3(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    columns, positions = _columns(db, quarter)
    return ReportTable(
        key="table1_3", title="Table 1.3: Contracts",
        subtitle=f"Units by contract type as at close of Quarter {quarter.number} and a year"
                 " earlier",
        columns=columns, total_rows=1,
        rows=_rows(positions, [
            ("Number of block gross units", lambda p: p.units_of(BLOCK_GROSS)),
            ("Number of block subsidy units", lambda p: p.units_of(BLOCK_SUBSIDY)),
            ("- Of which capped", lambda p: p.units_of(BLOCK_SUBSIDY, True)),
            ("- Not capped", lambda p: p.units_of(BLOCK_SUBSIDY, False)),
            ("All contracts capped", lambda p: p.all_capped(True)),
            ("All contracts not capped", lambda p: p.all_capped(False)),
            ("Total", lambda p: p.type_total),
        ]),
        footnotes=[SOURCE, "Either type of contract can be capped: 'all contracts capped'"
                   " counts the capped units of both. The total equals Table 1.1's."])


def table_1_4(db: sqlite_utils.Database, quarter: Quarter) -> ReportTable:
    columns, positions = _columns(db, quarter)
    unvalued = [p.financial_year for p in positions if p.grant_pence is None]
    notes = [f"Contract £: the annual values of the versions in force at each close;"
             f" grants are per financial year ({', '.join(p.financial_year for p in positions)}).",
             "% accommodation based: every value that is not floating support (HIAs included)."
             " Percentages are whole numbers rounded half up."]
    if unvalued:
        notes.append(f"No grant recorded for {', '.join(unvalued)}:"
                     " `sp-tui contracts grant YEAR AMOUNT`.")
    return ReportTable(
        key="table1_4", title="Table 1.4: Contract values",
        subtitle=f"As at close of Quarter {quarter.number} and a year earlier",
        columns=columns,
        rows=_rows(positions, [
            ("Grant from CLG", lambda p: Money(p.grant_pence)),
            ("Contract £", lambda p: Money(p.total_value_pence)),
            ("% FS", lambda p: Percent(p.floating_support_percent)),
            ("% Accommodation based", lambda p: Percent(p.accommodation_percent)),
        ]),
        footnotes=notes)


CONTRACT_TABLES = (table_1_1, table_1_2, table_1_3, table_1_4)


def contract_tables(db: sqlite_utils.Database, quarter: Quarter) -> list[ReportTable]:
    return [build(db, quarter) for build in CONTRACT_TABLES]


# -- a service's history, grants, the mapping, the export sheet ----------------------------------
@dataclass(frozen=True)
class HistoryRow:
    id: str
    start_date: str
    end_date: str | None
    contract_type: str
    capped: bool
    household_units: int
    leaseholder_units: int
    annual_value_pence: int
    in_force: bool

    @property
    def value_text(self) -> str:
        return format_money(self.annual_value_pence)


def contract_history(db: sqlite_utils.Database, service_id: str,
                     today: date | None = None) -> list[HistoryRow]:
    """A service's versions, latest first; ``in_force`` marks today's."""
    day = (today or date.today()).isoformat()
    return [HistoryRow(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7],
                       r[1] <= day and (r[2] is None or r[2] >= day))
            for r in db.execute(
                "SELECT id, start_date, end_date, contract_type, capped, household_units,"
                " leaseholder_units, annual_value_pence FROM contract_versions"
                " WHERE service_id = ? ORDER BY start_date DESC", (service_id,))]


def service_id_by_ref(db: sqlite_utils.Database, service_ref: str) -> tuple[str, str] | None:
    row = db.execute("SELECT id, service_ref FROM services WHERE service_ref = ? COLLATE NOCASE",
                     (str(service_ref).strip(),)).fetchone()
    return (row[0], row[1]) if row else None


def service_ref_name(db: sqlite_utils.Database, service_id: str) -> tuple[str, str] | None:
    row = db.execute("SELECT service_ref, name FROM services WHERE id = ?",
                     (service_id,)).fetchone()
    return (row[0], row[1]) if row else None


def grants(db: sqlite_utils.Database) -> list[tuple[str, int]]:
    return db.execute("SELECT financial_year, amount_pence FROM contract_grants"
                      " ORDER BY financial_year").fetchall()


def unit_categories(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """Every service type in the reference list with the Table 1.2 line its units go to."""
    mapped = dict(db.execute("SELECT service_type, category FROM unit_categories").fetchall())
    mapped = {k.casefold(): v for k, v in mapped.items()}
    types = [r[0] for r in db.execute(
        "SELECT value FROM reference_values WHERE kind = 'service_type' ORDER BY value")]
    return [(t, mapped.get(t.casefold(), OTHER)) for t in types]


def unit_category_import_rows(db: sqlite_utils.Database):
    """The service types mapped to a Table 1.2 line, in the `sp-tui import unit-categories`
    columns (the export data sheet)."""
    yield from db.execute("SELECT service_type, category FROM unit_categories"
                          " ORDER BY service_type")


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def contract_import_rows(db: sqlite_utils.Database):
    """Every version in the `sp-tui import contracts` columns (the export data sheet)."""
    for row in db.execute(
            "SELECT s.service_ref, v.start_date, v.end_date, v.contract_type,"
            " CASE v.capped WHEN 1 THEN 'yes' ELSE 'no' END, v.household_units,"
            " v.leaseholder_units, v.annual_value_pence FROM contract_versions v"
            " JOIN services s ON s.id = v.service_id ORDER BY s.service_ref, v.start_date"):
        yield (*row[:7], pounds_text(row[7]))



def grant_import_rows(db: sqlite_utils.Database):
    """Every grant in the `sp-tui import grants` columns (the export data sheet)."""
    for year, pence in grants(db):
        yield year, pounds_text(pence)
