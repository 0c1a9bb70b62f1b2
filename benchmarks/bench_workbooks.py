"""Workbook benchmarks: Table 2, opening the Workbooks list for a quarter, filter latency and
the mark-received round trip, at whatever scale the database was built with.

    python benchmarks/bench_workbooks.py [DB]   # builds `demo --scale 20` in a temp dir if no DB

``run(db_path)`` returns milliseconds (median of several runs) for benchmarks/run.py. Writes
go to a copy of the database, so the file given is never changed.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.calendar import working_quarter
from sp_tui.reports.table2 import table2
from sp_tui.reports.workbooks import WorkbookQuery, workbook_summary, workbooks_page
from sp_tui.services.workbooks import receive_workbook, undo_change
from sp_tui.store.connection import open_db
from sp_tui.store.migrate import backup_to

REPEAT = 7


def _median_ms(action: Callable[[], object], repeat: int = REPEAT) -> float:
    action()  # warm the page cache once
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def run(db_path: str | Path) -> dict[str, float]:
    db = open_db(db_path)
    quarter = working_quarter(db, date.today())
    today = max(date.today(), quarter.end + timedelta(days=120))
    first_page = WorkbookQuery(quarter, today)
    results = {
        "workbooks.table2_ms": _median_ms(lambda: table2(db, quarter)),
        "workbooks.summary_ms": _median_ms(lambda: workbook_summary(db, quarter, today)),
        "workbooks.open_list_ms": _median_ms(lambda: (workbooks_page(db, first_page),
                                                      workbook_summary(db, quarter, today))),
        "workbooks.filter_status_ms": _median_ms(lambda: workbooks_page(
            db, WorkbookQuery(quarter, today, statuses=("overdue", "reminded")))),
        "workbooks.search_ms": _median_ms(lambda: workbooks_page(
            db, WorkbookQuery(quarter, today, search="shelter canter"))),
        "workbooks.sort_by_status_ms": _median_ms(lambda: workbooks_page(
            db, WorkbookQuery(quarter, today, sort="status", descending=True))),
    }
    db.close()
    results.update(_mark_received(Path(db_path), quarter, today))
    results.update(_screen(Path(db_path), quarter, today))
    return results


def _screen(db_path: Path, quarter: Quarter, today: date) -> dict[str, float]:
    """The Workbooks screen in a headless app (Pilot), on a copy: switching to it, a status
    filter, and mark received (r, Ctrl+S) until the summary and Table 2 show it."""
    import asyncio

    folder = Path(tempfile.mkdtemp(prefix="bench-workbooks-tui-"))
    try:
        source = open_db(db_path)
        backup_to(source, folder / "copy.sqlite")
        source.close()
        return asyncio.run(_drive_screen(open_db(folder / "copy.sqlite"), quarter, today))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _drive_screen(db, quarter: Quarter, today: date) -> dict[str, float]:
    from textual.widgets import Select

    from sp_tui.tui.app import SpTuiApp

    app = SpTuiApp(db, today=today, quarter=quarter, poll=False)
    results: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("4")
        await pilot.pause()
        results["workbooks.screen_open_ms"] = round((time.perf_counter() - start) * 1000, 1)
        screen = app.screen
        status = screen.query_one("#wb-status", Select)
        times = []
        for value in ["overdue", "received", "in_default", "missing", "on_time"] * 2:
            start = time.perf_counter()
            status.value = value
            await pilot.pause()
            times.append((time.perf_counter() - start) * 1000)
        results["workbooks.screen_filter_ms"] = round(statistics.median(times), 1)
        status.value = "missing"
        await pilot.pause()
        form_times, save_times = [], []
        for _ in range(5):
            start = time.perf_counter()
            await pilot.press("r")
            await pilot.pause()
            middle = time.perf_counter()
            await pilot.press("ctrl+s")   # save, close the form, refresh table and summary
            await pilot.pause()
            form_times.append((middle - start) * 1000)
            save_times.append((time.perf_counter() - middle) * 1000)
            await pilot.press("u")
            await pilot.pause()
        results["workbooks.screen_open_receive_form_ms"] = round(
            statistics.median(form_times), 1)
        results["workbooks.screen_save_to_updated_summary_ms"] = round(
            statistics.median(save_times), 1)
    return results


def _mark_received(db_path: Path, quarter: Quarter, today: date) -> dict[str, float]:
    """Mark received then undo, on a copy: the service call alone, and the round trip the
    screen makes (service call, then summary, Table 2 panel and the visible page)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-workbooks-"))
    try:
        source = open_db(db_path)
        backup_to(source, folder / "copy.sqlite")
        source.close()
        db = open_db(folder / "copy.sqlite")
        missing = workbooks_page(db, WorkbookQuery(quarter, today,
                                                   statuses=("overdue", "reminded", "in_default",
                                                             "outstanding", "rejected"),
                                                   limit=1)).rows
        if not missing:
            return {}
        ref = missing[0].service_ref
        query = WorkbookQuery(quarter, today)

        def call() -> None:
            undo_change(db, receive_workbook(db, ref, quarter, today, today=today))

        def round_trip() -> None:
            change = receive_workbook(db, ref, quarter, today, today=today)
            workbook_summary(db, quarter, today)
            table2(db, quarter)
            workbooks_page(db, query)
            undo_change(db, change)

        # Each sample includes an undo (a second write of the same size): halve it.
        return {"workbooks.mark_received_ms": round(_median_ms(call) / 2, 1),
                "workbooks.mark_received_round_trip_ms": round(
                    _median_ms(round_trip) - _median_ms(call) / 2, 1)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _demo(scale: int) -> Path:
    from sp_tui.areas import build_demo

    path = Path(tempfile.mkdtemp(prefix="bench-demo-")) / f"demo-{scale}.sqlite"
    db = open_db(path)
    build_demo(db, scale)
    db.close()
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else _demo(20)
    from sp_tui.reports.workbooks import expected_count

    db = open_db(target)
    quarter = working_quarter(db, date.today())
    print(f"{target}: {quarter.label}, {expected_count(db, quarter):,} workbooks expected")
    db.close()
    for name, value in run(target).items():
        print(f"{name:45} {value:10.1f}")
