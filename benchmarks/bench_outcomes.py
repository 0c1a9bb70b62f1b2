"""Outcomes at a demo scale: importing a year of returns, Appendices 3-5, the Outcomes screen.

    python benchmarks/bench_outcomes.py [DB_PATH]     (builds a scale-20 demo if missing)

``run(db_path)`` works on a scratch copy. Figures, each beside its floor measured in the same
run where one exists:
- import: the last financial year's returns written to a CSV file, deleted from the copy,
  then `sp-tui import outcomes` (read, validate, write, audit) in rows/s; the floor is a bare
  executemany INSERT of the same rows already in their stored form; a re-import of the same
  file (all rows unchanged, nothing written) in rows/s;
- Appendices 3-5 and the measures for a quarter and for the year to date (one scan of the
  returns; the cache is cleared each time); the floor is one SQL sum of one need column over
  the year's returns (reading every row of the range once);
- the missing-returns list; the Outcomes screen's first visit beside the History screen's (floor)
  and its refresh.
"""

from __future__ import annotations

import asyncio
import csv
import sys
import tempfile
import time
from pathlib import Path

from timing import median_ms, scratch_copy, timed

SCALE = 20


def _write_csv(db, path: Path, start: str, end: str) -> int:
    from sp_tui.areas.outcomes import OUTCOMES
    from sp_tui.reports.outcomes import outcome_import_rows

    columns = [*OUTCOMES.required, *OUTCOMES.optional]
    n = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in outcome_import_rows(db):
            if start <= row[1] <= end:
                writer.writerow(row)
                n += 1
    return n


def _import_figures(db, folder: Path, quarter) -> dict[str, float]:
    from sp_tui.domain.quarters import quarters_in_financial_year
    from sp_tui.imports.reader import read_table
    from sp_tui.areas.outcomes import OUTCOMES
    from sp_tui.services.outcomes import import_outcome_returns

    year = quarters_in_financial_year(quarter.financial_year)
    start, end = year[0].start.isoformat(), year[-1].end.isoformat()
    path = folder / "year.csv"
    rows = _write_csv(db, path, start, end)
    stored = db.execute("SELECT * FROM outcome_returns WHERE departure_date BETWEEN ? AND ?",
                        (start, end)).fetchall()
    columns = [r[1] for r in db.execute("PRAGMA table_info(outcome_returns)")]
    db.execute("DELETE FROM audit_log WHERE entity = 'outcome_return'")
    db.execute("DELETE FROM outcome_returns WHERE departure_date BETWEEN ? AND ?", (start, end))

    def load():
        table = read_table(path, OUTCOMES.required, OUTCOMES.optional)
        return import_outcome_returns(db, table, source="bench")

    result, seconds = timed(load)
    assert result["added"] == rows, result
    _, again = timed(load)
    db.execute("DELETE FROM outcome_returns WHERE departure_date BETWEEN ? AND ?", (start, end))
    insert = (f"INSERT INTO outcome_returns ({', '.join(columns)})"
              f" VALUES ({', '.join('?' * len(columns))})")

    def floor():
        db.execute("BEGIN IMMEDIATE")
        db.conn.executemany(insert, stored)
        db.execute("COMMIT")

    _, floor_seconds = timed(floor)
    return {
        "outcomes: returns in a year (rows)": rows,
        "outcomes: import a year from CSV (rows/s)": rows / seconds,
        "outcomes: floor, bare INSERT of the same rows (rows/s)": rows / floor_seconds,
        "outcomes: import / floor (time ratio)": seconds / floor_seconds,
        "outcomes: re-import, all unchanged (rows/s)": rows / again,
    }


def _report_figures(db, quarter) -> dict[str, float]:
    from sp_tui.reports import outcomes as reports

    def tables(ytd: bool):
        reports._cache.clear()
        return reports.outcome_tables(db, quarter, ytd)

    period = reports.Period(quarter, ytd=True)
    bounds = (period.start.isoformat(), period.end.isoformat())
    floor = median_ms(lambda: db.execute(
        "SELECT sum(income_need) FROM outcome_returns WHERE departure_date BETWEEN ? AND ?",
        bounds).fetchone())
    quarter_ms, ytd_ms = median_ms(lambda: tables(False)), median_ms(lambda: tables(True))
    return {
        "outcomes: Appendices 3-5 + measures, quarter (ms)": quarter_ms,
        "outcomes: Appendices 3-5 + measures, year to date (ms)": ytd_ms,
        "outcomes: floor, SQL sum of one column over the year (ms)": floor,
        "outcomes: year to date / floor": ytd_ms / floor if floor else 0.0,
        "outcomes: missing-returns list, quarter (ms)": median_ms(
            lambda: reports.missing_returns(db, reports.Period(quarter))),
        "outcomes: returns in the quarter": reports.outcome_figures(
            db, reports.Period(quarter)).total.returns,
    }


def _screen_figures(db, quarter) -> dict[str, float]:
    """First visit to the Outcomes screen, beside the first visit to the History screen
    (a header, a status line and one table of 500 rows) in the same app: the floor."""
    from sp_tui.tui.app import SpTuiApp
    from sp_tui.tui.screens.audit import HistoryScreen
    from sp_tui.tui.screens.outcomes import OutcomesScreen

    result = {}

    async def visit(pilot, app, key: str, screen_class) -> float:
        start = time.perf_counter()
        await pilot.press(key)
        while not isinstance(app.screen, screen_class):
            await pilot.pause()
        await pilot.pause()
        return (time.perf_counter() - start) * 1000

    async def drive() -> None:
        app = SpTuiApp(db, today=quarter.end, quarter=quarter, poll=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            result["floor"] = await visit(pilot, app, "9", HistoryScreen)
            result["first"] = await visit(pilot, app, "0", OutcomesScreen)
            screen = app.screen
            result["refresh"] = median_ms(
                lambda: screen.fetch(db, screen.request()), repeat=5)

    asyncio.run(drive())
    return {"outcomes: Outcomes screen first visit, key to drawn (ms)": result["first"],
            "outcomes: floor, History screen first visit (ms)": result["floor"],
            "outcomes: first visit / floor": result["first"] / result["floor"],
            "outcomes: Outcomes screen refresh after a change (ms)": result["refresh"]}


def run(db_path) -> dict[str, float]:
    from sp_tui.domain.quarters import quarter_of
    from sp_tui.store.connection import open_db
    from datetime import date

    figures: dict[str, float] = {}
    with scratch_copy(db_path) as copy:
        db = open_db(copy)
        try:
            last = db.execute("SELECT max(departure_date) FROM outcome_returns").fetchone()[0]
            quarter = quarter_of(date.fromisoformat(last))
            figures["outcomes: quarter measured"] = quarter.number
            figures |= _report_figures(db, quarter)
            figures |= _screen_figures(db, quarter)
            with tempfile.TemporaryDirectory() as folder:
                figures |= _import_figures(db, Path(folder), quarter)
        finally:
            db.close()
    return figures


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if len(sys.argv) > 1:
        target = Path(sys.argv[1])
    else:
        target = Path(tempfile.gettempdir()) / f"sp-tui-bench-outcomes-scale{SCALE}.sqlite"
    if not target.exists():
        from sp_tui.areas import build_demo
        from sp_tui.store.connection import open_db

        db = open_db(target)
        _, seconds = timed(lambda: build_demo(db, SCALE))
        db.close()
        print(f"{'demo build, scale ' + str(SCALE) + ' (s)':58} {seconds:>12,.2f}")
    for name, value in run(target).items():
        print(f"{name:58} {value:>12,.2f}")
