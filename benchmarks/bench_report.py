"""The whole report: every quarter table, the consistency check, the narrative, the print-ready
quarter workbook and the report document (with and without charts).

The floor is building every registered table alone (what any export of the quarter must do);
the check, the document model and the two files are given as ratios to it.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from timing import median_ms, timed

from sp_tui.domain.quarters import Quarter
from sp_tui.export.quarter import export_quarter
from sp_tui.export.report_build import positioned_tables, report_parts
from sp_tui.export.report_docx import export_report
from sp_tui.reports.consistency import check_report
from sp_tui.reports.narrative import NARRATORS, sentences
from sp_tui.store.connection import open_db


def latest_closed_quarter(db) -> Quarter:
    row = db.execute("SELECT max(quarter) FROM quarter_calendar").fetchone()
    return Quarter(row[0] or 26)


def run(db_path: str, repeat: int = 5) -> dict[str, float]:
    db = open_db(db_path, migrate=False)
    quarter = latest_closed_quarter(db)
    today = date(2100, 1, 1)  # every default period over: the check judges every quarter
    figures: dict[str, float] = {}
    tables = positioned_tables(db, quarter)
    floor = median_ms(lambda: positioned_tables(db, quarter), repeat=repeat)
    figures["report: every table built, floor (ms)"] = floor
    figures["report: tables (count)"] = len(tables)
    check = median_ms(lambda: check_report(db, quarter, tables, today), repeat=repeat)
    figures["report: consistency check (ms)"] = check
    figures["report: check / floor"] = check / floor
    narrative = median_ms(lambda: [sentences(db, quarter, n) for n in NARRATORS], repeat=repeat)
    figures["report: every narrative sentence (ms)"] = narrative
    whole = median_ms(lambda: report_parts(db, quarter, today=today), repeat=repeat)
    figures["report: tables + check + document model, the Report screen's refresh (ms)"] = whole
    figures["report: document model / floor"] = whole / floor
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        xlsx = median_ms(lambda: export_quarter(db, quarter, out / "q.xlsx", today=today),
                         repeat=repeat)
        figures["export: quarter workbook, print-ready xlsx (ms)"] = xlsx
        figures["export: quarter workbook / floor"] = xlsx / floor
        _, first = timed(lambda: export_report(db, quarter, out / "r.docx", today=today))
        figures["export: report docx, first in the process (matplotlib import) (ms)"] = \
            first * 1000
        docx = median_ms(lambda: export_report(db, quarter, out / "r.docx", today=today),
                         repeat=repeat)
        figures["export: report docx with charts (ms)"] = docx
        plain = median_ms(lambda: export_report(db, quarter, out / "r.docx", today=today,
                                                charts=False), repeat=repeat)
        figures["export: report docx without charts (ms)"] = plain
        figures["export: report docx / floor"] = docx / floor
        figures["export: report docx size (KB)"] = (out / "r.docx").stat().st_size / 1024
    return figures


if __name__ == "__main__":
    import sys

    for name, value in run(sys.argv[1]).items():
        print(f"{name}: {value:,.1f}")
