"""Timings of the QAF reports on a demo database at scale 20 (6,600 services, ~30,000 visits).

    .venv/bin/python benchmarks/bench_visits.py [DB_PATH]

``run(db_path)`` builds the scale-20 demo there if the file holds no services yet, then
returns the median time in milliseconds of each report read (Tables 6-8 for a quarter, the
quarter's visit list, action plans, a grade history, the form's service look-up).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPEATS = 15


def _median_ms(call, repeats: int = REPEATS) -> float:
    call()  # warm the page cache once
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def run(db_path) -> dict[str, float]:
    from sp_tui.areas import build_demo
    from sp_tui.domain.quarters import Quarter
    from sp_tui.reports import qaf_tables, visits
    from sp_tui.store.connection import open_db

    db = open_db(db_path)
    figures: dict[str, float] = {}
    if db.execute("SELECT count(*) FROM services").fetchone()[0] == 0:
        start = time.perf_counter()
        build_demo(db, 20)
        figures["build demo scale 20 (registry + visits)"] = round(
            (time.perf_counter() - start) * 1000, 1)
    quarter = Quarter(db.execute("SELECT max(quarter) FROM quarter_calendar").fetchone()[0] - 5)
    service_id = db.execute("SELECT service_id FROM visits GROUP BY service_id"
                            " ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    figures |= {
        "tables 6+7": _median_ms(lambda: qaf_tables.visit_tables(db, quarter)),
        "table 8": _median_ms(lambda: qaf_tables.table8(db, quarter)),
        "tables 6-8 together": _median_ms(lambda: qaf_tables.qaf_tables(db, quarter)),
        "visit list page (500)": _median_ms(
            lambda: visits.visits_page(db, visits.VisitQuery(quarter=quarter))),
        "visit list, grade changed": _median_ms(lambda: visits.visits_page(
            db, visits.VisitQuery(quarter=quarter, status="grade changed"))),
        "action plans": _median_ms(lambda: visits.action_plans(db, quarter.end)),
        "grade history": _median_ms(lambda: visits.grade_history(db, service_id)),
        "service look-up 'oak'": _median_ms(lambda: visits.find_services(db, "oak")),
    }
    figures["visits"] = float(db.execute("SELECT count(*) FROM visits").fetchone()[0])
    db.close()
    return figures


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    with tempfile.TemporaryDirectory() as folder:
        path = sys.argv[1] if len(sys.argv) > 1 else Path(folder) / "demo20.sqlite"
        for name, value in run(path).items():
            shown = f"{int(value):>10,}" if name == "visits" else f"{value:>10,.2f} ms"
            print(f"{name:42} {shown}")
