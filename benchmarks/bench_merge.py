"""Laptop copy and merge back on a demo database: the time of each step and the space the
shared base takes.

    .venv/bin/python benchmarks/bench_merge.py DB_PATH

``run(db_path)`` works on scratch copies (never on ``db_path``): ``db copy`` to a laptop
file, 50 visits logged and 20 services edited on the laptop, 5 of those also edited here
(conflicts), then a dry run, the merge, the merge back, and a second merge (nothing new).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from timing import scratch_copy, timed


def run(db_path) -> dict[str, float]:
    from sp_tui.services.merge import merge_database
    from sp_tui.services.sync_copy import copy_database
    from sp_tui.services.visits import save_visit
    from sp_tui.store.connection import open_db

    figures: dict[str, float] = {}
    with scratch_copy(db_path) as team_path:
        laptop_path = team_path.with_name("laptop.sqlite")
        team = open_db(team_path)
        size_before = team_path.stat().st_size
        result, seconds = timed(lambda: copy_database(team, laptop_path))
        figures["merge: records in a copy"] = result.records
        figures["merge: db copy (ms)"] = seconds * 1000
        team.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        figures["merge: shared base, bytes per record"] = (
            (team_path.stat().st_size - size_before) / max(1, result.records))

        laptop = open_db(laptop_path)
        refs = [r for (r,) in laptop.execute(
            "SELECT service_ref FROM services ORDER BY service_ref LIMIT 50")]
        for number, ref in enumerate(refs):
            save_visit(laptop, {"service_ref": ref, "officer": "Laptop",
                                "started_date": f"2030-01-{1 + number % 28:02d}"},
                       today=date(2030, 2, 1))
        marks = ",".join("?" * 20)
        laptop.execute(f"UPDATE services SET household_units = household_units + 1"
                       f" WHERE service_ref IN ({marks})", refs[:20])
        team.execute(f"UPDATE services SET household_units = household_units + 5"
                     f" WHERE service_ref IN ({','.join('?' * 5)})", refs[:5])

        steps = [("dry run", team, laptop_path, True), ("merge", team, laptop_path, False),
                 ("merge back", laptop, team_path, False),
                 ("merge again, nothing new", team, laptop_path, False)]
        for name, db, other, dry in steps:
            merged, seconds = timed(lambda db=db, other=other, dry=dry: merge_database(
                db, other, dry_run=dry))
            figures[f"merge: {name} (ms)"] = seconds * 1000
        figures["merge: conflicts found"] = len(merged.conflicts)
        team.close()
        laptop.close()
    return figures


if __name__ == "__main__":
    for name, value in run(Path(sys.argv[1])).items():
        print(f"{name:45} {value:12,.1f}")
