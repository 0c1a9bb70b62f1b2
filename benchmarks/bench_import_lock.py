"""`import data` (issue 11, item 14): how long the write lock is held, beside the whole
import, for the demo database's own `export data --detail` file (CSV folder, so reading the
file is not what is measured) imported into an empty database: checked under the write
lock as before (the floor this is compared with), then checked on a private copy and
written in one short transaction (sp_tui.store.rehearsal).

    .venv/bin/python benchmarks/bench_import_lock.py [DB_PATH]   # builds scale 2 if empty
    ./dev bench --only import_lock --scales 1,2

The lock is timed from SQLite's own statements (BEGIN IMMEDIATE to COMMIT or ROLLBACK, the
longest such span), so the figure does not depend on how the import is written. Beside it,
the app's busy timeout: a save that waits longer than that fails.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing import timed  # noqa: E402


class LockClock:
    """The longest span between BEGIN IMMEDIATE and the COMMIT/ROLLBACK that ends it."""

    def __init__(self) -> None:
        self.started: float | None = None
        self.longest = 0.0

    def __call__(self, statement: str) -> None:
        word = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
        if statement.lstrip().upper().startswith("BEGIN IMMEDIATE"):
            self.started = time.perf_counter()
        elif word in ("COMMIT", "ROLLBACK", "END") and self.started is not None:
            self.longest = max(self.longest, time.perf_counter() - self.started)
            self.started = None


def lock_figures(source_db: str, label: str) -> dict[str, float]:
    from sp_tui.export.data import export_data_csv
    from sp_tui.export.data_import import import_data
    from sp_tui.store import rehearsal
    from sp_tui.store.connection import BUSY_TIMEOUT_MS, open_db

    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="sp-tui-bench-") as folder:
        db = open_db(source_db)
        export_data_csv(db, Path(folder) / "export", detail=True)
        services = db.execute("SELECT count(*) FROM services").fetchone()[0]
        db.close()
        figures[f"{label}: services in the file"] = float(services)
        for step, attempts in (("checked under the lock (as before)", 0),
                               ("checked on a private copy", rehearsal.ATTEMPTS)):
            target = open_db(Path(folder) / f"{len(figures)}.sqlite")
            clock = LockClock()
            target.conn.set_trace_callback(clock)
            kept, rehearsal.ATTEMPTS = rehearsal.ATTEMPTS, attempts
            try:
                _, seconds = timed(lambda: import_data(target, Path(folder) / "export"))
            finally:
                rehearsal.ATTEMPTS = kept
            target.conn.set_trace_callback(None)
            figures[f"{label}: import {step}, whole (s)"] = seconds
            figures[f"{label}: import {step}, write lock held (s)"] = clock.longest
            target.close()
    figures[f"{label}: busy timeout, the most a save waits (s)"] = BUSY_TIMEOUT_MS / 1000
    return figures


def run(db_path: str) -> dict[str, float]:
    from sp_tui.store.connection import open_db

    db = open_db(db_path)
    try:
        if db.execute("SELECT count(*) FROM services").fetchone()[0] == 0:
            from sp_tui.areas import build_demo

            build_demo(db, 2)
    finally:
        db.close()
    return lock_figures(db_path, "import data")


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as scratch:
        path = sys.argv[1] if len(sys.argv) > 1 else str(Path(scratch) / "demo2.sqlite")
        for name, value in run(path).items():
            print(f"{name:62} {value:>14,.2f}")
