"""One of two processes writing to the same file at once (run by test_concurrency).

    python -m tests.reliability.concurrent_writer import DB   # 5,000 services in batches
    python -m tests.reliability.concurrent_writer edit DB [REF]  # edits and quarter dates,
                                        # until the import is done and service REF exists

Each opens the database, prints "ready", waits for a line on stdin so both start together,
writes, and prints one JSON line saying what it wrote. Any exception (such as "database is
locked") ends it with a traceback and exit status 1, which the test reports.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import timedelta

from sp_tui.domain.quarters import Quarter
from sp_tui.reports.registry import service_fields
from sp_tui.services.calendar import set_quarter_dates
from sp_tui.services.registry import import_services, save_service, service_by_ref
from sp_tui.store.connection import open_db
from tests.reliability.crash_worker import new_service

IMPORTED, BATCH, IMPORT_PROVIDERS = 5_000, 250, 50
EDITED_REFS = [f"E{n}" for n in range(20)]
MIN_EDITS = 300
GIVE_UP_SECONDS = 120  # a safety net should the importer die: the test then fails
QUARTERS = range(30, 41)


def imported_rows() -> list[dict]:
    return [new_service(f"IMP{n:05d}", f"Imported {n}", f"Import Provider {n % IMPORT_PROVIDERS}",
                        n % 300) for n in range(IMPORTED)]


def run_import(db) -> dict:
    rows = imported_rows()
    for start in range(0, IMPORTED, BATCH):
        batch = rows[start:start + BATCH]
        import_services(db, list(enumerate(batch, start=2)), source="concurrency test")
    return {"imported": IMPORTED}


def imported_so_far(db) -> int:
    return db.execute("SELECT count(*) FROM services WHERE service_ref LIKE 'IMP%'").fetchone()[0]


def exists(db, ref: str | None) -> bool:
    return ref is None or db.execute("SELECT 1 FROM services WHERE service_ref = ?",
                                     (ref,)).fetchone() is not None


def run_edits(db, until_ref: str | None = None) -> dict:
    """Edit until the importer has finished (and at least MIN_EDITS times, and until a
    service ``until_ref`` exists), so the writers overlap; return the last value written
    to each record."""
    names, dates, writes, n = {}, {}, 0, 0
    give_up = time.monotonic() + GIVE_UP_SECONDS

    def others_still_writing() -> bool:
        return ((imported_so_far(db) < IMPORTED or not exists(db, until_ref))
                and time.monotonic() < give_up)

    while n < MIN_EDITS or others_still_writing():
        if n % 3 == 2:
            quarter = Quarter(QUARTERS[n % len(QUARTERS)])
            deadline = quarter.end + timedelta(days=1 + n % 60)
            set_quarter_dates(db, quarter, deadline=deadline, default_end=deadline,
                              source="concurrency test")
            dates[quarter.number] = [deadline.isoformat(), deadline.isoformat()]
        else:
            ref = EDITED_REFS[n % len(EDITED_REFS)]
            service = service_by_ref(db, ref)
            fields = service_fields(db, service["id"]) | {"service_name": f"{ref} edit {n}",
                                                          "household_units": n % 500}
            save_service(db, fields, service_id=service["id"], source="concurrency test")
            names[ref] = [f"{ref} edit {n}", n % 500]
        writes += 1
        n += 1
    return {"writes": writes, "services": names, "quarters": dates}


def main() -> None:
    mode, path = sys.argv[1], sys.argv[2]
    db = open_db(path)
    print("ready", flush=True)
    sys.stdin.readline()
    until_ref = sys.argv[3] if len(sys.argv) > 3 else None
    result = run_import(db) if mode == "import" else run_edits(db, until_ref)
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
