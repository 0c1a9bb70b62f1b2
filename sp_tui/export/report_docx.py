"""The Commissioning Body report as a Word document (python-docx), from the document model.

Title block, the consistency check's result, numbered sections with their derived sentences,
every table, charts where the report has them, and "[Commentary]" marks (highlighted) where
the manager adds prose. Written to a temporary file and renamed, like every export.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlite_utils

from sp_tui.domain.errors import ValidationError
from sp_tui.domain.quarters import Quarter
from sp_tui.export.files import write_atomically
from sp_tui.export.report_build import report_parts
from sp_tui.export.rich_table import format_cell
from sp_tui.reports.consistency import ConsistencyReport
from sp_tui.reports.document import Block, ReportDocument
from sp_tui.reports.tables import Percent, ReportTable

WIDE_COLUMNS = 8  # a table with more columns goes on a landscape page


@dataclass
class ReportExport:
    path: Path
    check: ConsistencyReport
    document: ReportDocument


def check_output_path(path: Path, suffix: str) -> Path:
    """A clear message before any work: the folder must exist and be writable."""
    path = Path(path)
    if path.suffix.lower() != suffix:
        raise ValidationError({"output": f"the file name must end in {suffix}: {path.name}"})
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ValidationError({"output": f"the folder {folder} does not exist"})
    import os

    if not os.access(folder, os.W_OK):
        raise ValidationError({"output": f"the folder {folder} is not writable"})
    return path


def export_report(db: sqlite_utils.Database, quarter: Quarter, path: Path, *,
                  today: date | None = None, charts: bool = True,
                  progress: Callable[[str], None] | None = None) -> ReportExport:
    """Check, then write the report document for ``quarter``."""
    path = check_output_path(path, ".docx")
    parts = report_parts(db, quarter, today=today, progress=progress)
    if progress:
        progress("writing")

    def build(temp: Path) -> None:
        write_document(temp, parts.document, charts=charts)

    write_atomically(path, build)
    return ReportExport(path, parts.check, parts.document)


def write_document(path: Path, document: ReportDocument, *, charts: bool = True) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(10)
    _page_furniture(doc.sections[0], document.quarter)
    doc.add_heading("REPORT", level=0)
    grid = doc.add_table(rows=0, cols=2)
    for label, text in document.title_block:
        cells = grid.add_row().cells
        cells[0].paragraphs[0].add_run(label).bold = True
        cells[1].text = text
    if document.check_summary:
        note = doc.add_paragraph()
        run = note.add_run("Consistency check: " + document.check_summary)
        run.italic = True
        run.font.size = Pt(8)
    first_appendix = True
    for section in document.sections:
        if section.appendix and first_appendix:
            doc.add_page_break()
            first_appendix = False
        level = 1 if section.number.endswith(".0") or section.appendix else 2
        doc.add_heading(section.title, level=level)
        for block in section.blocks:
            if block.kind == "table" and block.table is not None:
                wide = len(block.table.columns) > WIDE_COLUMNS
                if wide:
                    _new_section(doc, WD_ORIENT.LANDSCAPE, document.quarter)
                _add_table(doc, block.table)
                if charts:
                    _add_chart(doc, block)
                if wide:
                    _new_section(doc, WD_ORIENT.PORTRAIT, document.quarter)
            else:
                _add_text(doc, block)
    doc.save(str(path))


def _add_text(doc, block: Block) -> None:
    from docx.enum.text import WD_COLOR_INDEX

    paragraph = doc.add_paragraph()
    run = paragraph.add_run(block.text)
    if block.kind == "commentary":
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        run.bold = True
    elif block.kind == "empty":
        run.italic = True


def _cell_text(value: object) -> str:
    return format_cell(value) if value is not None else ""


def _add_table(doc, table: ReportTable) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    title = doc.add_paragraph()
    title.add_run(table.title).bold = True
    title.paragraph_format.keep_with_next = True
    if table.subtitle:
        sub = doc.add_paragraph()
        sub.add_run(table.subtitle).italic = True
        sub.paragraph_format.keep_with_next = True
    size = Pt(7) if len(table.columns) > WIDE_COLUMNS else Pt(9)
    grid = doc.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    header = grid.rows[0]
    flag = OxmlElement("w:tblHeader")  # repeat the header row on every page
    flag.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(flag)
    for cell, label in zip(header.cells, table.columns):
        run = cell.paragraphs[0].add_run(str(label))
        run.bold = True
        run.font.size = size
    body = len(table.rows) - table.total_rows
    for n, values in enumerate(table.rows):
        cells = grid.add_row().cells
        for col, (cell, value) in enumerate(zip(cells, values)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(_cell_text(value))
            run.font.size = size
            run.bold = n >= body
            if col and (isinstance(value, (int, float, Percent)) and not isinstance(value, bool)):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _column_widths(grid, len(table.columns), doc.sections[-1])
    for note in table.footnotes:
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(note)
        run.italic = True
        run.font.size = Pt(8)


def _column_widths(grid, ncols: int, section) -> None:
    """The label column takes about a third of the text width, the figures share the rest."""
    from docx.shared import Emu

    text_width = section.page_width - section.left_margin - section.right_margin
    if ncols == 1:
        widths = [text_width]
    else:
        first = int(text_width * (0.34 if ncols > 2 else 0.6))
        rest = int((text_width - first) / (ncols - 1))
        widths = [first] + [rest] * (ncols - 1)
    grid.autofit = False
    for column, width in zip(grid.columns, widths):
        column.width = Emu(width)
    for row in grid.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = Emu(width)


def _add_chart(doc, block: Block) -> None:
    from docx.shared import Inches

    from sp_tui.export.charts import chart_png

    png = chart_png(block.position, block.table) if block.table is not None else None
    if png:
        doc.add_picture(io.BytesIO(png), width=Inches(6))


def _new_section(doc, orientation, quarter: Quarter) -> None:
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    if section.orientation != orientation:
        section.orientation = orientation
        section.page_width, section.page_height = section.page_height, section.page_width
    # The header and footer carry on from the first section (linked to the previous).


def _page_furniture(section, quarter: Quarter) -> None:
    """Header: the report and quarter; footer: "Page N"."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = section.header.paragraphs[0]
    header.text = f"Supporting People performance report: {quarter.label}"
    footer = section.footer.paragraphs[0]
    footer.text = "Page "
    run = footer.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
