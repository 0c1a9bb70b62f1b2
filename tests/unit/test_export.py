"""The quarter export and the data export, checked by reopening the files."""

from __future__ import annotations

import csv
import os
import stat

from openpyxl import load_workbook

from sp_tui.domain.quarters import Quarter
from sp_tui.export.data import export_data
from sp_tui.export.quarter import export_quarter, quarter_tables
from sp_tui.export.xlsx import HEADER_ROW, LANDSCAPE_WIDTH, write_report_workbook
from sp_tui.imports.reader import read_table
from sp_tui.imports.formats import SERVICES
from sp_tui.reports.contract import table_1_1
from sp_tui.reports.tables import Money, Percent, ReportTable, percent
from sp_tui.services.registry import import_services
from tests.conftest import service_fields


def seed(db):
    import_services(db, [
        (2, service_fields(service_ref="A", household_units=10, leaseholder_units=2)),
        (3, service_fields(service_ref="B", provider="Other", household_units=5,
                           start_date="2008-06-01")),
        (4, service_fields(service_ref="C", end_date="2008-12-31")),
    ])


def sheet_values(sheet, table: ReportTable) -> list[list[object]]:
    rows = []
    for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(table.rows)):
        rows.append([sheet.cell(r, c).value for c in range(1, len(table.columns) + 1)])
    return rows


def expected(table: ReportTable) -> list[list[object]]:
    def value(v):
        if isinstance(v, Percent):
            return None if v.value is None else v.value / 100
        if isinstance(v, Money):
            return None if v.pence is None else v.pence / 100
        return v
    return [[value(v) for v in row] for row in table.rows]


def test_every_cell_of_the_quarter_export_matches_the_reports(db, tmp_path):
    seed(db)
    path = export_quarter(db, Quarter(24), tmp_path / "q24.xlsx")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    book = load_workbook(path)
    assert book.sheetnames[0] == "Cover"
    assert book["Cover"]["B3"].value == "Q24 Jan-Mar 2009"
    tables = quarter_tables(db, Quarter(24))
    assert book.sheetnames[1] == "Contents"
    assert len(book.sheetnames) == 2 + len(tables)
    contents = book["Contents"]
    for row, (sheet_name, table) in enumerate(zip(book.sheetnames[2:], tables), start=4):
        link = contents.cell(row, 1)
        assert link.value == sheet_name and contents.cell(row, 2).value == table.title
        assert link.hyperlink.location == f"'{sheet_name}'!A1"
    for sheet_name, table in zip(book.sheetnames[2:], tables):
        sheet = book[sheet_name]
        assert sheet["A1"].value == table.title
        assert sheet.freeze_panes == f"A{HEADER_ROW + 1}"
        assert [sheet.cell(HEADER_ROW, c).value for c in range(1, len(table.columns) + 1)] \
            == [c or None for c in table.columns]
        assert sheet.cell(HEADER_ROW, 1).font.bold
        assert sheet_values(sheet, table) == expected(table)


def test_every_table_sheet_is_set_up_to_print(db, tmp_path):
    seed(db)
    path = export_quarter(db, Quarter(24), tmp_path / "q24.xlsx")
    book = load_workbook(path)
    tables = quarter_tables(db, Quarter(24))
    for sheet_name, table in zip(book.sheetnames[2:], tables):
        sheet = book[sheet_name]
        setup = sheet.page_setup
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == f"$1:${HEADER_ROW}"
        assert "Q24 Jan-Mar 2009" in sheet.oddHeader.left.text
        assert sheet.oddFooter.right.text == "Page &P of &N"
        area = sheet.print_area.split("!")[-1].replace("$", "")
        assert area.endswith(str(sheet.max_row)), (sheet_name, area)  # footnotes included
        assert sheet.cell(sheet.max_row, 1).value == table.footnotes[-1]
        from openpyxl.utils import get_column_letter

        wide = sum(sheet.column_dimensions[get_column_letter(c)].width
                   for c in range(1, len(table.columns) + 1)) > LANDSCAPE_WIDTH
        assert setup.orientation == ("landscape" if wide else "portrait"), sheet_name
    assert "Consistency check" in [c.value for c in book["Cover"]["A"]]


def test_a_wide_table_prints_landscape_and_a_narrow_one_portrait(tmp_path):
    from openpyxl import load_workbook as load

    wide = ReportTable(key="w", title="Table W: wide",
                       columns=["Area", *[f"District number {n}" for n in range(14)]],
                       rows=[["Row", *range(14)]])
    narrow = ReportTable(key="n", title="Table N: narrow", columns=["", "Q24"],
                         rows=[["Services", 3]])
    book = load(write_report_workbook(tmp_path / "x.xlsx", [("Quarter", "Q24")],
                                      [wide, narrow], header="Q24"))
    assert book["Table W"].page_setup.orientation == "landscape"
    assert book["Table N"].page_setup.orientation == "portrait"


def test_a_table_with_no_figures_says_so_on_its_sheet(tmp_path):
    empty = ReportTable(key="e", title="Table E: empty", columns=["", "Q24"],
                        rows=[["Services", 0], ["Share", Percent(None)]])
    book = load_workbook(write_report_workbook(tmp_path / "x.xlsx", [], [empty]))
    notes = [c.value for c in book["Table E"]["A"] if c.value]
    assert any("No records for this quarter" in str(n) for n in notes)


