"""The quarter summary: every report table available for a quarter, in the report's order."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import sqlite_utils

from sp_tui import __version__
from sp_tui.domain.quarters import Quarter
from sp_tui.export.files import defuse_formula, write_atomically
from sp_tui.export.rich_table import format_cell
from sp_tui.areas import build_quarter_tables, quarter_tables as registered_tables
from sp_tui.reports.calendar import calendar_for
from sp_tui.reports.tables import Money, Percent, ReportTable


def quarter_tables(db: sqlite_utils.Database, quarter: Quarter) -> list[ReportTable]:
    """Every area's quarter tables, in the published report's order."""
    return build_quarter_tables(db, quarter)


def quarter_table_count() -> int:
    return len(registered_tables())


def cover_lines(db: sqlite_utils.Database, quarter: Quarter,
                generated: datetime | None = None) -> list[tuple[str, str]]:
    from sp_tui.store.connection import db_file

    cal = calendar_for(db, quarter)
    return [
        ("Quarter", quarter.label),
        ("Financial year", quarter.financial_year),
        ("Period", f"{quarter.start.isoformat()} to {quarter.end.isoformat()}"),
        ("Workbook deadline", cal.deadline.isoformat()),
        ("Default period ends", cal.default_end.isoformat()),
        ("Generated", (generated or datetime.now()).isoformat(timespec="seconds")),
        # the file's name only: its folder says whose machine and where the data lives
        ("Database", path.name if (path := db_file(db)) else ""),
        ("Produced by", f"sp-tui {__version__}; every figure is derived from the records"),
    ]


def export_quarter(db: sqlite_utils.Database, quarter: Quarter, path: Path,
                   *, csv_dir: Path | None = None,
                   progress: Callable[[str], None] | None = None,
                   today: date | None = None) -> Path:
    """The quarter workbook: a cover stating the consistency check's result, a contents
    sheet, then every table in the published order, set up for print."""
    from sp_tui.export.report_build import consistency, positioned_tables
    from sp_tui.export.xlsx import write_report_workbook

    positioned = positioned_tables(db, quarter, progress)
    tables = [table for _, table in positioned]
    if progress:
        progress("checking")
    check = consistency(db, quarter, today, positioned)
    if progress:
        progress("writing")
    cover = [*cover_lines(db, quarter), ("Consistency check", check.summary())]
    notes = [f"{r.title}: {r.detail}" + (" (" + ", ".join(r.records) + ")" if r.records
                                           else "") for r in check.failures]
    written = write_report_workbook(
        path, cover, tables, notes=notes,
        header=f"Supporting People quarter summary: {quarter.label}")
    if csv_dir is not None:
        for table in tables:
            write_csv(Path(csv_dir) / f"q{quarter.number}_{table.key}.csv", table)
    return written


def write_csv(path: Path, table: ReportTable) -> Path:
    def build(temp: Path) -> None:
        with temp.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow([defuse_formula(c) for c in table.columns])
            for row in table.rows:
                writer.writerow([_csv_cell(v) for v in row])

    return write_atomically(path, build)


def _csv_cell(value: object) -> object:
    if isinstance(value, Money):
        return value.pounds
    if isinstance(value, Percent):
        return "" if value.value is None else value.value
    if isinstance(value, str):
        return defuse_formula(value)
    return format_cell(value).replace(",", "") if isinstance(value, (int, float)) else value
