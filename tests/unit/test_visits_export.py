"""Visits in the exports: the quarter summary holds Tables 6-8, and the data export's visits
sheet imports into an empty database giving the same tables."""

from __future__ import annotations

import csv

from openpyxl import load_workbook

from sp_tui.domain.quarters import Quarter
from sp_tui.export.data import export_data
from sp_tui.export.quarter import export_quarter
from sp_tui.imports.formats import SERVICES, VISITS
from sp_tui.imports.reader import read_table
from sp_tui.reports.qaf_tables import qaf_tables, table_6, table_7
from sp_tui.reports.tables import Percent
from sp_tui.services.registry import import_services
from sp_tui.services.visits import import_visits
from sp_tui.store.connection import open_db
from tests.acceptance.test_qaf_tables import REPORT_DAY, q24_records


def load_q24(db) -> None:
    services, visits = q24_records()
    import_services(db, list(enumerate(services, start=2)))
    import_visits(db, list(enumerate(visits, start=2)), today=REPORT_DAY)


def test_tables_6_to_8_as_report_tables(db):
    load_q24(db)
    t6, t7 = table_6(db, Quarter(24)), table_7(db, Quarter(24))
    assert t6.cell("Visits begun", "Total") == 31
    assert t6.cell("Not completed", "Total") == 5
    assert t6.cell("Awarded grade", "Not graded") == 5
    assert t7.cell("Lower grade", "% of completed") == Percent(8)


def test_the_quarter_summary_has_tables_6_7_and_8(db, tmp_path):
    load_q24(db)
    book = load_workbook(export_quarter(db, Quarter(24), tmp_path / "q24.xlsx"))
    values = {c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    assert {"Table 6: Analysis of monitoring visits begun in quarter 24",
            "Table 7: Summary of improvement",
            "Table 8: All QAF grades at end of quarter 24"} <= values


def sheet_to_csv(sheet, path) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if v is None else v for v in row])


def test_exported_visits_import_into_an_empty_database(db, tmp_path):
    load_q24(db)
    counts = export_data(db, tmp_path / "data.xlsx")
    assert counts["visits"] == db.execute("SELECT count(*) FROM visits").fetchone()[0]
    book = load_workbook(tmp_path / "data.xlsx")
    sheet_to_csv(book["services"], tmp_path / "services.csv")
    sheet_to_csv(book["visits"], tmp_path / "visits.csv")
    other = open_db(tmp_path / "other.sqlite")
    import_services(other, read_table(tmp_path / "services.csv", SERVICES.required,
                                      SERVICES.optional))
    import_visits(other, read_table(tmp_path / "visits.csv", VISITS.required, VISITS.optional),
                  today=REPORT_DAY)
    for number in (23, 24, 25):
        assert qaf_tables(other, Quarter(number)) == qaf_tables(db, Quarter(number))
    plan = other.execute("SELECT plan_officer, plan_review_date FROM visits"
                         " WHERE awarded_grade = 'D' ORDER BY plan_review_date").fetchone()
    assert plan == ("Sam Patel", "2009-04-15")
