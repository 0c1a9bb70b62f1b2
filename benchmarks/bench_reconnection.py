"""Reconnection at demo scale: a quarter's Tables 4.3-4.11 (against the bare SQL they run),
the missing returns, the Reconnection screen's first draw and a refresh, and the import of a
year of movements (into an emptied copy, then again unchanged).

``run(db_path)`` works on a scratch copy for the import, so the cached demo database is never
changed.

    python benchmarks/bench_reconnection.py DB_PATH
"""

from __future__ import annotations

import asyncio
import csv
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from timing import median_ms, report_vs_sql, scratch_copy

from sp_tui.domain.quarters import Quarter, quarter_of
from sp_tui.domain.reconnection import month_first
from sp_tui.imports.formats import RECONNECTION
from sp_tui.imports.reader import read_table
from sp_tui.reports.reconnection import (
    missing_returns, reconnection_import_rows, reconnection_panel, reconnection_tables,
)
from sp_tui.services.reconnection import import_reconnection
from sp_tui.store.connection import open_db


def _latest_quarter(db) -> Quarter | None:
    last = db.execute("SELECT max(month) FROM reconnection_movements").fetchone()[0]
    return quarter_of(month_first(last)) if last else None


def _screen_figures(path: Path, quarter: Quarter) -> dict[str, float]:
    from sp_tui.tui.app import SpTuiApp
    from sp_tui.tui.screens.reconnection import ReconnectionScreen

    db = open_db(path)
    today = quarter.end + timedelta(days=20)
    figures: dict[str, float] = {}

    async def drive() -> None:
        app = SpTuiApp(db, today=today, quarter=quarter, poll=False)
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            start = time.perf_counter()
            await pilot.press("5")
            await pilot.pause()
            floor = (time.perf_counter() - start) * 1000
            figures["floor: Complaints screen first draw, key to drawn (ms)"] = floor
            start = time.perf_counter()
            await pilot.press("minus")
            await pilot.pause()
            first = (time.perf_counter() - start) * 1000
            figures["reconnection: screen first draw, key to drawn (ms)"] = first
            figures["reconnection: first draw / Complaints first draw"] = first / floor
            screen = app.screen
            assert isinstance(screen, ReconnectionScreen)
            figures["reconnection: screen refresh, tables + heat map + missing (ms)"] = \
                median_ms(lambda: screen.fetch(db, screen.request()), repeat=7)

    asyncio.run(drive())
    db.close()
    return figures


def _import_figures(path: Path, quarter: Quarter) -> dict[str, float]:
    """A year of movements (the four quarters to ``quarter``) written to CSV, deleted from
    the copy, imported back, then imported again (nothing changes)."""
    db = open_db(path)
    first = f"{Quarter(max(1, quarter.number - 3)).start:%Y-%m}"
    rows = [r for r in reconnection_import_rows(db) if r[1] >= first]
    folder = Path(tempfile.mkdtemp(prefix="sp-tui-recon-"))
    file = folder / "movements.csv"
    columns = [*RECONNECTION.required, *RECONNECTION.optional]
    with file.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerows(rows)
    db.execute("DELETE FROM reconnection_movements WHERE month >= ?", (first,))
    figures = {"reconnection: a year of movements, file rows (count)": float(len(rows))}
    start = time.perf_counter()
    parsed = read_table(file, RECONNECTION.required, RECONNECTION.optional)
    result = import_reconnection(db, parsed, source="bench")
    seconds = time.perf_counter() - start
    figures["reconnection: import a year, read + check + write (ms)"] = seconds * 1000
    figures["reconnection: import a year (rows/s)"] = len(rows) / seconds if seconds else 0.0
    figures["reconnection: people imported (count)"] = float(result["entrants"]
                                                             + result["leavers"])
    start = time.perf_counter()
    again = import_reconnection(db, read_table(file, RECONNECTION.required,
                                               RECONNECTION.optional), source="bench")
    figures["reconnection: re-import unchanged (ms)"] = (time.perf_counter() - start) * 1000
    assert again["months"] == 0
    db.close()
    shutil.rmtree(folder, ignore_errors=True)
    return figures


def run(db_path: str) -> dict[str, float]:
    db = open_db(db_path, migrate=False)
    quarter = _latest_quarter(db)
    if quarter is None:
        db.close()
        return {"reconnection: no movements in this database (count)": 0.0}
    figures: dict[str, float] = {
        "reconnection: movement rows (count)": float(db.execute(
            "SELECT count(*) FROM reconnection_movements").fetchone()[0]),
        "reconnection: returns received (count)": float(db.execute(
            "SELECT count(*) FROM reconnection_returns").fetchone()[0]),
    }
    figures.update(report_vs_sql(db, "reconnection: Tables 4.3-4.11 of a quarter",
                                 lambda: reconnection_tables(db, quarter)))
    today = quarter.end + timedelta(days=60)
    figures["reconnection: missing returns of a quarter (ms)"] = median_ms(
        lambda: missing_returns(db, quarter, today))
    figures["reconnection: missing returns (count)"] = float(
        len(missing_returns(db, quarter, today)))
    figures["reconnection: dashboard panel (ms)"] = median_ms(
        lambda: reconnection_panel(db, quarter))
    db.close()
    with scratch_copy(db_path) as path:
        figures.update(_screen_figures(path, quarter))
        figures.update(_import_figures(path, quarter))
    return figures


if __name__ == "__main__":
    import sys

    for name, value in run(sys.argv[1]).items():
        print(f"{name:70} {value:12.1f}")
