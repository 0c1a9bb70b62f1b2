"""A letter as a Word document, from the same Markdown text the templates produce: headings
(``#``), bold (``**...**``), line breaks (two trailing spaces), tables (``| a | b |``) and
paragraphs. python-docx is imported only when letters are written."""

from __future__ import annotations

import io
import re

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_SEPARATOR = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+\s*$")


def _cells(line: str) -> list[str]:
    """The cells of a Markdown table row, with ``\\|`` and ``\\\\`` unescaped."""
    parts, cell, escaped = [], "", False
    for ch in line.strip()[1:]:
        if escaped:
            cell += ch
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "|":
            parts.append(cell.strip())
            cell = ""
        else:
            cell += ch
    return parts


def _runs(paragraph, text: str) -> None:
    position = 0
    for match in _BOLD.finditer(text):
        if match.start() > position:
            paragraph.add_run(text[position:match.start()])
        paragraph.add_run(match.group(1)).bold = True
        position = match.end()
    if position < len(text):
        paragraph.add_run(text[position:])


def letter_docx(markdown: str) -> bytes:
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(11)
    blocks: list[list[str]] = [[]]
    for line in markdown.splitlines():
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    for block in (b for b in blocks if b):
        if block[0].startswith("#"):
            level = len(block[0]) - len(block[0].lstrip("#"))
            doc.add_heading(block[0].lstrip("#").strip(), level=min(level, 3))
            block = block[1:]
            if not block:
                continue
        if block[0].lstrip().startswith("|"):
            rows = [_cells(line) for line in block if not _SEPARATOR.match(line.strip())]
            table = doc.add_table(rows=0, cols=max(len(r) for r in rows))
            table.style = "Table Grid"
            for number, row in enumerate(rows):
                cells = table.add_row().cells
                for cell, text in zip(cells, row):
                    cell.text = ""
                    run = cell.paragraphs[0].add_run(text)
                    run.bold = number == 0
            continue
        paragraph = doc.add_paragraph()
        for index, line in enumerate(block):
            if index:
                paragraph.add_run().add_break()
            _runs(paragraph, line.rstrip())
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