def test_table_1_1_counts_active_services_against_a_year_earlier(db):
    seed(db)
    table = table_1_1(db, Quarter(24))
    assert table.columns == ["", "Q20 Jan-Mar 2008", "Q24 Jan-Mar 2009"]
    assert table.cell("Number of services", "Q24 Jan-Mar 2009") == 2   # C ended in Q23
    assert table.cell("Number of services", "Q20 Jan-Mar 2008") == 2   # B not yet started
    assert table.cell("Number of providers", "Q24 Jan-Mar 2009") == 2
    assert table.cell("Total units", "Q24 Jan-Mar 2009") == 17


def test_percentages_are_written_as_percent_cells(tmp_path):
    table = ReportTable(key="t", title="Table X: test", columns=["", "Q1"],
                        rows=[["Returned", 317], ["%", percent(317, 376)], ["none", Percent(None)]],
                        total_rows=1, footnotes=["Source: test"])
    path = write_report_workbook(tmp_path / "x.xlsx", [("Quarter", "Q1")], [table])
    sheet = load_workbook(path)["Table X"]
    cell = sheet.cell(HEADER_ROW + 2, 2)
    assert cell.value == 0.84 and cell.number_format == "0%"
    assert sheet.cell(HEADER_ROW + 3, 2).value is None
    assert sheet.cell(HEADER_ROW + 3, 1).font.bold  # the totals row
    assert sheet.cell(HEADER_ROW + 5, 1).value == "Source: test"


def test_formula_like_text_is_stored_as_text_not_a_formula(db, tmp_path):
    evil = "=HYPERLINK(\"http://x\",\"click\")"
    table = ReportTable(key="t", title="Table X: test", columns=["Service", "n"],
                        rows=[[evil, 1], ["+1+1", 2], ["-2", 3], ["@SUM(A1)", 4]])
    path = write_report_workbook(tmp_path / "x.xlsx", [("Name", "=cmd|' /C calc'!A0")], [table])
    book = load_workbook(path)
    sheet = book["Table X"]
    for offset, text in enumerate([evil, "+1+1", "-2", "@SUM(A1)"]):
        cell = sheet.cell(HEADER_ROW + 1 + offset, 1)
        assert cell.value == text and cell.data_type == "s"
    assert book["Cover"]["B3"].data_type == "s"


def test_data_export_round_trips_into_an_empty_database(db, tmp_path):
    from sp_tui.store.connection import open_db

    seed(db)
    import_services(db, [(2, service_fields(service_ref="EVIL", service_name="=1+2"))])
    path = tmp_path / "data.xlsx"
    assert export_data(db, path)["services"] == 4
    sheet = load_workbook(path)["services"]
    names = [c.value for c in sheet["C"]]
    assert "=1+2" in names
    assert all(c.data_type == "s" for c in sheet["C"] if c.value == "=1+2")
    # import the sheet into a fresh database: same reports
    copy = tmp_path / "services.csv"
    with copy.open("w", newline="") as handle:
        writer = csv.writer(handle)
        for row in sheet.iter_rows(values_only=True):
            writer.writerow(["" if v is None else v for v in row])
    other = open_db(tmp_path / "other.sqlite")
    import_services(other, read_table(copy, SERVICES.required, SERVICES.optional))
    for q in (20, 24, 26):
        assert table_1_1(other, Quarter(q)).rows == table_1_1(db, Quarter(q)).rows


def test_csv_copies_defuse_formulas(db, tmp_path):
    seed(db)
    export_quarter(db, Quarter(24), tmp_path / "q.xlsx", csv_dir=tmp_path / "csv")
    files = sorted(p.name for p in (tmp_path / "csv").iterdir())
    assert "q24_table1_1.csv" in files
    rows = list(csv.reader((tmp_path / "csv" / "q24_table1_1.csv").open()))
    assert rows[0] == ["", "Q20 Jan-Mar 2008", "Q24 Jan-Mar 2009"]
    assert rows[2] == ["Number of services", "2", "2"]


def test_data_export_leaves_alerts_out_unless_detail_is_asked(db, tmp_path):
    from sp_tui.services.alerts import import_alerts

    seed(db)
    import_alerts(db, [(2, {"ref": "SA1", "service_ref": "A", "received_date": "2009-01-05",
                            "nature": "financial", "referred_date": "2009-01-05",
                            "status": "open", "closed_date": None})])
    plain = tmp_path / "plain.xlsx"
    counts = export_data(db, plain)
    assert "alerts" not in counts and "alerts" not in load_workbook(plain).sheetnames
    detailed = tmp_path / "detail.xlsx"
    assert export_data(db, detailed, detail=True)["alerts"] == 1
    sheet = load_workbook(detailed)["alerts"]
    assert sheet["A2"].value == "SA1"


def test_the_quarter_summary_holds_no_safeguarding_detail(db, tmp_path):
    from sp_tui.services.alerts import import_alerts

    seed(db)
    import_alerts(db, [(2, {"ref": "SECRET-REF-1", "service_ref": "A",
                            "received_date": "2009-01-05", "nature": "financial",
                            "referred_date": "2009-01-05", "status": "open", "closed_date": None,
                            "notes": "case note ref XY-99"})])
    path = export_quarter(db, Quarter(24), tmp_path / "q.xlsx", csv_dir=tmp_path / "csv")
    book = load_workbook(path)
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
             if c.value is not None]
    assert not any("SECRET-REF-1" in c or "XY-99" in c for c in cells)
    assert any(c == "Financial abuse" for c in cells)  # the count is there, by nature
    for csv_file in (tmp_path / "csv").iterdir():
        text = csv_file.read_text()
        assert "SECRET-REF-1" not in text and "XY-99" not in text
