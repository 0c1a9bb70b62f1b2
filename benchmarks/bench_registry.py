"""Registry figures: the services register's search, sort and paging, the active counts, and
an import of 10,000 services (reader, service layer, CLI, and the bare insert beneath)."""

from __future__ import annotations

import csv
import random
import statistics
import subprocess
import sys
import time

from timing import report_vs_sql, scratch_copy, timed

from sp_tui.demo import DemoPlan
from sp_tui.demo.registry import service_rows
from sp_tui.domain.quarters import Quarter
from sp_tui.imports.formats import SERVICES
from sp_tui.imports.reader import read_table
from sp_tui.reports.registry import ServiceQuery, registry_counts, services_page
from sp_tui.services.registry import import_services
from sp_tui.store.connection import open_db

IMPORT_ROWS = 10_000


def latest_demo_quarter(db) -> Quarter:
    row = db.execute("SELECT max(quarter) FROM quarter_calendar").fetchone()
    return Quarter(row[0] or 26)


def import_rows() -> list[dict]:
    """10,000 new services shaped like the demo's, with references no demo uses."""
    plan = DemoPlan.for_scale(IMPORT_ROWS // 330 + 1)
    rows = service_rows(plan, random.Random(7))[:IMPORT_ROWS]
    return [fields | {"service_ref": f"BN{n:05d}"} for n, (_, fields) in enumerate(rows)]


def write_csv(path, rows: list[dict]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def register_figures(db) -> dict[str, float]:
    quarter = latest_demo_quarter(db)
    figures: dict[str, float] = {}
    queries = {
        "services page 1": ServiceQuery(quarter),
        "search 'housing'": ServiceQuery(quarter, search="housing"),
        "search 'canterbury floating'": ServiceQuery(quarter, search="canterbury floating"),
        "search a reference": ServiceQuery(quarter, search="SP00042"),
        "sort by provider desc, page 3": ServiceQuery(quarter, sort="provider", descending=True,
                                                      offset=1000),
        "filter ended": ServiceQuery(quarter, status="ended"),
    }
    for label, query in queries.items():
        figures |= report_vs_sql(db, f"registry: {label}", lambda q=query: services_page(db, q))
    figures |= report_vs_sql(db, "registry: active counts",
                             lambda: registry_counts(db, quarter))
    return figures


def import_figures(db_path: str, folder: str, repeat: int = 3) -> dict[str, float]:
    """The service layer against its floor, paired: each round imports a fresh 10,000 (new
    references) and then runs the bare INSERT of the same rows, so load hits both alike."""
    rows = import_rows()
    tmp_csv = f"{folder}/services.csv"
    write_csv(tmp_csv, rows)
    figures: dict[str, float] = {}
    table, seconds = timed(lambda: read_table(tmp_csv, SERVICES.required, SERVICES.optional))
    figures["import: read 10,000-row CSV (rows/s)"] = len(table) / seconds
    service_s, update_s, bare_s = [], [], []
    with scratch_copy(db_path) as scratch:
        db = open_db(scratch)
        for round_ in range(repeat):
            fresh = [(n, dict(f, service_ref=f"B{round_}{f['service_ref']}")) for n, f in table]
            result, seconds = timed(lambda: import_services(db, fresh, source="bench"))
            assert result["added"] == IMPORT_ROWS, result
            service_s.append(seconds)
            bare_s.append(bare_insert_seconds(db, rows))
            if round_ == 0:
                _, seconds = timed(lambda: import_services(db, fresh, source="bench"))
                update_s.append(seconds)
        db.close()
    service, bare = statistics.median(service_s), statistics.median(bare_s)
    figures["import: 10,000 new services, service layer (rows/s)"] = IMPORT_ROWS / service
    figures["import: floor, bare executemany INSERT of the same rows (rows/s)"] = \
        IMPORT_ROWS / bare
    figures["import: service layer / floor (time)"] = service / bare
    figures["import: the same 10,000 again, as updates (rows/s)"] = IMPORT_ROWS / update_s[0]
    with scratch_copy(db_path) as scratch:
        _, seconds = timed(lambda: subprocess.run(
            [sys.executable, "-m", "sp_tui", "--db", str(scratch), "import", "services",
             tmp_csv], check=True, capture_output=True))
        figures["import: `sp-tui import services` 10,000 rows, whole command (s)"] = seconds
    return figures


def bare_insert_seconds(db, rows: list[dict]) -> float:
    """The floor: one executemany of the same rows into services, no checks, no audit,
    rolled back."""
    provider = db.execute("SELECT id FROM providers LIMIT 1").fetchone()[0]
    values = [(f"raw{n}", f"RAW{n:05d}", r["service_name"], provider, r["service_type"],
               r["client_group"], r["district"], r["term"], r["household_units"],
               r["leaseholder_units"], int(r["workbook_required"]), r["start_date"],
               r["end_date"], "2009-01-01", "2009-01-01") for n, r in enumerate(rows)]
    start = time.perf_counter()
    db.conn.execute("BEGIN IMMEDIATE")
    db.conn.executemany(
        "INSERT INTO services (id, service_ref, name, provider_id, service_type,"
        " client_group, district, term, household_units, leaseholder_units,"
        " workbook_required, start_date, end_date, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", values)
    seconds = time.perf_counter() - start
    db.conn.execute("ROLLBACK")
    return seconds


def run(db_path: str) -> dict[str, float]:
    import tempfile

    db = open_db(db_path)
    try:
        figures = register_figures(db)
    finally:
        db.close()
    with tempfile.TemporaryDirectory(prefix="sp-tui-bench-") as folder:
        figures |= import_figures(db_path, folder)
    return figures
