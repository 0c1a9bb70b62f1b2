"""Complaints and safeguarding alerts at demo scale 20: how long each report takes (ms).

    python benchmarks/bench_cases.py [DB_PATH]

``run(db_path)`` builds the scale-20 demo database at ``db_path`` if the file does not exist,
then times each figure-producing function (median of several runs, warm cache).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

SCALE = 20
REPEATS = 15


def _median_ms(func, repeats: int = REPEATS) -> float:
    func()  # warm the page cache and the statement cache
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 2)


def run(db_path) -> dict[str, float]:
    from sp_tui.areas import build_demo
    from sp_tui.domain.quarters import Quarter
    from sp_tui.reports.complaints import ComplaintQuery, complaints_page, complaints_summary
    from sp_tui.reports.safeguarding import (
        AlertQuery, alerts_page, overdue_referral_count, table9,
    )
    from sp_tui.store.connection import open_db

    path = Path(db_path)
    figures: dict[str, float] = {}
    if not path.exists():
        db = open_db(path)
        start = time.perf_counter()
        build_demo(db, SCALE)
        figures["demo_build_scale20_ms"] = round((time.perf_counter() - start) * 1000, 1)
        db.close()
    db = open_db(path)
    try:
        last = db.execute("SELECT max(received_date) FROM safeguarding_alerts").fetchone()[0]
        from sp_tui.domain.quarters import quarter_of

        quarter = quarter_of(date.fromisoformat(last)) if last else Quarter(24)
        today = quarter.end
        figures["alerts_rows"] = db.execute(
            "SELECT count(*) FROM safeguarding_alerts").fetchone()[0]
        figures["complaints_rows"] = db.execute("SELECT count(*) FROM complaints").fetchone()[0]
        figures["table9_ms"] = _median_ms(lambda: table9(db, quarter))
        figures["complaints_report_ms"] = _median_ms(lambda: complaints_summary(db, quarter))
        figures["alerts_page_500_ms"] = _median_ms(
            lambda: alerts_page(db, AlertQuery(), today))
        figures["complaints_page_500_ms"] = _median_ms(
            lambda: complaints_page(db, ComplaintQuery(), today))
        figures["overdue_referrals_ms"] = _median_ms(lambda: overdue_referral_count(db, today))
    finally:
        db.close()
    return figures


if __name__ == "__main__":
    if len(sys.argv) > 1:
        result = run(sys.argv[1])
    else:
        with tempfile.TemporaryDirectory() as folder:
            result = run(Path(folder) / "bench-cases.sqlite")
    for name, value in result.items():
        print(f"{name:28} {value:>10,.2f}")
