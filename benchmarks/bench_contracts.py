"""Contracts (issue 17) on a demo database: Tables 1.1-1.4 at two dates, a service's contract
history, and an import of 10,000 contract versions.

    .venv/bin/python benchmarks/bench_contracts.py [DB_PATH]   # builds scale 20 if empty
    ./dev bench --only contracts

Floors measured in the same run: the bare SQL the tables run (report / SQL ratio), and one
executemany of the same 10,000 versions with no checks and no audit (floor / service layer).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing import median_ms, report_vs_sql, scratch_copy, timed  # noqa: E402

IMPORT_ROWS = 10_000


def table_figures(db) -> dict[str, float]:
    from sp_tui.domain.quarters import Quarter
    from sp_tui.reports.contract import contract_history, contract_tables

    quarter = Quarter(db.execute("SELECT max(quarter) FROM quarter_calendar").fetchone()[0])
    figures = report_vs_sql(db, "contracts: Tables 1.1-1.4, two dates",
                            lambda: contract_tables(db, quarter))
    service_id = db.execute("SELECT service_id FROM contract_versions GROUP BY service_id"
                            " ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    figures["contracts: a service's history (ms)"] = median_ms(
        lambda: contract_history(db, service_id))
    figures["contracts: versions in the database"] = float(
        db.execute("SELECT count(*) FROM contract_versions").fetchone()[0])
    return figures


def import_rows(db, count: int) -> list[tuple[int, dict]]:
    """Two new versions (renewals next year and the year after) for each of count/2 services
    (the demo is dated from today, so the years are too)."""
    first = date.today().year + 1
    refs = [r[0] for r in db.execute("SELECT service_ref FROM services WHERE end_date IS NULL"
                                     " AND start_date < ? ORDER BY service_ref LIMIT ?",
                                     (f"{first}-01-01", count // 2))]
    rows = []
    for ref in refs:
        for year, units in ((first, 20), (first + 1, 22)):
            rows.append((len(rows) + 2, {
                "service_ref": ref, "start_date": f"{year}-04-01",
                "end_date": f"{year + 1}-03-31" if year == first else "",
                "contract_type": "block subsidy", "capped": "yes", "household_units": units,
                "leaseholder_units": 0, "annual_value": "12345.67"}))
    return rows


def import_figures(db_path: str) -> dict[str, float]:
    from sp_tui.services.contracts import import_contracts
    from sp_tui.store.connection import open_db

    figures: dict[str, float] = {}
    with scratch_copy(db_path) as scratch:
        db = open_db(scratch)
        rows = import_rows(db, IMPORT_ROWS)
        result, seconds = timed(lambda: import_contracts(db, rows, source="bench"))
        figures[f"contracts: import {len(rows):,} new versions (rows/s)"] = len(rows) / seconds
        _, again = timed(lambda: import_contracts(db, rows, source="bench"))
        figures["contracts: the same file again, unchanged (rows/s)"] = len(rows) / again
        floor = bare_insert(db, rows)
        figures["contracts: bare executemany INSERT (rows/s)"] = floor
        figures["contracts: bare INSERT / service layer"] = floor / (len(rows) / seconds)
        db.close()
    return figures


def bare_insert(db, rows: list[tuple[int, dict]]) -> float:
    ids = dict(db.execute("SELECT service_ref, id FROM services"))
    values = [(f"raw{n}", ids[r["service_ref"]], r["start_date"].replace("20", "21", 1),
               None, r["contract_type"], 1, r["household_units"], 0,
               1234567, "2009-01-01", "2009-01-01") for n, (_, r) in enumerate(rows)]

    def insert() -> None:
        db.conn.execute("BEGIN IMMEDIATE")
        db.conn.executemany(
            "INSERT INTO contract_versions (id, service_id, start_date, end_date, contract_type,"
            " capped, household_units, leaseholder_units, annual_value_pence, created_at,"
            " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", values)
        db.conn.execute("ROLLBACK")

    return len(values) / (median_ms(insert, repeat=3) / 1000)


def run(db_path: str) -> dict[str, float]:
    from sp_tui.store.connection import open_db

    db = open_db(db_path)
    try:
        if db.execute("SELECT count(*) FROM services").fetchone()[0] == 0:
            from sp_tui.areas import build_demo

            build_demo(db, 20)
        figures = table_figures(db)
    finally:
        db.close()
    return figures | import_figures(db_path)


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = sys.argv[1] if len(sys.argv) > 1 else str(Path(folder) / "demo20.sqlite")
        for name, value in run(path).items():
            print(f"{name:58} {value:>14,.2f}")
