"""Write ReportTables into an xlsx workbook, one sheet each, ready to paste into the report."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from sp_tui.export.files import FORMULA_PREFIXES, write_atomically
from sp_tui.export.rich_table import format_cell
from sp_tui.reports.tables import Percent, ReportTable

HEADER_ROW = 4  # title, subtitle, blank, then the column headers
MAX_WIDTH = 60


def write_report_workbook(path: Path, cover: Sequence[tuple[str, str]],
                          tables: Sequence[ReportTable]) -> Path:
    """A cover sheet of (label, value) lines, then one sheet per table."""
    from openpyxl import Workbook

    def build(temp: Path) -> None:
        book = Workbook()
        sheet = book.active
        sheet.title = "Cover"
        _write_cover(sheet, cover, tables)
        used = {"cover"}
        for table in tables:
            _write_table(book.create_sheet(_sheet_name(table, used)), table)
        book.save(temp)

    return write_atomically(Path(path), build)


def _sheet_name(table: ReportTable, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", table.title.split(":")[0] or table.key)[:28] or "Sheet"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name.lower())
    return name


def _set_text(cell, text: str) -> None:
    """Store text as text: a value starting with = + - @ must never become a formula."""
    cell.value = text
    if text.startswith(FORMULA_PREFIXES):
        cell.data_type = "s"
        cell.quotePrefix = True


def _write_value(cell, value: object) -> None:
    if value is None:
        return
    if isinstance(value, Percent):
        if value.value is not None:
            cell.value = float(value.value) / 100
            cell.number_format = "0." + "0" * value.places + "%" if value.places else "0%"
    elif isinstance(value, bool):
        cell.value = "yes" if value else "no"
    elif isinstance(value, (int, float)):
        cell.value = value
        cell.number_format = "#,##0" if isinstance(value, int) else "#,##0.0"
    else:
        _set_text(cell, str(value))


def _write_cover(sheet, cover: Sequence[tuple[str, str]], tables: Sequence[ReportTable]) -> None:
    from openpyxl.styles import Font

    sheet["A1"] = "Supporting People: quarter summary"
    sheet["A1"].font = Font(bold=True, size=14)
    row = 3
    for label, value in cover:
        sheet.cell(row, 1, label).font = Font(bold=True)
        _set_text(sheet.cell(row, 2), str(value))
        row += 1
    row += 1
    sheet.cell(row, 1, "Sheets").font = Font(bold=True)
    for table in tables:
        row += 1
        _set_text(sheet.cell(row, 2), table.title)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 70


def _write_table(sheet, table: ReportTable) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    _set_text(sheet.cell(1, 1), table.title)
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    if table.subtitle:
        _set_text(sheet.cell(2, 1), table.subtitle)
        sheet.cell(2, 1).font = Font(italic=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, label in enumerate(table.columns, start=1):
        cell = sheet.cell(HEADER_ROW, col)
        _set_text(cell, label)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="left" if col == 1 else "center", wrap_text=True)
    body = len(table.rows) - table.total_rows
    top = Border(top=Side(style="thin"))
    for offset, values in enumerate(table.rows):
        row = HEADER_ROW + 1 + offset
        for col, value in enumerate(values, start=1):
            cell = sheet.cell(row, col)
            _write_value(cell, value)
            if offset >= body:
                cell.font = Font(bold=True)
                if offset == body:
                    cell.border = top
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    last = HEADER_ROW + len(table.rows)
    for number, note in enumerate(table.footnotes):
        cell = sheet.cell(last + 2 + number, 1)
        _set_text(cell, note)
        cell.font = Font(italic=True, size=9)
    for col, label in enumerate(table.columns, start=1):
        cells = [label] + [format_cell(r[col - 1]) for r in table.rows]
        width = max(len(str(c)) for c in cells) + 2
        sheet.column_dimensions[get_column_letter(col)].width = min(MAX_WIDTH, max(10, width))
