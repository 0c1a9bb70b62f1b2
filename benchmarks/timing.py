"""Helpers for benchmark modules (``bench_*.py``): medians, scratch copies, report vs SQL.

A benchmark module defines ``run(db_path: str) -> dict[str, float]``; ``run.py`` calls it in
a fresh process per scale and prints every figure it returns as one row of the table. Name
figures with their unit, e.g. ``"registry: search services (ms)"``. Never write to
``db_path`` (it is the shared cached demo database): use ``scratch_copy``.
"""

from __future__ import annotations

import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPEAT = 15


def median_ms(action: Callable[[], object], repeat: int = REPEAT, warmup: int = 1) -> float:
    """Median wall time of ``action`` in milliseconds (after ``warmup`` untimed runs)."""
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def timed(action: Callable[[], object]) -> tuple[object, float]:
    """(result, seconds) of one run."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


@contextmanager
def scratch_copy(db_path: str | Path) -> Iterator[Path]:
    """A private copy of the database (SQLite backup API) for benchmarks that write."""
    folder = Path(tempfile.mkdtemp(prefix="sp-tui-bench-"))
    target = folder / "scratch.sqlite"
    source = sqlite3.connect(db_path)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        source.close()
        dest.close()
    try:
        yield target
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def captured_sql(conn: sqlite3.Connection, action: Callable[[], object]) -> list[str]:
    """The statements ``action`` runs on ``conn``, parameters filled in (sqlite trace)."""
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        action()
    finally:
        conn.set_trace_callback(None)
    wrappers = ("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT", "ROLLBACK")
    return [s for s in statements if not s.lstrip().upper().startswith(wrappers)]


def report_vs_sql(db, name: str, report: Callable[[], object],
                  repeat: int = REPEAT) -> dict[str, float]:
    """Time a report function and the bare SQL it runs (same statements, plain fetchall on
    the same connection): the ratio is the price of the Python around the query."""
    statements = captured_sql(db.conn, report)
    conn = db.conn

    def bare() -> None:
        for statement in statements:
            conn.execute(statement).fetchall()

    report_ms = median_ms(report, repeat)
    sql_ms = median_ms(bare, repeat)
    return {f"{name} (ms)": report_ms, f"{name}: bare SQL (ms)": sql_ms,
            f"{name}: report / SQL": report_ms / sql_ms if sql_ms else float("nan")}
