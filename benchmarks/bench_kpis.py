"""KPI benchmarks: Tables 2.1-2.5 (each against the bare SQL it runs), the per-service list
(first page, sorted, filtered), the dashboard panel, and the KPI screen's first draw and sort
in a headless app, at whatever scale the database was built with.

    python benchmarks/bench_kpis.py [DB]   # builds `demo --scale 20` in a temp dir if no DB

``run(db_path)`` returns figures for benchmarks/run.py. Nothing is written to ``db_path``.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import median_ms, report_vs_sql, scratch_copy  # noqa: E402

from sp_tui.domain.quarters import Quarter  # noqa: E402
from sp_tui.reports.calendar import working_quarter  # noqa: E402
from sp_tui.reports.kpis import (  # noqa: E402
    kpi_panel, kpi_tables, service_kpis, table_2_2, table_2_4,
)
from sp_tui.store.connection import open_db  # noqa: E402


def _quarter(db) -> Quarter:
    """The latest quarter with figures and the regional column (CLG publishes in arrears)."""
    row = db.execute("SELECT max(quarter) FROM kpi_benchmarks").fetchone()
    return Quarter(row[0]) if row and row[0] else working_quarter(db, date.today()).previous()


def run(db_path: str | Path) -> dict[str, float]:
    db = open_db(db_path)
    quarter = _quarter(db)
    figures = db.execute("SELECT count(*) FROM kpi_figures").fetchone()[0]
    results: dict[str, float] = {"kpis: figures in the database": figures}
    results["kpis: Tables 2.1-2.5 (ms)"] = median_ms(lambda: kpi_tables(db, quarter))
    results.update(report_vs_sql(db, "kpis: Table 2.2", lambda: table_2_2(db, quarter)))
    results.update(report_vs_sql(db, "kpis: Table 2.4", lambda: table_2_4(db, quarter)))
    results["kpis: dashboard panel (ms)"] = median_ms(lambda: kpi_panel(db, quarter))
    results["kpis: service list, first page worst first (ms)"] = median_ms(
        lambda: service_kpis(db, quarter))
    results["kpis: service list sorted by client group (ms)"] = median_ms(
        lambda: service_kpis(db, quarter, sort="client_group", descending=True))
    results["kpis: service list, one client group (ms)"] = median_ms(
        lambda: service_kpis(db, quarter, kpi=2, client_group="Rough sleepers"))
    results["kpis: figures missing (ms)"] = median_ms(
        lambda: service_kpis(db, quarter, missing_only=True, limit=-1))
    db.close()
    with scratch_copy(db_path) as copy:
        results.update(asyncio.run(_screen(copy, quarter)))
    return results


async def _screen(db_path: Path, quarter: Quarter) -> dict[str, float]:
    """The KPI screen in a headless app: first visit (list page and Tables 2.1-2.5 drawn),
    then sorting by the next column and reversing; the Services screen doing the same, in
    the same run, is the floor (the ratio is what the KPI screen adds)."""
    from sp_tui.tui.app import SpTuiApp

    db = open_db(db_path)
    app = SpTuiApp(db, today=quarter.end, quarter=quarter, poll=False)
    results: dict[str, float] = {}
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        # The floor, in the same run: the Services screen (first visit, sort), same keys.
        for key, name in (("2", "services"), ("7", "kpis")):
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            results[f"{name}: screen first draw (ms)"] = (time.perf_counter() - start) * 1000
            times = []
            for sort_key in ["s", "r" if name == "services" else "v"] * 3:
                start = time.perf_counter()
                await pilot.press(sort_key)
                await pilot.pause()
                times.append((time.perf_counter() - start) * 1000)
            results[f"{name}: screen sort / reverse (ms)"] = statistics.median(times)
        results["kpis / services: first draw"] = (results["kpis: screen first draw (ms)"]
                                                  / results["services: screen first draw (ms)"])
        results["kpis / services: sort"] = (results["kpis: screen sort / reverse (ms)"]
                                            / results["services: screen sort / reverse (ms)"])
        start = time.perf_counter()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("7")
        await pilot.pause()
        results["kpis: screen revisit via dashboard (ms)"] = (time.perf_counter() - start) * 1000
    db.close()
    return results


def _demo(scale: int) -> Path:
    from sp_tui.areas import build_demo

    path = Path(tempfile.mkdtemp(prefix="bench-demo-")) / f"demo-{scale}.sqlite"
    db = open_db(path)
    build_demo(db, scale)
    db.close()
    return path


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else _demo(20)
    for name, value in run(target).items():
        print(f"{name:55} {value:10.1f}")
