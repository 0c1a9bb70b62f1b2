"""The registry of areas is the single source of every list the tool keeps of them."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from sp_tui.areas import (
    AREAS, build_demo, build_quarter_tables, dashboard_panels, data_sheets, import_kinds,
    quarter_tables,
)
from sp_tui.cli import app
from sp_tui.domain.quarters import Quarter
from sp_tui.domain.report_order import REPORT_POSITIONS
from sp_tui.export.data import export_data
from sp_tui.export.data_import import import_data
from sp_tui.export.quarter import export_quarter
from sp_tui.store.connection import open_db

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")


def test_every_import_kind_is_a_documented_cli_command():
    listing = CliRunner().invoke(app, ["import", "--help"], terminal_width=200).output
    for kind in import_kinds():
        assert f" {kind.kind} " in listing, kind.kind
        result = CliRunner().invoke(app, ["import", kind.kind, "--help"], terminal_width=200)
        assert result.exit_code == 0 and kind.format.required[0] in result.output
        assert f"sp-tui import {kind.kind}" in README, f"README lacks `sp-tui import {kind.kind}`"


def test_every_import_kind_has_an_export_data_sheet_and_back():
    assert [s.kind for s in data_sheets()] == [k.kind for k in import_kinds()]


def test_each_kind_round_trips_with_the_same_number_of_rows(db, tmp_path):
    build_demo(db, 1)
    path = tmp_path / "data.xlsx"
    written = export_data(db, path, detail=True)
    assert set(written) == {s.kind for s in data_sheets()}
    other = open_db(tmp_path / "other.sqlite")
    import_data(other, path)
    again = export_data(other, tmp_path / "again.xlsx", detail=True)
    assert again == written
    assert all(written[s.kind] > 0 for s in data_sheets()), written


def test_quarter_tables_follow_the_published_order():
    orders = [table.order for table in quarter_tables()]
    assert orders == sorted(orders)
    assert all(table.position in REPORT_POSITIONS for table in quarter_tables())


def test_export_quarter_writes_the_registered_tables_in_report_order(db, tmp_path):
    build_demo(db, 1)
    titles = [table.title for table in build_quarter_tables(db, Quarter(24))]
    path = export_quarter(db, Quarter(24), tmp_path / "q24.xlsx")
    book = load_workbook(path, read_only=True)
    assert book.sheetnames[:2] == ["Cover", "Contents"]
    written = [book[name]["A1"].value for name in book.sheetnames[2:]]
    assert written == titles


def test_areas_ids_and_panels_are_unique():
    ids = [area.area_id for area in AREAS]
    assert len(ids) == len(set(ids))
    panel_ids = [panel.panel_id for panel in dashboard_panels()]
    assert len(panel_ids) == len(set(panel_ids))
