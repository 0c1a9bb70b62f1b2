"""Write ReportTables into an xlsx workbook, one sheet each, ready to paste into the report and
to print: a cover, a contents sheet linking to every table, then the tables, each set up for
print (landscape when wide, one page wide, header rows repeated, the quarter and page number
in the header and footer, title and footnotes inside the print area)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from sp_tui.export.files import FORMULA_PREFIXES, write_atomically
from sp_tui.export.rich_table import format_cell
from sp_tui.reports.tables import Money, Percent, ReportTable, has_figures

HEADER_ROW = 4  # title, subtitle, blank, then the column headers
MAX_WIDTH = 60
LANDSCAPE_WIDTH = 95  # column widths (characters) beyond which a sheet prints landscape
CONTENTS = "Contents"


def write_report_workbook(path: Path, cover: Sequence[tuple[str, str]],
                          tables: Sequence[ReportTable], *, header: str = "",
                          notes: Sequence[str] = ()) -> Path:
    """A cover sheet of (label, value) lines (and ``notes`` under them), a contents sheet
    linking to each table, then one sheet per table. ``header`` is printed at the top of
    every page (e.g. the quarter)."""
    from openpyxl import Workbook

    def build(temp: Path) -> None:
        book = Workbook()
        sheet = book.active
        sheet.title = "Cover"
        _write_cover(sheet, cover, tables, notes)
        _print_setup(sheet, header, last_row=sheet.max_row, last_col=2)
        contents = book.create_sheet(CONTENTS)
        used = {"cover", CONTENTS.lower()}
        names = [_sheet_name(table, used) for table in tables]
        _write_contents(contents, tables, names)
        _print_setup(contents, header, last_row=contents.max_row, last_col=2)
        for table, name in zip(tables, names):
            _write_table(book.create_sheet(name), table, header)
        book.save(temp)

    return write_atomically(Path(path), build)


def _print_setup(sheet, header: str, *, last_row: int, last_col: int,
                 title_rows: str | None = None) -> None:
    """One page wide, as many pages tall as needed; header (quarter, sheet) and footer
    (page N of M) on every page; the print area covers everything written."""
    from openpyxl.utils import get_column_letter

    widths = sum((sheet.column_dimensions[get_column_letter(c)].width or 10)
                 for c in range(1, last_col + 1))
    setup = sheet.page_setup
    setup.orientation = "landscape" if widths > LANDSCAPE_WIDTH else "portrait"
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = False
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.print_area = f"A1:{get_column_letter(max(1, last_col))}{max(1, last_row)}"
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddHeader.left.text = (header or "Supporting People").replace("&", "&&")
    sheet.oddHeader.right.text = "&A"
    sheet.oddFooter.left.text = "sp-tui quarter summary"
    sheet.oddFooter.right.text = "Page &P of &N"


def _write_contents(sheet, tables: Sequence[ReportTable], names: Sequence[str]) -> None:
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    sheet["A1"] = "Contents"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.cell(3, 1, "Sheet").font = Font(bold=True)
    sheet.cell(3, 2, "Table").font = Font(bold=True)
    for row, (table, name) in enumerate(zip(tables, names), start=4):
        cell = sheet.cell(row, 1, name)
        location = "'" + name.replace("'", "''") + "'!A1"
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=location, display=name)
        cell.font = Font(color="0563C1", underline="single")
        _set_text(sheet.cell(row, 2), table.title)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 80


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
    elif isinstance(value, Money):
        if value.pence is not None:
            cell.value = value.pence / 100
            cell.number_format = "£#,##0.00"
    elif isinstance(value, bool):
        cell.value = "yes" if value else "no"
    elif isinstance(value, (int, float)):
        cell.value = value
        cell.number_format = "#,##0" if isinstance(value, int) else "#,##0.0"
    else:
        _set_text(cell, str(value))


def _write_cover(sheet, cover: Sequence[tuple[str, str]], tables: Sequence[ReportTable],
                 notes: Sequence[str] = ()) -> None:
    from openpyxl.styles import Alignment, Font

    sheet["A1"] = "Supporting People: quarter summary"
    sheet["A1"].font = Font(bold=True, size=14)
    row = 3
    for label, value in cover:
        sheet.cell(row, 1, label).font = Font(bold=True)
        _set_text(sheet.cell(row, 2), str(value))
        row += 1
    for note in notes:
        row += 1
        cell = sheet.cell(row, 2)
        _set_text(cell, note)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row += 1
    sheet.cell(row, 1, "Sheets").font = Font(bold=True)
    for table in tables:
        row += 1
        _set_text(sheet.cell(row, 2), table.title)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 70
    for r in range(1, row + 1):  # long values wrap inside the printed width
        sheet.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top")


def _write_table(sheet, table: ReportTable, header: str = "") -> None:
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
            if col == 1:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if offset >= body:
                cell.font = Font(bold=True)
                if offset == body:
                    cell.border = top
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    last = HEADER_ROW + len(table.rows)
    notes = list(table.footnotes)
    if not has_figures(table):
        notes.insert(0, "No records for this quarter: the table holds no figures.")
    widths = []
    for col, label in enumerate(table.columns, start=1):
        cells = [label] + [format_cell(r[col - 1]) for r in table.rows]
        width = min(MAX_WIDTH, max(10, max(len(str(c)) for c in cells) + 2))
        widths.append(width)
        sheet.column_dimensions[get_column_letter(col)].width = width
    ncols = max(1, len(table.columns))
    for number, note in enumerate(notes):
        row = last + 2 + number
        cell = sheet.cell(row, 1)
        _set_text(cell, note)
        cell.font = Font(italic=True, size=9)
        _spread(sheet, row, ncols, sum(widths), note)
    for row in (1, 2):
        text = sheet.cell(row, 1).value
        if text:
            _spread(sheet, row, ncols, sum(widths), str(text))
    last_row = last + 1 + len(notes) if notes else last
    _print_setup(sheet, header, last_row=last_row, last_col=ncols,
                 title_rows=f"1:{HEADER_ROW}")


def _spread(sheet, row: int, ncols: int, width: float, text: str,
            points: float = 0) -> None:
    """Merge a title or footnote across the table's columns and wrap it, so that it prints
    inside the print area rather than running off its edge."""
    from openpyxl.styles import Alignment

    if ncols > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    cell = sheet.cell(row, 1)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    size = points or (cell.font.sz if cell.font is not None and cell.font.sz else 11)
    per_line = max(20, int(width * 1.1 * 11 / size))
    lines = max(1, -(-len(text) // per_line))
    if lines > 1:
        sheet.row_dimensions[row].height = round(size * 1.45 * lines + 2)
