"""Dashboard and quarter export: first draw, refresh after one change (here and in another
process), the panels' queries, and the quarter summary xlsx with and without the data sheets.

``run(db_path)`` works on a scratch copy, so the cached demo database is never changed.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from timing import median_ms, report_vs_sql, scratch_copy
from tui_child import settle

from sp_tui.domain.quarters import Quarter
from sp_tui.export.data import export_data, export_data_csv
from sp_tui.export.quarter import export_quarter
from sp_tui.reports.calendar import calendar_for, working_quarter
from sp_tui.areas import needs_attention
from sp_tui.areas import dashboard_panels
from sp_tui.reports.workbooks import WorkbookQuery, workbooks_page
from sp_tui.services.workbooks import receive_workbook, undo_change
from sp_tui.store.connection import open_db


def _tui_figures(path: Path) -> dict[str, float]:
    from sp_tui.tui.app import SpTuiApp
    from sp_tui.tui.screens.dashboard import DashboardScreen

    db = open_db(path)
    quarter = working_quarter(db, Quarter(400).start)
    today = calendar_for(db, quarter).deadline + timedelta(days=1)  # some workbooks overdue
    figures: dict[str, float] = {}

    async def drive() -> None:
        start = time.perf_counter()
        app = SpTuiApp(db, today=today, quarter=quarter, poll=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            figures["dashboard: first draw, app start to drawn (ms)"] = \
                (time.perf_counter() - start) * 1000
            assert isinstance(app.screen, DashboardScreen)
            screen = app.screen
            request = screen.request()
            figures["dashboard: recompute every panel, in its worker (ms)"] = median_ms(
                lambda: screen.fetch(db, request), repeat=7)

            rows = workbooks_page(db, WorkbookQuery(quarter=quarter, as_of=today,
                                                    statuses=("overdue",))).rows
            local, external = [], []
            other = open_db(path)
            # Overdue as of the bench's day and not received later either (the demo is built
            # relative to the real date, so some "overdue" ones were received after it).
            for row in [r for r in rows if not r.received_date][:5]:
                t0 = time.perf_counter()
                change = receive_workbook(db, row.service_ref, quarter, today, today=today)
                await settle(pilot)  # the commit itself tells the app (sp_tui.store.changes)
                local.append((time.perf_counter() - t0) * 1000)
                undo_change(db, change)
                await settle(pilot)
                t0 = time.perf_counter()
                change = receive_workbook(other, row.service_ref, quarter, today, today=today)
                app.check_external_changes()  # what the 1 s poll does
                await settle(pilot)
                external.append((time.perf_counter() - t0) * 1000)
                undo_change(other, change)
                app.check_external_changes()
                await settle(pilot)
            other.close()
            if local:
                figures["dashboard: change here to refreshed (ms)"] = statistics.median(local)
                figures["dashboard: change by another process to refreshed, after the poll"
                        " (ms)"] = statistics.median(external)

    asyncio.run(drive())
    db.close()
    return figures


def export_floor_seconds(db, path: Path, detail: bool = True) -> float:
    """The export's floor: the same rows, fetched beforehand, written by xlsxwriter in
    constant-memory mode with one ``write_row`` each (no per-cell checks, no sheet split)."""
    import xlsxwriter

    from sp_tui.areas import data_sheets

    kinds = [(spec.kind, list(spec.rows(db))) for spec in data_sheets()
             if detail or not spec.sensitive]
    start = time.perf_counter()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True,
                                           "tmpdir": str(path.parent)})
    for kind, rows in kinds:
        sheet = book.add_worksheet(kind[:31])
        for n, row in enumerate(rows[:1_048_575], start=1):
            sheet.write_row(n, 0, row)
    book.close()
    return time.perf_counter() - start


def run(db_path: str) -> dict[str, float]:
    with scratch_copy(db_path) as path, \
            tempfile.TemporaryDirectory(prefix="sp-tui-bench-") as tmp:
        figures = _tui_figures(path)
        db = open_db(path)
        quarter = working_quarter(db, Quarter(400).start)
        folder = Path(tmp)
        today = calendar_for(db, quarter).deadline + timedelta(days=1)
        for panel in dashboard_panels():
            args = (db, quarter, today) if panel.as_of_today else (db, quarter)
            figures[f"dashboard: panel {panel.panel_id} (ms)"] = median_ms(
                lambda: panel.build(*args), repeat=5)
        figures["needs attention: items (count)"] = float(len(needs_attention(db, quarter,
                                                                              today)))
        figures |= report_vs_sql(db, "needs attention: whole list",
                                 lambda: needs_attention(db, quarter, today), repeat=5)
        figures["export: quarter summary xlsx (ms)"] = median_ms(
            lambda: export_quarter(db, quarter, folder / "q.xlsx"), repeat=3)
        start = time.perf_counter()
        counts = export_data(db, folder / "data.xlsx", detail=True)
        seconds = time.perf_counter() - start
        rows = float(sum(counts.values()))
        floor = export_floor_seconds(db, folder / "floor.xlsx")
        start = time.perf_counter()
        export_data_csv(db, folder / "csv", detail=True)
        csv_seconds = time.perf_counter() - start
        figures["export: data rows written (count)"] = rows
        figures["export: `export data` xlsx (rows/s)"] = rows / seconds
        figures["export: floor, xlsxwriter write_row of the same rows (rows/s)"] = rows / floor
        figures["export: `export data` xlsx / floor (time)"] = seconds / floor
        figures["export: `export data --format csv` (rows/s)"] = rows / csv_seconds
        db.close()
    return figures


if __name__ == "__main__":
    import sys

    for name, value in run(sys.argv[1]).items():
        print(f"{name:75} {value:10.1f}")
