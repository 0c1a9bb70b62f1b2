"""Workbooks out and in (issue 18): the templates for every expected workbook of a quarter
(time, disk), then the intake of the same files filled in as providers would (files per
second; peak memory), against a floor measured in the same run: openpyxl opening each file
read-only and reading the same two cells, with no checks and no database.

    python benchmarks/bench_intake.py [DB] [--scale N]   # builds `demo --scale N` (1) if no DB

``run(db_path)`` returns figures for benchmarks/run.py. It works on a scratch copy (nothing
is written to ``db_path``). Above BENCH_INTAKE_MAX expected workbooks (default 2,000, i.e.
scale 1 only; `demo --scale 20` has 6,600) it reports nothing unless the environment variable
is raised: writing and filling 6,600 files takes minutes.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timing import scratch_copy  # noqa: E402

from sp_tui.domain.quarters import Quarter  # noqa: E402
from sp_tui.reports.calendar import calendar_for  # noqa: E402
from sp_tui.reports.workbooks import expected_count  # noqa: E402
from sp_tui.store.connection import open_db  # noqa: E402

LIMIT = int(os.environ.get("BENCH_INTAKE_MAX", "2000"))


def _quarter(db) -> Quarter:
    """The first quarter after the planned ones: nothing received yet, every service due."""
    row = db.execute("SELECT max(quarter) FROM quarter_calendar").fetchone()
    return Quarter((row[0] or 26) + 1)


def _fill(folder: Path, target: Path) -> float:
    from openpyxl import load_workbook

    from sp_tui.services.workbook_templates import (
        DENOMINATOR_CELL, MAIN_SHEET, NUMERATOR_CELL,
    )

    target.mkdir()
    start = time.perf_counter()
    for i, path in enumerate(sorted(folder.glob("*.xlsx"))):
        book = load_workbook(path)
        book[MAIN_SHEET][NUMERATOR_CELL] = 30 + i % 20
        book[MAIN_SHEET][DENOMINATOR_CELL] = 50
        book.save(target / path.name)
    return time.perf_counter() - start


def _floor(folder: Path) -> float:
    """openpyxl alone: open read-only, read the two cells, close."""
    from openpyxl import load_workbook

    start = time.perf_counter()
    for path in sorted(folder.iterdir()):
        book = load_workbook(path, read_only=True)
        sheet = book.worksheets[0]
        list(sheet.iter_rows(min_row=12, max_row=13, max_col=2, values_only=True))
        book.close()
    return time.perf_counter() - start


def run(db_path: str | Path) -> dict[str, float]:
    from sp_tui.services.workbook_intake import run_intake
    from sp_tui.services.workbook_templates import write_templates

    results: dict[str, float] = {}
    with scratch_copy(db_path) as copy:
        db = open_db(copy)
        quarter = _quarter(db)
        expected = expected_count(db, quarter)
        results["intake: expected workbooks"] = expected
        if expected > LIMIT:
            db.close()
            results["intake: skipped (raise BENCH_INTAKE_MAX to run)"] = expected
            return results
        work = Path(tempfile.mkdtemp(prefix="sp-tui-bench-intake-"))
        try:
            start = time.perf_counter()
            made = write_templates(db, quarter, outbox=work / "outbox")
            seconds = time.perf_counter() - start
            disk = sum(p.stat().st_size for p in made.folder.iterdir())
            results["intake: templates written (s)"] = seconds
            results["intake: templates per file (ms)"] = seconds * 1000 / len(made.specs)
            results["intake: templates on disk (MB)"] = disk / 1e6
            returned = work / "returned"
            results["intake: filling with openpyxl, as providers (s)"] = _fill(made.folder,
                                                                              returned)
            floor = _floor(returned)
            day = calendar_for(db, quarter).deadline - timedelta(days=3)
            tracemalloc.start()
            start = time.perf_counter()
            dry = run_intake(db, returned, received=day, dry_run=True, today=day)
            dry_seconds = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            start = time.perf_counter()
            done = run_intake(db, returned, received=day, today=day)
            seconds = time.perf_counter() - start
            files = len(done.items)
            assert done.count("received") == files == dry.count("received"), done.summary()
            results["intake: files received"] = files
            results["intake: intake, one transaction (s)"] = seconds
            results["intake: files per second"] = files / seconds
            results["intake: floor, openpyxl read-only alone (files/s)"] = files / floor
            results["intake: ratio to the floor"] = seconds / floor
            results["intake: dry run under tracemalloc (s)"] = dry_seconds
            results["intake: peak Python memory, dry run (MB)"] = peak / 1e6
            results["intake: process peak RSS (MB)"] = \
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            start = time.perf_counter()
            again = run_intake(db, returned, received=day, today=day)
            results["intake: again, all skipped (s)"] = time.perf_counter() - start
            assert again.count("skipped") == files
        finally:
            db.close()
            shutil.rmtree(work, ignore_errors=True)
    return results


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--scale")]
    scale = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--scale=")), "1")
    if "--scale" in sys.argv:
        scale = sys.argv[sys.argv.index("--scale") + 1]
        args = [a for a in args if a != scale]
    if args:
        figures = run(args[0])
    else:
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "demo.sqlite"
            subprocess.run([sys.executable, "-m", "sp_tui", "demo", "--no-open", "--scale",
                            scale, "--db", str(db)], check=True, stdout=subprocess.DEVNULL)
            figures = run(db)
    for name, value in figures.items():
        print(f"{name}: {value:,.2f}" if isinstance(value, float) else f"{name}: {value:,}")


if __name__ == "__main__":
    main()
